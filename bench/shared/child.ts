/**
 * Bench cases run as child processes of their own (so a peak RSS or a CPU profile is the case's alone) and
 * talk back in JSON lines on stdout; stderr goes straight through.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export type ChildOptions = {
  /** Node flags before the script (e.g. --cpu-prof). */
  nodeArgs?: readonly string[];
  /** Killed (SIGKILL) after this long, so a stuck case cannot run on. */
  timeoutMs: number;
};

export type BenchChild = {
  readonly process: ChildProcess;
  /** The next JSON line the child prints (lines that are not JSON objects are passed to stderr). */
  nextMessage<T>(): Promise<T>;
  /** Resolves when it exits with 0; rejects on any other end. */
  readonly exited: Promise<void>;
};

/** Starts `script` under tsx with args. */
export function startChild(script: string, args: readonly string[], options: ChildOptions): BenchChild {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', script, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
  const messages: unknown[] = [];
  const waiting: { resolve(message: unknown): void; reject(error: Error): void }[] = [];
  let ended: Error | undefined;
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    if (!line.startsWith('{')) return void process.stderr.write(`${line}\n`);
    const message: unknown = JSON.parse(line);
    const waiter = waiting.shift();
    if (waiter) waiter.resolve(message);
    else messages.push(message);
  });
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve();
      ended = new Error(`${script} ${args.join(' ')} failed (exit ${code ?? signal})`);
      for (const waiter of waiting.splice(0)) waiter.reject(ended);
      reject(ended);
    });
  });
  // A caller that only awaits messages still hears of a failed child through them.
  exited.catch(() => {});
  return {
    process: child,
    exited,
    nextMessage<T>() {
      if (messages.length > 0) return Promise.resolve(messages.shift() as T);
      if (ended) return Promise.reject(ended);
      return new Promise<T>((resolve, reject) => waiting.push({ resolve: (message) => resolve(message as T), reject }));
    },
  };
}

/** Runs a child that prints one JSON result and exits; resolves with that result. */
export async function runChild<T>(script: string, args: readonly string[], options: ChildOptions): Promise<T> {
  const child = startChild(script, args, options);
  child.process.stdin?.end();
  const [result] = await Promise.all([child.nextMessage<T>(), child.exited]);
  return result;
}
