/**
 * Simulated time. Asterisk's behaviour is all waits (ring 1 s, talk 4 s, originate timeouts), so tests run
 * the same script faster by scaling every wait down and the reported time up by one speed factor.
 */
export interface SimulatorClock {
  /** Simulated epoch milliseconds, used for Timestamp fields and uniqueids. */
  now(): number;
  /** Runs `run` after `ms` simulated milliseconds; returns a cancel function. */
  after(ms: number, run: () => void): () => void;
}

/** The wall clock sped up `speed` times (1 = real time). */
export function scaledClock(speed = 1, realNow: () => number = Date.now): SimulatorClock {
  if (!(speed > 0)) throw new RangeError(`simulator speed must be > 0 (got ${speed})`);
  const realStart = realNow();
  return {
    now: () => realStart + (realNow() - realStart) * speed,
    after(ms, run) {
      const timer = setTimeout(run, Math.max(0, ms / speed));
      return () => clearTimeout(timer);
    },
  };
}

/** `Timestamp:` as Asterisk writes it: seconds with microseconds. */
export function amiTimestamp(epochMs: number): string {
  return (epochMs / 1000).toFixed(6);
}

/** `EventTV:` / `SessionTV:` as Asterisk writes it (UTC, milliseconds, +0000). */
export function amiEventTv(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 23)}+0000`;
}
