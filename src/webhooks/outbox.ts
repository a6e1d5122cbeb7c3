import type { SqlConnection } from '../db/driver.js';

// A UUIDv7 made in SQL (PostgreSQL 15 has no uuidv7()): the millisecond clock over a random v4, version bits set to 7.
const UUID_V7 = `encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing
  substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid`;

const ISO = (column: string) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * What a receiver gets for one attempt: WombatDialer's notification fields (number, currentNumber, listName,
 * state, extState, retry, reschedule, asteriskId, dialingId, input attributes as I_*, outputs as O_*) and ours.
 */
const PAYLOAD = `jsonb_build_object(
    'dialingId', a.id,
    'campaignId', a."campaignId",
    'runId', a."runId",
    'memberId', a."memberId",
    'externalKey', m."externalKey",
    'number', (SELECT n.number FROM "MemberNumber" n WHERE n."memberId" = a."memberId" ORDER BY n.slot LIMIT 1),
    'currentNumber', a."dialedNumber",
    'listName', l.name,
    'state', a.outcome,
    'extState', a."completionCode",
    'retry', a."tryCount",
    'reschedule', COALESCE(a."rescheduleSec", 0),
    'asteriskId', a.uniqueid,
    'dialResult', a."dialResult",
    'dialResultText', a."dialResultText",
    'hangupCause', a."hangupCause",
    'hangupCauseText', a."hangupCauseText",
    'originatedAt', ${ISO('a."originatedAt"')},
    'answeredAt', ${ISO('a."answeredAt"')},
    'endedAt', ${ISO('a."endedAt"')})
  || COALESCE((SELECT jsonb_object_agg('I_' || v.key, v.value) FROM jsonb_each(m.variables) v), '{}'::jsonb)
  || COALESCE((SELECT jsonb_object_agg('O_' || o.key, o.value) FROM jsonb_each(a.outputs) o), '{}'::jsonb)`;

/**
 * Writes the notifications of one recorded attempt into the outbox, one per enabled webhook of its campaign,
 * inside the caller's transaction: the attempt and its notifications are stored together or not at all.
 * One statement, so a batch of attempts costs one round trip each whatever the number of webhooks.
 */
export async function enqueueDeliveries(connection: SqlConnection, attemptId: string): Promise<void> {
  await connection.query(
    `INSERT INTO "WebhookDelivery" (id, "webhookId", "attemptId", "memberId", payload)
     SELECT ${UUID_V7}, w.id, a.id, a."memberId", ${PAYLOAD}
       FROM "CallAttempt" a
       JOIN "Webhook" w ON w."campaignId" = a."campaignId" AND w.enabled
       JOIN "DialList" l ON l.id = a."dialListId"
       LEFT JOIN "Member" m ON m.id = a."memberId"
      WHERE a.id = $1
      ORDER BY w.id
     ON CONFLICT ("webhookId", "attemptId") DO NOTHING`,
    [attemptId],
  );
}
