import { delay, systemClock, type Clock } from '../clock.js';

/** How many originates a pace of `perSecond` lets out in a tick of `tickMs`: one at least, so a slow pace still moves. */
export function originatesPerTick(perSecond: number, tickMs: number): number {
  return Math.max(1, Math.ceil((perSecond * tickMs) / 1000));
}

/**
 * Spaces the originates sent to one PBX at least 1/perSecond seconds apart, in the order they ask: a burst
 * of originates is what a PBX (and the carrier behind it) takes worst.
 */
export class OriginateGate {
  /** The turns asked for so far, one after the other. */
  private turns: Promise<void> = Promise.resolve();
  private releasedAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly perSecond: number,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Resolves when the next originate may go. Counted from when the one before was let go, not from when it was
   * due: a timer that fires late delays the next one too, instead of letting two go closer together.
   */
  wait(): Promise<void> {
    const turn = this.turns.then(async () => {
      const wait = this.releasedAt + 1000 / this.perSecond - this.clock.now();
      if (wait > 0) await delay(this.clock, wait);
      this.releasedAt = this.clock.now();
    });
    this.turns = turn;
    return turn;
  }
}
