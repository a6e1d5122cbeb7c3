import { every, type Clock } from '../clock.js';
import type { SqlDriver } from '../db/driver.js';
import type { Logger } from '../logger.js';
import { beat, outliveOthers } from './heartbeat.js';

export type LivenessOptions = {
  driver: SqlDriver;
  owner: string;
  log: Logger;
  /** How often this process beats. */
  heartbeatMs: number;
  /** How long another process's silence lasts before its dialings are adopted. */
  deadAfterMs: number;
  /**
   * Called after a beat that ends a silence long enough for others to have taken this process for dead: what
   * another process adopted meanwhile is that one's now.
   */
  returned: () => Promise<void>;
  /** When to beat. */
  clock: Clock;
  /** A clock that only moves forward (milliseconds): how long since the last beat is measured on it. Default performance.now. */
  monotonic?: () => number;
};

/**
 * Whether this dialer process is seen alive by the others, from its own heartbeats (heartbeat.ts): it leases
 * nothing unless they surely see it alive, and adopts another's dialings only once a process cut off with it
 * had time to beat again.
 */
export class Liveness {
  private readonly monotonic: () => number;
  private beatAt = Number.NEGATIVE_INFINITY;
  // Since when its beats are continuous again after a gap (the database away): another process cut off with it
  // may not have beaten yet, so nothing is adopted before it had deadAfterMs to. From the start, at once.
  private continuousSince = Number.NEGATIVE_INFINITY;
  private gap = false;
  private beating: Promise<void> | undefined;
  private stopBeating: (() => void) | undefined;

  constructor(private readonly options: LivenessOptions) {
    this.monotonic = options.monotonic ?? (() => performance.now());
  }

  /** Seen alive by the others: a beat within half the time they wait before adopting its dialings. */
  alive(): boolean {
    return this.monotonic() - this.beatAt < this.options.deadAfterMs / 2;
  }

  mayAdopt(): boolean {
    return this.alive() && this.monotonic() - this.continuousSince >= this.options.deadAfterMs;
  }

  /** Beats every heartbeatMs from now on; the first beat is the one returned. */
  start(): Promise<void> {
    this.stopBeating = every(this.options.clock, this.options.heartbeatMs, () => void this.beatNow());
    return this.beatNow();
  }

  async stop(): Promise<void> {
    this.stopBeating?.();
    await this.beating;
  }

  /** One beat, unless one is under way (then that one): a failure is logged, and the process leases nothing until it beats again. */
  private beatNow(): Promise<void> {
    this.beating ??= this.heartbeat()
      .catch((error: unknown) => this.options.log.warn({ err: error }, 'dialer heartbeat failed; leasing nothing until it beats again'))
      .finally(() => (this.beating = undefined));
    return this.beating;
  }

  private async heartbeat(): Promise<void> {
    const { driver, owner } = this.options;
    const first = this.beatAt === Number.NEGATIVE_INFINITY && !this.gap;
    const returning = this.gap || (!first && !this.alive());
    try {
      await beat(driver, owner);
    } catch (error) {
      this.gap = true;
      throw error;
    }
    if (first && driver.kind === 'embedded') await outliveOthers(driver, owner);
    this.beatAt = this.monotonic();
    if (!returning) return;
    this.gap = false;
    this.continuousSince = this.beatAt;
    await this.options.returned();
  }
}
