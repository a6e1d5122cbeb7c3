import { delay, type Clock } from '../clock.js';
import type { SqlDriver } from '../db/driver.js';
import type { Logger } from '../logger.js';
import { recordAttempts, type FinishedAttempt } from './attempts.js';

/** Finished dialings recorded in one transaction at most. */
const RECORD_BATCH = 200;

/** How long a batch the database refused waits before it is tried again. */
const RETRY_AFTER_MS = 1_000;

/**
 * Attempts waiting to be recorded: each batch goes in one transaction, and the next gathers while it runs. A
 * batch the database refuses is kept and tried again (recording is idempotent, and this process still holds
 * the dialings' leases, so no other dialer would record them meanwhile).
 */
export class AttemptQueue {
  private readonly waiting: { attempt: FinishedAttempt; done: (recorded: boolean) => void }[] = [];
  private writing: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly driver: SqlDriver,
    private readonly log: Logger,
    private readonly clock: Clock,
  ) {}

  /** Records an attempt with whatever else ended meanwhile; false only when the dialer stopped first. */
  record(attempt: FinishedAttempt): Promise<boolean> {
    return new Promise((done) => {
      this.waiting.push({ attempt, done });
      this.writing ??= this.writeWaiting().finally(() => (this.writing = undefined));
    });
  }

  /** No more retries from now on: what the database still refuses is given up (another dialer adopts those dialings). */
  stopRetrying(): void {
    this.stopped = true;
  }

  /** Resolves once what is being written now is written (or given up). */
  async settled(): Promise<void> {
    await this.writing;
  }

  private async writeWaiting(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, RECORD_BATCH);
      try {
        await recordAttempts(this.driver, batch.map((entry) => entry.attempt));
        for (const entry of batch) entry.done(true);
      } catch (error) {
        this.log.error({ err: error, attempts: batch.length }, 'could not record attempts; trying again');
        this.waiting.unshift(...batch);
        await delay(this.clock, RETRY_AFTER_MS);
        if (this.stopped) {
          for (const entry of this.waiting.splice(0)) entry.done(false);
        }
      }
    }
  }
}
