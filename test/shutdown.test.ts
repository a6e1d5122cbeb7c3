import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { Stops, stopOnSignals, type SignalHost } from '../src/shutdown.js';
import { captureLogs } from './ami/logCapture.js';

/** Signals a test sends by hand, and the exit codes the process would have ended with. */
function fakeHost(): SignalHost & { send(signal: 'SIGINT' | 'SIGTERM'): void; exited: Promise<number>; codes: number[] } {
  const signals = new EventEmitter();
  const codes: number[] = [];
  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  return {
    on: (signal, listener) => signals.on(signal, listener),
    exit: (code) => {
      codes.push(code);
      resolveExit(code);
    },
    send: (signal) => signals.emit(signal),
    exited,
    codes,
  };
}

/** A promise a test settles when it chooses. */
function held(): { promise: Promise<void>; release(): void } {
  let release: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

describe('Stops', () => {
  it('stops the parts last started first, logging each, and goes on past one that fails', async () => {
    const { log, records } = captureLogs();
    const order: string[] = [];
    const stops = new Stops();
    stops.add('database', async () => order.push('database'));
    stops.add('dialer', async () => {
      order.push('dialer');
      throw new Error('PBX gone');
    });
    stops.add('HTTP server', async () => order.push('HTTP server'));
    expect(await stops.stopAll(log)).toBe(false);
    expect(order).toEqual(['HTTP server', 'dialer', 'database']);
    const steps = records.map((line) => `${line.msg} ${line.step}`);
    expect(steps).toEqual(['stopping HTTP server', 'stopped HTTP server', 'stopping dialer', 'could not stop cleanly; going on dialer', 'stopping database', 'stopped database']);
    // Stopped once: a second call has nothing left to stop.
    expect(await stops.stopAll(log)).toBe(true);
    expect(order).toHaveLength(3);
  });
});

describe('stopOnSignals', () => {
  it('exits 0 once every part has stopped', async () => {
    const host = fakeHost();
    const stopping = held();
    stopOnSignals({ stop: async () => (await stopping.promise, true), boundMs: 60_000, log: createLogger('silent'), host });
    host.send('SIGTERM');
    expect(host.codes).toEqual([]);
    stopping.release();
    expect(await host.exited).toBe(0);
  });

  it('exits 1 when a part did not stop cleanly', async () => {
    const host = fakeHost();
    stopOnSignals({ stop: async () => false, boundMs: 60_000, log: createLogger('silent'), host });
    host.send('SIGINT');
    expect(await host.exited).toBe(1);
  });

  it('exits at once on a second signal, saying so', async () => {
    const host = fakeHost();
    const { log, records } = captureLogs();
    const stopping = held();
    stopOnSignals({ stop: async () => (await stopping.promise, true), boundMs: 60_000, log, host });
    host.send('SIGTERM');
    host.send('SIGINT');
    expect(await host.exited).toBe(1);
    expect(records.map((line) => line.msg)).toEqual(['shutting down', 'second signal: exiting now, without stopping the rest']);
    stopping.release();
  });

  it('exits when the bound passes before the parts have stopped', async () => {
    const host = fakeHost();
    const { log, records } = captureLogs();
    const stopping = held();
    stopOnSignals({ stop: async () => (await stopping.promise, true), boundMs: 20, log, host });
    host.send('SIGTERM');
    expect(await host.exited).toBe(1);
    expect(records.at(-1)?.msg).toBe('shutdown took longer than its bound: exiting now, without stopping the rest');
    stopping.release();
  });
});
