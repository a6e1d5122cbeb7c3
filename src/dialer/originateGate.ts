/**
 * Spaces the originates sent to one PBX at least 1/perSecond seconds apart, in the order they ask: a burst
 * of originates is what a PBX (and the carrier behind it) takes worst.
 */
export class OriginateGate {
  private nextAt = 0;

  constructor(readonly perSecond: number) {}

  /** Resolves when the next originate may go. */
  async wait(): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.nextAt);
    this.nextAt = at + 1000 / this.perSecond;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  }
}
