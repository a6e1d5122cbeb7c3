/**
 * Time for whatever waits and stamps: the simulated PBX (whose behaviour is all waits: ring 1 s, talk 4 s,
 * originate timeouts) and the dialer. Production runs on the system clock; tests run the simulator faster
 * (scaledClock) or on a clock they move themselves (manualClock), so what happens does not follow the
 * machine's load.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Runs `run` after `ms` milliseconds of this clock; returns a cancel function. */
  after(ms: number, run: () => void): () => void;
}

/** The real clock and real timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, run) {
    const timer = setTimeout(run, Math.max(0, ms));
    return () => clearTimeout(timer);
  },
};

/** Resolves after `ms` milliseconds of `clock`. */
export function delay(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.after(ms, resolve));
}

/** Runs `run` every `ms` milliseconds of `clock` until the returned function is called. */
export function every(clock: Clock, ms: number, run: () => void): () => void {
  let cancel = clock.after(ms, function again() {
    cancel = clock.after(ms, again);
    run();
  });
  return () => cancel();
}

/** The wall clock sped up `speed` times (1 = real time). */
export function scaledClock(speed = 1, realNow: () => number = Date.now): Clock {
  if (!(speed > 0)) throw new RangeError(`clock speed must be > 0 (got ${speed})`);
  const realStart = realNow();
  return {
    now: () => realStart + (realNow() - realStart) * speed,
    after(ms, run) {
      const timer = setTimeout(run, Math.max(0, ms / speed));
      return () => clearTimeout(timer);
    },
  };
}

/** A clock that moves only when told: no real timer, so what happens does not depend on the machine's load. */
export interface ManualClock extends Clock {
  /**
   * Moves time forward by `ms`, running every wait that falls due on the way, in time order (same time: in the
   * order they were asked), each at its own moment; waits they ask for that fall due within `ms` run too.
   */
  advance(ms: number): void;
  /** How long until the next wait falls due; undefined when none is pending. */
  untilNext(): number | undefined;
}

type Wait = { at: number; order: number; run: () => void };

/** A ManualClock starting at `startMs` (epoch ms). */
export function manualClock(startMs: number): ManualClock {
  let now = startMs;
  let asked = 0;
  const waits: Wait[] = [];
  const due = (a: Wait, b: Wait) => a.at - b.at || a.order - b.order;
  return {
    now: () => now,
    after(ms, run) {
      const wait = { at: now + Math.max(0, ms), order: asked++, run };
      waits.push(wait);
      return () => {
        const index = waits.indexOf(wait);
        if (index !== -1) waits.splice(index, 1);
      };
    },
    advance(ms) {
      if (!(ms >= 0)) throw new RangeError(`a clock moves forward only (asked to move ${ms} ms)`);
      const until = now + ms;
      for (;;) {
        waits.sort(due);
        const next = waits[0];
        if (next === undefined || next.at > until) break;
        waits.shift();
        now = next.at;
        next.run();
      }
      now = until;
    },
    untilNext() {
      const next = waits.reduce<Wait | undefined>((first, wait) => (first === undefined || due(wait, first) < 0 ? wait : first), undefined);
      return next === undefined ? undefined : next.at - now;
    },
  };
}
