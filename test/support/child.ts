import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';

/** A child process whose output and end a test can wait on. */
export type WatchedChild = {
  /** Its process id. */
  readonly pid: number | undefined;
  /** Its stdout so far, a line each. */
  readonly stdout: string[];
  /** Its stderr so far, a line each: where an uncaught error's stack lands. */
  readonly stderr: string[];
  /** Whether it has ended, on its own or by a signal. */
  readonly exited: boolean;
  /** Resolves with the first stdout line, past or future, that `pick` maps to a value; rejects if it ends first. */
  firstLine<T>(pick: (line: string) => T | undefined): Promise<T>;
  /** Sends `signal` unless it has ended, and waits until it has; resolves with how it ended (`code 0`, or the signal that ended it). */
  signal(signal: NodeJS.Signals): Promise<string>;
};

export function spawnWatched(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): WatchedChild {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const lines = new EventEmitter();
  let exited = false;
  // 'close' rather than 'exit': by then every line it wrote has been read.
  const ended = new Promise<string>((resolve) => {
    child.once('close', (code, signal) => resolve(signal ?? `code ${code}`));
    child.once('error', (error) => resolve(error.message));
  }).then((how) => {
    exited = true;
    return how;
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    stdout.push(line);
    lines.emit('line', line);
  });
  createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));

  return {
    pid: child.pid,
    stdout,
    stderr,
    get exited() {
      return exited;
    },
    firstLine<T>(pick: (line: string) => T | undefined) {
      return new Promise<T>((resolve, reject) => {
        const check = (line: string): boolean => {
          const value = pick(line);
          if (value === undefined) return false;
          lines.off('line', check);
          resolve(value);
          return true;
        };
        if (stdout.some(check)) return;
        lines.on('line', check);
        void ended.then((how) => reject(new Error(`${[command, ...args].join(' ')} ended (${how}) before the line awaited:\n${[...stderr, ...stdout].join('\n')}`)));
      });
    },
    async signal(signal) {
      if (!exited) child.kill(signal);
      return ended;
    },
  };
}
