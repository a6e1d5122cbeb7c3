import type { SqlDriver } from '../db/driver.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import { changeLiveDialing, type CallResultChange } from '../outbound/callResults.js';

/** How far a live dialing has come, as the `dialings` query and a dialer taking it over read it. */
export type DialingProgress = { status: 'RINGING' | 'ANSWERED' | 'BRIDGED'; channel: string | null; answeredAt: number | null; bridgedAt: number | null };

const ORDER = { RINGING: 0, ANSWERED: 1, BRIDGED: 2 } as const;

/**
 * The live dialings' progress, gathered between writes and written in one statement: one UPDATE per event
 * would take a connection from originating and recording on every ring and answer.
 */
export class DialingProgressWriter {
  private readonly pending = new Map<string, DialingProgress>();

  constructor(private readonly driver: SqlDriver) {}

  /** Keeps the furthest step a dialing reached, and every time and channel it has. */
  note(id: string, progress: DialingProgress): void {
    const known = this.pending.get(id);
    if (!known) return void this.pending.set(id, progress);
    this.pending.set(id, {
      status: ORDER[progress.status] > ORDER[known.status] ? progress.status : known.status,
      channel: progress.channel ?? known.channel,
      answeredAt: progress.answeredAt ?? known.answeredAt,
      bridgedAt: progress.bridgedAt ?? known.bridgedAt,
    });
  }

  /** Writes what was noted; a dialing already recorded (its row gone) is simply not there to update. */
  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const entries = [...this.pending];
    this.pending.clear();
    const epoch = (value: number | null) => (value === null ? null : value / 1000);
    // A dialing hangupDialing marked HANGUP stays so: a ring or answer noted before it must not hide it.
    await this.driver.withConnection((connection) =>
      connection.query(
        `UPDATE "Dialing" d SET status = CASE WHEN d.status = 'HANGUP' THEN d.status ELSE v.status::"DialingStatus" END, channel = COALESCE(v.channel, d.channel),
           "answeredAt" = COALESCE(to_timestamp(v.answered) AT TIME ZONE 'UTC', d."answeredAt"),
           "bridgedAt" = COALESCE(to_timestamp(v.bridged) AT TIME ZONE 'UTC', d."bridgedAt"), "updatedAt" = now()
          FROM unnest($1::uuid[], $2::text[], $3::text[], $4::float8[], $5::float8[]) AS v(id, status, channel, answered, bridged)
         WHERE d.id = v.id`,
        [
          entries.map(([id]) => id),
          entries.map(([, progress]) => progress.status),
          entries.map(([, progress]) => progress.channel),
          entries.map(([, progress]) => epoch(progress.answeredAt)),
          entries.map(([, progress]) => epoch(progress.bridgedAt)),
        ],
      ),
    );
  }
}

/**
 * The dialplan's result changes of live dialings, written to their Dialing rows (where the API reads them and
 * the recording takes them into the attempt), each dialing's in order. The recording waits for them.
 */
export class CallResultWriter {
  private readonly writes = new Map<string, Promise<void>>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly log: Logger,
  ) {}

  write(dialingId: string, changes: readonly CallResultChange[]): void {
    const previous = this.writes.get(dialingId) ?? Promise.resolve();
    const next = previous
      .then(() => changeLiveDialing(this.prisma, dialingId, changes))
      .catch((error: unknown) => this.log.warn({ err: error, dialing: dialingId }, 'could not store a call result from the dialplan'));
    this.writes.set(dialingId, next);
  }

  /** Resolves once every change of the dialing is written (or given up on), and forgets it. */
  async settled(dialingId: string): Promise<void> {
    await this.writes.get(dialingId);
    this.writes.delete(dialingId);
  }
}
