import type { SqlConnection, SqlDriver } from '../db/driver.js';
import type { CallOutcome, DialingStatus, MemberStatus } from '../generated/prisma/enums.js';
import type { UsableRescheduleRule } from '../outbound/rescheduleRules.js';
import { enqueueDeliveries } from '../webhooks/outbox.js';

/** What happened to one dialing, as the tracker and the outcome rules settled it. */
export type AttemptResult = {
  outcome: CallOutcome;
  dialResult: number;
  dialResultText: string;
  hangupCause: number | null;
  hangupCauseText: string | null;
  amdStatus: string | null;
  amdCause: string | null;
  /** The plan's machineMessage was played to the machine to its end. */
  messageLeft: boolean;
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

/** A member's numbers after this attempt's try is counted, to decide what comes next; stopped ones are never dialed again. */
export type NumberTries = { slot: number; tryCount: number; stopped: boolean; type: string | null };

/** The attempt's own number and try (the Dialing's). */
export type AttemptTry = { slot: number; tryCount: number };

/** What the recording found beside the numbers: the outcome it records, the call's completion code, the campaign's reschedule rules. */
export type AttemptFacts = { outcome: CallOutcome; completionCode: string | null; rules: readonly UsableRescheduleRule[] };

/**
 * What the member becomes: dialed again (IDLE, not before nextAttemptAt) or finished (DONE); the reschedule
 * rule that decided it and the seconds until the next try (null when not retried), kept on the attempt; and,
 * with the plan's waitForResult, until when the member waits for settleMember.
 */
export type MemberNext = {
  status: Extract<MemberStatus, 'IDLE' | 'DONE'>;
  nextAttemptAt: Date | null;
  rescheduleRuleId: string | null;
  rescheduleSec: number | null;
  resultDueAt: Date | null;
};

export type Recorded = { recorded: boolean };

type DialingFacts = {
  memberId: string;
  campaignId: string;
  numberSlot: number;
  tryCount: number;
  completionCode: string | null;
  status: DialingStatus;
  numbers: NumberTries[];
  rules: UsableRescheduleRule[];
  notified: boolean;
};

/** One finished dialing to record. */
export type FinishedAttempt = {
  dialingId: string;
  result: AttemptResult;
  decide: (numbers: NumberTries[], attempt: AttemptTry, facts: AttemptFacts) => MemberNext;
};

/**
 * Several finished dialings in one transaction on one connection: calls that end together (a campaign's wave,
 * a PBX restart) are recorded without taking a connection and a commit each. All or none: a failure leaves
 * every one of them to be recorded again (each is idempotent). The attempts written are counted into their
 * runs' outcome totals in the same transaction, once for the batch and in key order, so that two dialers
 * counting into the same runs wait for each other rather than deadlock. Results come in the order given.
 */
export async function recordAttempts(driver: SqlDriver, attempts: readonly FinishedAttempt[]): Promise<Recorded[]> {
  // Each dialing's row is locked as it is recorded: in id order, as the progress writer locks them, so a batch and
  // a progress write that share dialings wait for each other instead of deadlocking.
  const inLockOrder = attempts.map((attempt, index) => ({ attempt, index })).sort((a, b) => (a.attempt.dialingId < b.attempt.dialingId ? -1 : a.attempt.dialingId > b.attempt.dialingId ? 1 : 0));
  return driver.withConnection(
    async (connection) => {
      const recorded: Recorded[] = new Array<Recorded>(attempts.length);
      for (const { attempt, index } of inLockOrder) recorded[index] = await recordOn(connection, attempt);
      const written = attempts.filter((_, index) => recorded[index]?.recorded).map((attempt) => attempt.dialingId);
      if (written.length > 0) {
        await connection.query(
          `INSERT INTO "RunOutcome" ("runId", outcome, count, bridged)
           SELECT "runId", outcome, count(*)::int, count("bridgedAt")::int FROM "CallAttempt" WHERE id = ANY($1::uuid[])
            GROUP BY "runId", outcome ORDER BY "runId", outcome
           ON CONFLICT ("runId", outcome) DO UPDATE SET count = "RunOutcome".count + EXCLUDED.count, bridged = "RunOutcome".bridged + EXCLUDED.bridged`,
          [written],
        );
      }
      return recorded;
    },
    { transaction: true },
  );
}

/**
 * A member the dialer holds: being dialed, or reserved for a preview agent (a reservation dialed or run out
 * ends here too). Anything else was set by a person meanwhile (terminated, done by hand) and is kept.
 */
const HELD_BY_DIALER = `status IN ('DIALING', 'RESERVED')`;

/**
 * Turns a finished dialing into its CallAttempt, with everything it changes, inside the caller's transaction:
 * the number's tries and last results, the member's status and next attempt (reschedule rules first, then the
 * plan), the dialing's completion code and outputs, and the Dialing row's removal.
 * The attempt's id is the dialing's, so recording it twice (a dialer that was thought dead and a claimer
 * both finishing it) writes it once: the second finds it there and only cleans up.
 */
async function recordOn(connection: SqlConnection, { dialingId, result, decide }: FinishedAttempt): Promise<Recorded> {
  // Everything the decision needs in one round trip: the dialing, the member's numbers, the campaign's rules with
  // how often each already rescheduled this member, and whether anyone is to be notified.
  const [dialing] = await connection.query<DialingFacts>(
    `SELECT d."memberId", d."campaignId", d."numberSlot", d."tryCount", d."completionCode", d.status,
       COALESCE((SELECT jsonb_agg(jsonb_build_object('slot', n.slot, 'tryCount', n."tryCount", 'stopped', n.stopped, 'type', n.type) ORDER BY n.slot)
                   FROM "MemberNumber" n WHERE n."memberId" = d."memberId"), '[]'::jsonb) AS numbers,
       COALESCE((SELECT jsonb_agg(jsonb_build_object('id', r.id, 'outcome', r.outcome, 'completionCode', r."completionCode", 'maxAttempts', r."maxAttempts",
                   'retryAfterSec', r."retryAfterSec", 'used',
                   (SELECT count(*) FROM "CallAttempt" a WHERE a."memberId" = d."memberId" AND a."rescheduleRuleId" = r.id AND a."rescheduleSec" IS NOT NULL))
                   ORDER BY r.position, r.id)
                   FROM "RescheduleRule" r WHERE r."campaignId" = d."campaignId"), '[]'::jsonb) AS rules,
       EXISTS (SELECT 1 FROM "Webhook" w WHERE w."campaignId" = d."campaignId" AND w.enabled) AS notified
       FROM "Dialing" d WHERE d.id = $1 FOR UPDATE OF d`,
    [dialingId],
  );
  if (!dialing) return { recorded: false };
  const release = async (next: Pick<MemberNext, 'status' | 'nextAttemptAt'>) => {
    await connection.query(`UPDATE "Member" SET status = $2::"MemberStatus", "nextAttemptAt" = $3, "updatedAt" = now() WHERE id = $1 AND ${HELD_BY_DIALER}`, [
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
  // Ended by hangupDialing before anyone answered: like a force stop, cancelled, and no try counts.
  const outcome: CallOutcome = dialing.status === 'HANGUP' && result.answeredAt === null ? 'CANCELLED' : result.outcome;
  const countedTries = outcome === 'CANCELLED' ? dialing.tryCount - 1 : dialing.tryCount;
  // Decided before the insert, so the attempt row carries its reschedule from the start (webhooks read it).
  // The Dialing's try number, not an increment: the same attempt can only ever set the same count.
  // A number that does not exist (unallocated, Q.850 1) is never dialed again: the member goes on with its others.
  const unallocated = outcome === 'UNALLOCATED';
  const numbers = dialing.numbers.map((number) =>
    number.slot === dialing.numberSlot ? { ...number, tryCount: Math.max(number.tryCount, countedTries), stopped: number.stopped || unallocated } : number,
  );
  const next = decide(numbers, { slot: dialing.numberSlot, tryCount: dialing.tryCount }, { outcome, completionCode: dialing.completionCode, rules: dialing.rules });
  const inserted = await connection.query(
    `INSERT INTO "CallAttempt" (id, "campaignId", "runId", "planId", "destinationId", "dialListId", "memberId", server, "numberSlot",
       "dialedNumber", "tryCount", "dialString", channel, uniqueid, linkedid, outcome, "dialResult", "dialResultText", "hangupCause",
       "hangupCauseText", "originatedAt", "answeredAt", "bridgedAt", "endedAt", "planSnapshot", "destinationSnapshot", variables,
       "amdStatus", "amdCause", "recordingFile", "completionCode", outputs, "rescheduleRuleId", "rescheduleSec", "trunkId", "failedTrunkIds", "messageLeft")
     SELECT d.id, d."campaignId", d."runId", c."planId", c."destinationId",
       COALESCE((SELECT m."dialListId" FROM "Member" m WHERE m.id = d."memberId"), c."dialListId"), d."memberId", d.server, d."numberSlot",
       d."dialedNumber", d."tryCount", d."dialString", $2, d.uniqueid, $3, $4::"CallOutcome", $5, $6, $7, $8, $9, $10, $11, $12,
       d."planSnapshot", d."destinationSnapshot", d.variables, $13, $14, $15, d."completionCode", d.outputs, $16::uuid, $17, d."trunkId", d."failedTrunkIds", $18
       FROM "Dialing" d JOIN "Campaign" c ON c.id = d."campaignId" WHERE d.id = $1
     ON CONFLICT (id) DO NOTHING
     RETURNING id`,
    [
      dialingId,
      result.channel,
      result.linkedid,
      outcome,
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
      next.rescheduleRuleId,
      next.rescheduleSec,
      result.messageLeft,
    ],
  );
  if (inserted.length === 0) {
    await connection.query('DELETE FROM "Dialing" WHERE id = $1', [dialingId]);
    return { recorded: false };
  }
  if (dialing.notified) await enqueueDeliveries(connection, dialingId);
  await connection.query(
    `WITH gone AS (DELETE FROM "Dialing" WHERE id = $10),
     counted AS (
       UPDATE "MemberNumber" SET "tryCount" = GREATEST("tryCount", $13), "lastDialAt" = $2, "lastHangupAt" = $3, "lastDialResult" = $4,
         "lastHangupCause" = $6, stopped = stopped OR $14
        WHERE "memberId" = $1 AND slot = $12)
     UPDATE "Member" SET "lastDialAt" = $2, "lastHangupAt" = $3, "lastDialResult" = $4, "lastDialResultText" = $5,
       "lastHangupCause" = $6, "lastHangupCauseText" = $7,
       status = CASE WHEN ${HELD_BY_DIALER} THEN $8::"MemberStatus" ELSE status END,
       "nextAttemptAt" = CASE WHEN ${HELD_BY_DIALER} THEN $9 ELSE "nextAttemptAt" END,
       "resultDueAt" = CASE WHEN ${HELD_BY_DIALER} THEN $11 ELSE "resultDueAt" END, "updatedAt" = now()
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
      next.resultDueAt,
      dialing.numberSlot,
      countedTries,
      unallocated,
    ],
  );
  return { recorded: true };
}
