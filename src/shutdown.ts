import type { Logger } from './logger.js';

/** One part of a running process, stopped by `run`, named for the log. */
type StopStep = { name: string; run: () => Promise<unknown> };

/**
 * What a process started, to stop in the reverse order: the HTTP server (no new work) first, then the dialer
 * (it records or hands over its live calls), the PBX connections, the live store and bus, the database last.
 * Each step is logged with how long it took; one that fails is logged and the rest still stop.
 */
export class Stops {
  private readonly steps: StopStep[] = [];

  add(name: string, run: () => Promise<unknown>): void {
    this.steps.push({ name, run });
  }

  /** Stops every step, last added first; false when one failed. */
  async stopAll(log: Logger): Promise<boolean> {
    let clean = true;
    for (const { name, run } of this.steps.splice(0).reverse()) {
      const startedAt = performance.now();
      log.info({ step: name }, 'stopping');
      try {
        await run();
        log.info({ step: name, ms: Math.round(performance.now() - startedAt) }, 'stopped');
      } catch (error) {
        clean = false;
        log.error({ err: error, step: name }, 'could not stop cleanly; going on');
      }
    }
    return clean;
  }
}

/** Where the signals come from and how the process ends: the process itself, or a test's stand-ins. */
export type SignalHost = {
  on(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  exit(code: number): void;
};

/**
 * Stops the process on SIGINT or SIGTERM: `stop` runs, then the process exits (0, or 1 when a step failed).
 * A second signal, or `boundMs` passing first, exits at once with 1: what was left running is taken over as
 * after a crash (another dialer, or this one on its next start, adopts its calls).
 */
export function stopOnSignals(options: { stop: () => Promise<boolean>; boundMs: number; log: Logger; host?: SignalHost }): void {
  const { stop, boundMs, log } = options;
  const host: SignalHost = options.host ?? { on: (signal, listener) => process.on(signal, listener), exit: (code) => process.exit(code) };
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now, without stopping the rest');
      return host.exit(1);
    }
    stopping = true;
    log.info({ signal, boundMs }, 'shutting down');
    const bound = setTimeout(() => {
      log.warn({ boundMs }, 'shutdown took longer than its bound: exiting now, without stopping the rest');
      host.exit(1);
    }, boundMs);
    stop().then(
      (clean) => {
        clearTimeout(bound);
        log.info({ clean }, 'shut down');
        host.exit(clean ? 0 : 1);
      },
      (error: unknown) => {
        clearTimeout(bound);
        log.error({ err: error }, 'shutdown failed');
        host.exit(1);
      },
    );
  };
  host.on('SIGINT', () => onSignal('SIGINT'));
  host.on('SIGTERM', () => onSignal('SIGTERM'));
}
