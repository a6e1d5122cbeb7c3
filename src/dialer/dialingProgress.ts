import { delay, systemClock, type Clock } from '../clock.js';
import type { SqlDriver } from '../db/driver.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import { changeLiveDialing, type CallResultChange } from '../outbound/callResults.js';

/** How far a live dialing has come, as the `dialings` query and a dialer taking it over read it. */
export type DialingProgress = {
  /** ORIGINATING with acceptedAt: the PBX took the Originate action, no channel yet. */
  status: 'ORIGINATING' | 'RINGING' | 'ANSWERED' | 'BRIDGED';
  channel: string | null;
  acceptedAt: number | null;
  answeredAt: number | null;
  bridgedAt: number | null;
};

const ORDER = { ORIGINATING: 0, RINGING: 1, ANSWERED: 2, BRIDGED: 3 } as const;

/** How soon what was noted is written: an answer on the row is what a dialer taking the call over trusts. */
const WRITE_WITHIN_MS = 50;
/** After a failed write (the database away), the next try waits this long; nothing noted is dropped. */
const RETRY_AFTER_MS = 1_000;

/**
 * The live dialings' progress, gathered for a few milliseconds and written in one statement: one UPDATE per
 * event would take a connection from originating and recording on every ring and answer, and a tick's wait
 * would leave an answer unwritten for a dialer that dies meanwhile.
 */
export class DialingProgressWriter {
  private readonly pending = new Map<string, DialingProgress>();
  private cancelWrite: (() => void) | undefined;
  private writing: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly driver: SqlDriver,
    private readonly log: Logger,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Keeps the furthest step a dialing reached, and every time and channel it has; written shortly. */
  note(id: string, progress: DialingProgress): void {
    const known = this.pending.get(id);
    this.pending.set(id, known ? merged(known, progress) : progress);
    this.writeIn(WRITE_WITHIN_MS);
  }

  /** Writes what was noted now (a dialer's tick, its stop); a failure keeps it for the next write. */
  async flush(): Promise<void> {
    this.cancelWrite?.();
    this.cancelWrite = undefined;
    while (this.writing) await this.writing;
    if (this.pending.size === 0) return;
    this.writing = this.write().finally(() => (this.writing = undefined));
    await this.writing;
  }

  /** Stops writing on its own; a last flush() writes what is left. */
  close(): void {
    this.closed = true;
    this.cancelWrite?.();
  }

  private writeIn(ms: number): void {
    if (this.cancelWrite !== undefined || this.closed) return;
    this.cancelWrite = this.clock.after(ms, () => {
      this.cancelWrite = undefined;
      this.flush().catch((error: unknown) => {
        this.log.warn({ err: error, dialings: this.pending.size }, 'could not write live dialings\' progress; trying again');
        this.writeIn(RETRY_AFTER_MS);
      });
    });
  }

  /** Writes what was noted; a dialing already recorded (its row gone) is simply not there to update. */
  private async write(): Promise<void> {
    const entries = [...this.pending];
    this.pending.clear();
    const epoch = (value: number | null) => (value === null ? null : value / 1000);
    try {
      // A dialing hangupDialing marked HANGUP stays so: a ring or answer noted before it must not hide it. The rows
      // are locked in id order first, as a recording batch locks them: one UPDATE locks in whatever order its plan
      // reads, and PostgreSQL found deadlocks between the two under a thousand calls.
      await this.driver.withConnection(async (connection) => {
        await connection.query('SELECT id FROM "Dialing" WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [entries.map(([id]) => id)]);
        await connection.query(
          `UPDATE "Dialing" d SET status = CASE WHEN d.status = 'HANGUP' THEN d.status ELSE v.status::"DialingStatus" END, channel = COALESCE(v.channel, d.channel),
             "acceptedAt" = COALESCE(to_timestamp(v.accepted) AT TIME ZONE 'UTC', d."acceptedAt"),
             "answeredAt" = COALESCE(to_timestamp(v.answered) AT TIME ZONE 'UTC', d."answeredAt"),
             "bridgedAt" = COALESCE(to_timestamp(v.bridged) AT TIME ZONE 'UTC', d."bridgedAt"), "updatedAt" = now()
            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::float8[]) AS v(id, status, channel, accepted, answered, bridged)
           WHERE d.id = v.id`,
          [
            entries.map(([id]) => id),
            entries.map(([, progress]) => progress.status),
            entries.map(([, progress]) => progress.channel),
            entries.map(([, progress]) => epoch(progress.acceptedAt)),
            entries.map(([, progress]) => epoch(progress.answeredAt)),
            entries.map(([, progress]) => epoch(progress.bridgedAt)),
          ],
        );
      }, { transaction: true });
    } catch (error) {
      // Noted again under what came meanwhile, so the furthest step still wins.
      for (const [id, progress] of entries) {
        const later = this.pending.get(id);
        this.pending.set(id, later ? merged(progress, later) : progress);
      }
      throw error;
    }
  }
}

function merged(known: DialingProgress, progress: DialingProgress): DialingProgress {
  return {
    status: ORDER[progress.status] > ORDER[known.status] ? progress.status : known.status,
    channel: progress.channel ?? known.channel,
    acceptedAt: progress.acceptedAt ?? known.acceptedAt,
    answeredAt: progress.answeredAt ?? known.answeredAt,
    bridgedAt: progress.bridgedAt ?? known.bridgedAt,
  };
}

/**
 * The dialplan's result changes of live dialings, written to their Dialing rows (where the API reads them and
 * the recording takes them into the attempt), each dialing's in order. A write the database refuses (it is
 * away) is tried again until it lands: each is all or none, so trying again never appends twice. The
 * recording waits for them.
 */
export class CallResultWriter {
  private readonly writes = new Map<string, Promise<void>>();
  private closed = false;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly log: Logger,
    private readonly clock: Clock = systemClock,
  ) {}

  write(dialingId: string, changes: readonly CallResultChange[]): void {
    const previous = this.writes.get(dialingId) ?? Promise.resolve();
    this.writes.set(dialingId, previous.then(() => this.writeUntilDone(dialingId, changes)));
  }

  /** Resolves once every change of the dialing is written (or given up on at close), and forgets it. */
  async settled(dialingId: string): Promise<void> {
    await this.writes.get(dialingId);
    this.writes.delete(dialingId);
  }

  /** Stops trying again: what has not landed by then is given up on (with a warning). */
  close(): void {
    this.closed = true;
  }

  private async writeUntilDone(dialingId: string, changes: readonly CallResultChange[]): Promise<void> {
    for (;;) {
      try {
        return await changeLiveDialing(this.prisma, dialingId, changes);
      } catch (error) {
        if (this.closed) return this.log.warn({ err: error, dialing: dialingId }, 'gave up storing a call result from the dialplan');
        this.log.warn({ err: error, dialing: dialingId }, 'could not store a call result from the dialplan yet; trying again');
        await delay(this.clock, RETRY_AFTER_MS);
      }
    }
  }
}
