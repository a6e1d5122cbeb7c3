import type { SqlConnection, SqlDriver } from '../db/driver.js';
import type { CallOutcome, MemberStatus } from '../generated/prisma/enums.js';

/** What happened to one dialing, as the tracker and the outcome rules settled it. */
export type AttemptResult = {
  outcome: CallOutcome;
  dialResult: number;
  dialResultText: string;
  hangupCause: number | null;
  hangupCauseText: string | null;
  amdStatus: string | null;
  amdCause: string | null;
  recordingFile: string | null;
  channel: string | null;
  linkedid: string | null;
  originatedAt: Date;
  answeredAt: Date | null;
  bridgedAt: Date | null;
  endedAt: Date;
  /** False when the call never left (the PBX was not reached): nothing is recorded, the member is simply freed. */
  sent: boolean;
};

/** A member's numbers after this attempt's try is counted, to decide what comes next. */
export type NumberTries = { slot: number; tryCount: number };

/** The attempt's own number and try (the Dialing's). */
export type AttemptTry = { slot: number; tryCount: number };

/** What the member becomes: dialed again (IDLE, not before nextAttemptAt) or finished (DONE). */
export type MemberNext = { status: Extract<MemberStatus, 'IDLE' | 'DONE'>; nextAttemptAt: Date | null };

export type Recorded = { recorded: boolean };

/** One finished dialing to record. */
export type FinishedAttempt = {
  dialingId: string;
  result: AttemptResult;
  decide: (numbers: NumberTries[], attempt: AttemptTry) => MemberNext;
};

/**
 * Several finished dialings in one transaction on one connection: calls that end together (a campaign's wave,
 * a PBX restart) are recorded without taking a connection and a commit each. All or none: a failure leaves
 * every one of them to be recorded again (each is idempotent).
 */
export async function recordAttempts(driver: SqlDriver, attempts: readonly FinishedAttempt[]): Promise<Recorded[]> {
  return driver.withConnection(
    async (connection) => {
      const recorded: Recorded[] = [];
      for (const attempt of attempts) recorded.push(await recordOn(connection, attempt));
      return recorded;
    },
    { transaction: true },
  );
}

/**
 * Turns a finished dialing into its CallAttempt, with everything it changes, inside the caller's transaction:
 * the number's tries and last results, the member's status and next attempt, and the Dialing row's removal.
 * The attempt's id is the dialing's, so recording it twice (a dialer that was thought dead and a claimer
 * both finishing it) writes it once: the second finds it there and only cleans up.
 */
async function recordOn(connection: SqlConnection, { dialingId, result, decide }: FinishedAttempt): Promise<Recorded> {
  const [dialing] = await connection.query<{ memberId: string; numberSlot: number; tryCount: number }>(
    'SELECT "memberId", "numberSlot", "tryCount" FROM "Dialing" WHERE id = $1 FOR UPDATE',
    [dialingId],
  );
  if (!dialing) return { recorded: false };
  const release = async (next: MemberNext) => {
    await connection.query('UPDATE "Member" SET status = $2::"MemberStatus", "nextAttemptAt" = $3, "updatedAt" = now() WHERE id = $1 AND status = \'DIALING\'', [
      dialing.memberId,
      next.status,
      next.nextAttemptAt,
    ]);
    await connection.query('DELETE FROM "Dialing" WHERE id = $1', [dialingId]);
  };
  if (!result.sent) {
    await release({ status: 'IDLE', nextAttemptAt: null });
    return { recorded: false };
  }
  const inserted = await connection.query(
    `INSERT INTO "CallAttempt" (id, "campaignId", "runId", "planId", "destinationId", "dialListId", "memberId", server, "numberSlot",
       "dialedNumber", "tryCount", "dialString", channel, uniqueid, linkedid, outcome, "dialResult", "dialResultText", "hangupCause",
       "hangupCauseText", "originatedAt", "answeredAt", "bridgedAt", "endedAt", "planSnapshot", "destinationSnapshot", variables,
       "amdStatus", "amdCause", "recordingFile")
     SELECT d.id, d."campaignId", d."runId", c."planId", c."destinationId", c."dialListId", d."memberId", d.server, d."numberSlot",
       d."dialedNumber", d."tryCount", d."dialString", $2, d.uniqueid, $3, $4::"CallOutcome", $5, $6, $7, $8, $9, $10, $11, $12,
       d."planSnapshot", d."destinationSnapshot", d.variables, $13, $14, $15
       FROM "Dialing" d JOIN "Campaign" c ON c.id = d."campaignId" WHERE d.id = $1
     ON CONFLICT (id) DO NOTHING
     RETURNING id`,
    [
      dialingId,
      result.channel,
      result.linkedid,
      result.outcome,
      result.dialResult,
      result.dialResultText,
      result.hangupCause,
      result.hangupCauseText,
      result.originatedAt,
      result.answeredAt,
      result.bridgedAt,
      result.endedAt,
      result.amdStatus,
      result.amdCause,
      result.recordingFile,
    ],
  );
  if (inserted.length === 0) {
    await connection.query('DELETE FROM "Dialing" WHERE id = $1', [dialingId]);
    return { recorded: false };
  }
  // The Dialing's try number, not an increment: the same attempt can only ever set the same count. A call the
  // dialer cancelled itself (a force stop) is recorded but uses up no try. The statement's own SELECT sees the
  // numbers as they were, so the counted one is read from what the UPDATE returned.
  const numbers = await connection.query<NumberTries>(
    `WITH counted AS (
       UPDATE "MemberNumber" SET "tryCount" = GREATEST("tryCount", $7), "lastDialAt" = $3, "lastHangupAt" = $4, "lastDialResult" = $5, "lastHangupCause" = $6
        WHERE "memberId" = $1 AND slot = $2
        RETURNING slot, "tryCount")
     SELECT n.slot, COALESCE(c."tryCount", n."tryCount") AS "tryCount"
       FROM "MemberNumber" n LEFT JOIN counted c ON c.slot = n.slot
      WHERE n."memberId" = $1 ORDER BY n.slot`,
    [dialing.memberId, dialing.numberSlot, result.originatedAt, result.endedAt, result.dialResult, result.hangupCause, result.outcome === 'CANCELLED' ? dialing.tryCount - 1 : dialing.tryCount],
  );
  const next = decide(numbers, { slot: dialing.numberSlot, tryCount: dialing.tryCount });
  await connection.query(
    `WITH gone AS (DELETE FROM "Dialing" WHERE id = $10)
     UPDATE "Member" SET "lastDialAt" = $2, "lastHangupAt" = $3, "lastDialResult" = $4, "lastDialResultText" = $5,
       "lastHangupCause" = $6, "lastHangupCauseText" = $7,
       status = CASE WHEN status = 'DIALING' THEN $8::"MemberStatus" ELSE status END,
       "nextAttemptAt" = CASE WHEN status = 'DIALING' THEN $9 ELSE "nextAttemptAt" END, "updatedAt" = now()
      WHERE id = $1`,
    [
      dialing.memberId,
      result.originatedAt,
      result.endedAt,
      result.dialResult,
      result.dialResultText,
      result.hangupCause,
      result.hangupCauseText,
      next.status,
      next.nextAttemptAt,
      dialingId,
    ],
  );
  return { recorded: true };
}
