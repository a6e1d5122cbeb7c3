import { EventEmitter } from 'node:events';
import { pino } from 'pino';
import type { Logger } from '../../src/logger.js';

export type LogRecord = { level: number; msg: string; [field: string]: unknown };

export type LogCapture = {
  log: Logger;
  records: LogRecord[];
  /** The messages logged so far, in order. */
  messages(): string[];
  /** Resolves with the next record whose msg is `msg` (already logged ones do not count). */
  next(msg: string): Promise<LogRecord>;
  /** Resolves once `msg` has been logged `count` times in all, with those records. */
  count(msg: string, count: number): Promise<LogRecord[]>;
};

/** A pino logger whose JSON lines are kept in memory, so tests read what operators would. */
export function captureLogs(): LogCapture {
  const records: LogRecord[] = [];
  const written = new EventEmitter();
  const log = pino(
    { level: 'debug' },
    {
      write(line: string) {
        const record = JSON.parse(line) as LogRecord;
        records.push(record);
        written.emit('record', record);
      },
    },
  );
  return {
    log,
    records,
    messages: () => records.map((record) => record.msg),
    next: (msg) =>
      new Promise((resolve) => {
        const listener = (record: LogRecord) => {
          if (record.msg !== msg) return;
          written.off('record', listener);
          resolve(record);
        };
        written.on('record', listener);
      }),
    count: (msg, count) =>
      new Promise((resolve) => {
        const check = () => {
          const matching = records.filter((record) => record.msg === msg);
          if (matching.length < count) return;
          written.off('record', check);
          resolve(matching);
        };
        written.on('record', check);
        check();
      }),
  };
}
