import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stdout, one line per event, written as they are logged: a line buffered for later
 * is lost when the process exits or crashes, and those last lines (how a stop went, what failed) are the ones
 * read most. This process logs events, not traffic, so a write each costs nothing that matters.
 */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'switchboard' } }, pino.destination({ dest: 1, sync: true }));
}
