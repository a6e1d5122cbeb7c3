import { uuid7 } from '../db/uuid7.js';
import type { AmiFieldValue } from '../ami/connection.js';
import type { SqlConnection, SqlDriver } from '../db/driver.js';
import type { DialList, Member } from '../generated/prisma/client.js';
import type { NumberStrategy } from '../generated/prisma/enums.js';
import { ownerDead } from './heartbeat.js';
import type { NumberRules } from '../outbound/numberTypes.js';
import { numberRulesSql } from '../outbound/numberTypesSql.js';
import { chooseNumber, type NumberCandidate } from './numberChoice.js';

/**
 * Taking members to dial, safely with several dialer processes on several machines: per campaign, one
 * process at a time decides how many (a transaction-scoped advisory lock, so two processes never both
 * fill the same free seats), and the members are taken with FOR UPDATE SKIP LOCKED and marked DIALING in
 * the same transaction as their Dialing rows, so none is ever dialed twice at once. A Dialing carries its
 * owner; a process that dies stops beating (heartbeat.ts), and another claims its dialings (claimOrphaned).
 */

/** `maxRetries` and `numberTypes`: the plan's rules for the member's numbers. */
export type LeaseCampaign = NumberRules & {
  id: string;
  runId: string;
  dialListId: string;
  numberStrategy: NumberStrategy;
  /** The campaign's zone: a member's, and so its numbers' type hours, when it has none of its own. */
  timezone: string;
  /** The daily window each member is called in, in its own timezone (the campaign's when it has none). */
  memberWindow: { timezone: string; start: string; end: string } | null;
};

export type LeasedMember = {
  id: string;
  name: string | null;
  externalKey: string | null;
  variables: Record<string, string>;
  number: NumberCandidate;
  /** The list the member is on: the campaign's own, or one added to it (CampaignList CALLS). */
  dialList: MemberList;
};

export type MemberList = { id: string; name: string; variables: Record<string, string> };

type StoredMember = Pick<Member, 'id' | 'name' | 'externalKey' | 'variables'> & { numbers: NumberCandidate[]; dialList: Pick<DialList, 'id' | 'name' | 'variables'> };

/** A member read back with its numbers and list, as a dialing of its number `slot` is prepared with; null when that number is gone. */
export function leasedMemberOf(member: StoredMember, slot: number): LeasedMember | null {
  const number = member.numbers.find((candidate) => candidate.slot === slot);
  if (!number) return null;
  const { dialList } = member;
  return {
    id: member.id,
    name: member.name,
    externalKey: member.externalKey,
    variables: member.variables as Record<string, string>,
    number,
    dialList: { id: dialList.id, name: dialList.name, variables: dialList.variables as Record<string, string> },
  };
}

/** What the dialing will send, prepared from the member and the number (dial string, variables, snapshots). */
export type PreparedDialing = {
  server: string;
  dialString: string;
  variables: Record<string, string>;
  /** The Originate's fields, ready to send; null when the member cannot be dialed as it is (see problem). */
  originate: Readonly<Record<string, AmiFieldValue>> | null;
  /** Why the dialing cannot be sent (a value Asterisk would misread): it is recorded as failed, never sent. */
  problem: string | null;
  /** Why it is not sent now, though it could be (every trunk that takes the number is full): given back untried. */
  notNow: string | null;
  /** The plan's trunk it goes through; null: the plan's own trunkName. */
  trunkId: string | null;
  planSnapshot: unknown;
  destinationSnapshot: unknown;
  /** The Uniqueid its call is originated with (ChannelId): the dialing's id, or another after a failover. */
  uniqueid: string;
  /** The Local channel's ;2 leg id, when the dial string is a Local channel. */
  otherUniqueid: string | null;
};

export type LeasedDialing = PreparedDialing & {
  id: string;
  memberId: string;
  numberSlot: number;
  dialedNumber: string;
  tryCount: number;
};

/**
 * A campaign's dialings in every process: all of them and those not answered yet; and, by trunk (roomKey), the
 * ids of the calls placed or being placed through the plan's trunks by any campaign on the server (through its
 * own trunkName: by this campaign).
 */
export type LiveCounts = { total: number; unanswered: number; trunkCalls: Record<string, string[]> };

export type LeaseRequest = {
  campaign: LeaseCampaign;
  owner: string;
  now: Date;
  /** How many to take, given the campaign's live dialings across every process (read under the lock). */
  howMany: (live: LiveCounts) => number;
  /** The server and the plan's trunks whose calls to count (LiveCounts.trunkCalls); none counted without. */
  trunks?: { server: string; ids: string[] };
  prepare: (member: LeasedMember, dialing: { id: string; tryCount: number }) => PreparedDialing;
  /**
   * How many rounds to look for members (1 unless given): with several trunks, a member whose every trunk is
   * full now is passed over, left as it was, and another round takes the next ones in its place.
   */
  lookAhead?: number;
  /** PREVIEW: hold the members for this agent (RESERVED) instead of dialing them now, until reservedUntil. */
  reserveFor?: string;
  reservedUntil?: Date;
};

export async function leaseDialings(driver: SqlDriver, request: LeaseRequest): Promise<LeasedDialing[]> {
  return driver.withConnection(
    async (connection) => {
      const { campaign, now } = request;
      await connection.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', ['switchboard.dialer.lease', campaign.id]);
      const [counts] = await connection.query<Omit<LiveCounts, 'trunkCalls'>>(
        `SELECT count(*)::int AS total, (count(*) FILTER (WHERE status IN ('PENDING', 'ORIGINATING', 'RINGING')))::int AS unanswered
           FROM "Dialing" WHERE "campaignId" = $1`,
        [campaign.id],
      );
      const trunkCalls = request.trunks ? await callsOnTrunks(connection, campaign.id, request.trunks) : {};
      const wanted = Math.max(0, Math.floor(request.howMany({ total: counts?.total ?? 0, unanswered: counts?.unanswered ?? 0, trunkCalls })));
      if (wanted === 0) return [];
      const leased: LeasedDialing[] = [];
      const passedOver: string[] = [];
      // Each round takes what is still wanted; a member passed over stays DIALING until the end, so the next round
      // skips it and looks further down the list.
      for (let round = 0; round < Math.max(1, request.lookAhead ?? 1) && leased.length < wanted; round++) {
        const members = await takeMembers(connection, campaign, now, wanted - leased.length, request.reserveFor ?? null);
        if (members.length === 0) break;
        const numbers = await numbersOf(connection, campaign, now, members.map((member) => member.id));
        const lists = await listsOf(connection, members.map((member) => member.dialListId));
        for (const { dialListId, ...member } of members) {
          const number = chooseNumber(numbers.get(member.id) ?? [], campaign, campaign.numberStrategy);
          // Taken because it had a number open now with tries left: none can be missing, but stay safe.
          if (!number) {
            passedOver.push(member.id);
            continue;
          }
          const id = uuid7(now.getTime());
          const tryCount = number.tryCount + 1;
          const prepared = request.prepare({ ...member, number, dialList: lists.get(dialListId) as MemberList }, { id, tryCount });
          if (prepared.notNow !== null) passedOver.push(member.id);
          else leased.push({ ...prepared, id, memberId: member.id, numberSlot: number.slot, dialedNumber: number.number, tryCount });
        }
      }
      // Back as they were, untried, in the same transaction: nothing else saw them taken.
      if (passedOver.length > 0) await connection.query(`UPDATE "Member" SET status = 'IDLE' WHERE id = ANY($1::uuid[])`, [passedOver]);
      await insertDialings(connection, campaign, request, leased);
      return leased;
    },
    { transaction: true },
  );
}

/**
 * The calls placed or being placed through each trunk on the server, by roomKey ('' for the campaign's own
 * trunkName): the Uniqueids they were originated with, which their legs on the trunk carry as linkedid.
 */
export async function callsOnTrunks(connection: SqlConnection, campaignId: string, trunks: { server: string; ids: string[] }): Promise<Record<string, string[]>> {
  const rows = await connection.query<{ trunk: string; ids: string[] }>(
    `SELECT coalesce("trunkId"::text, '') AS trunk, array_agg(coalesce(uniqueid, id::text)) AS ids FROM "Dialing"
      WHERE server = $1 AND status <> 'RESERVED' AND ("trunkId" = ANY($2::uuid[]) OR ("trunkId" IS NULL AND "campaignId" = $3))
      GROUP BY 1`,
    [trunks.server, trunks.ids, campaignId],
  );
  return Object.fromEntries(rows.map((row) => [row.trunk, row.ids]));
}

/**
 * Whether the number whose normalised form is `normalized` is on a do-not-call list of campaign
 * `campaignParam`: a list every campaign obeys (blacklistForAll) or one the campaign was given (CampaignList
 * BLACKLIST), in an entry whose blacklisting was not cancelled, as a number not cancelled itself. Compared
 * normalised, so +351 912 345 678 on the list blocks 912345678 in a Portuguese list. Checked at lease time, so
 * a number added to a list mid-campaign is never dialed again.
 */
export function blacklisted(normalized: string, campaignParam: string): string {
  return `EXISTS (SELECT 1 FROM "MemberNumber" b JOIN "Member" bm ON bm.id = b."memberId" AND bm."blacklistCancelledAt" IS NULL
     WHERE b.normalized = ${normalized} AND NOT b.stopped AND b."dialListId" IN (
       SELECT l.id FROM "DialList" l WHERE l."blacklistForAll" AND l."inUse"
       UNION ALL SELECT cl."dialListId" FROM "CampaignList" cl WHERE cl."campaignId" = ${campaignParam}::uuid AND cl.role = 'BLACKLIST'))`;
}

/**
 * The condition that member `m` is inside the campaign's member window at `now` (a parameter), or null without
 * one; the window's zone, start and end are pushed onto `params`.
 */
export function inMemberWindow(window: LeaseCampaign['memberWindow'], now: string, params: unknown[]): string | null {
  if (window === null) return null;
  params.push(window.timezone, window.start, window.end);
  const [zone, start, end] = [params.length - 2, params.length - 1, params.length].map((index) => `$${index}`);
  const local = `(${now}::timestamptz AT TIME ZONE coalesce(m.timezone, ${zone}))::time`;
  // A window that crosses midnight (22:00-02:00) is the time after its start or before its end.
  return `CASE WHEN ${start}::time < ${end}::time THEN ${local} >= ${start}::time AND ${local} < ${end}::time
               ELSE ${local} >= ${start}::time OR ${local} < ${end}::time END`;
}

/**
 * A number of member `m` the campaign may dial at `now` (an SQL timestamp): not stopped, tries left, inside its
 * type's hours, on no do-not-call list of campaign `campaignParam`; the plan's rules are pushed onto `params`.
 * For a `LATERAL (...)`, so it is one probe a member (as `EXISTS`, the planner may hash every number of the table).
 */
export function callableNumber(campaign: LeaseCampaign, now: string, campaignParam: string, params: unknown[]): string {
  const rules = numberRulesSql(campaign, params);
  return `SELECT 1 FROM "MemberNumber" n
           WHERE n."memberId" = m.id AND NOT n.stopped AND ${rules.triesLeft()} AND ${rules.openAt(now, campaign.timezone)}
             AND NOT ${blacklisted('n.normalized', campaignParam)}
           LIMIT 1`;
}

type MemberRow = { id: string; name: string | null; externalKey: string | null; variables: Record<string, string>; dialListId: string };

/** When a member is next due: now when it has never been tried (nextAttemptAt NULL), as the Member_*_dialable indexes hold it. */
export const DUE_AT = `COALESCE(m."nextAttemptAt", '-infinity'::timestamp)`;

/**
 * `lists`: the campaign's own list (`list`), then the lists added to it that are not paused, in their order
 * (WombatDialer's runlists); `levels`: each list's priorities among its IDLE members, highest first, found by a
 * loose index scan (one probe of the (dialListId, status, priority) index each). For `WITH RECURSIVE`.
 */
export function listLevels(list: string, campaign: string): string {
  const levelOf = (direction: 'first' | 'next', of: string, below: string) =>
    `(SELECT m.priority FROM "Member" m WHERE m."dialListId" = ${of} AND m.status = 'IDLE' ${below} ORDER BY m.priority DESC LIMIT 1) ${direction}`;
  return `lists AS (
       SELECT ${list}::uuid AS id, -1 AS position
       UNION ALL SELECT cl."dialListId", cl.position FROM "CampaignList" cl WHERE cl."campaignId" = ${campaign}::uuid AND cl.role = 'CALLS' AND NOT cl.paused),
     levels AS (
       SELECT lists.id AS list, lists.position, first.priority FROM lists CROSS JOIN LATERAL ${levelOf('first', 'lists.id', '')}
       UNION ALL
       SELECT levels.list, levels.position, next.priority FROM levels CROSS JOIN LATERAL ${levelOf('next', 'levels.list', 'AND m.priority < levels.priority')})`;
}

/**
 * Members to dial now, marked DIALING (or RESERVED for a preview agent), in this order: due scheduled calls
 * (addCall, callbacks) first, then a preview agent's own members, then by list (the campaign's own, then the
 * lists added to it), priority, due time and id. A member meant for one agent (Member.agent: a callback,
 * uContact's agentphone) is offered to no other preview agent.
 *
 * The cost does not grow with the list: each (list, priority) level of IDLE members is read in due order from a
 * partial index and stops after `limit` callable members, whatever the list holds behind them; the levels
 * themselves are found by a loose index scan (one probe each). Scheduled calls and an agent's own members come
 * from partial indexes of their own, read the same way, so every branch returns the first `limit` of its level
 * in the final order. A member is callable with a number that has tries left, is inside its type's hours and
 * is on no do-not-call list, checked member by member (LATERAL ... LIMIT 1) so the planner cannot turn it into
 * a pass over every number.
 * Two campaigns sharing a list both see the same first members: what the other locked is skipped this tick.
 */
async function takeMembers(connection: SqlConnection, campaign: LeaseCampaign, now: Date, limit: number, reserveFor: string | null): Promise<MemberRow[]> {
  const status = reserveFor === null ? 'DIALING' : 'RESERVED';
  const params: unknown[] = [campaign.dialListId, now, limit, status, campaign.id, reserveFor];
  const inHours = inMemberWindow(campaign.memberWindow, '$2', params);
  const window = inHours === null ? '' : `AND ${inHours}`;
  const callable = callableNumber(campaign, '$2', '$5', params);
  /** The first `limit` callable members of one level that `only` also holds, in `order`. */
  const firstOfLevel = (only: string, order: string) => `
    SELECT m.id, m."scheduledAt" IS NOT NULL AS scheduled, COALESCE(m.agent = $6, false) AS own, levels.position, m.priority, ${DUE_AT} AS "dueAt"
      FROM "Member" m
      CROSS JOIN LATERAL (${callable}) callable
     WHERE m."dialListId" = levels.list AND m.status = 'IDLE' AND m.priority = levels.priority AND ${DUE_AT} <= $2 ${only}
       AND (m."expiresAt" IS NULL OR m."expiresAt" > $2)
       AND (m."resultDueAt" IS NULL OR m."resultDueAt" <= $2)
       AND ($6::text IS NULL OR m.agent IS NULL OR m.agent = $6)
       ${window}
     ORDER BY ${order}
     LIMIT $3`;
  return connection.query<MemberRow>(
    `WITH RECURSIVE ${listLevels('$1', '$5')},
     candidates AS (
       SELECT c.* FROM levels CROSS JOIN LATERAL (${firstOfLevel('', `${DUE_AT}, m.id`)}) c
       UNION SELECT c.* FROM levels CROSS JOIN LATERAL (${firstOfLevel('AND m."scheduledAt" IS NOT NULL', `${DUE_AT}, m.id`)}) c
       UNION SELECT c.* FROM levels CROSS JOIN LATERAL (${firstOfLevel('AND m.agent = $6', `m."scheduledAt" IS NOT NULL DESC, ${DUE_AT}, m.id`)}) c),
     picked AS (
       SELECT m.id FROM "Member" m
         JOIN (SELECT id FROM candidates ORDER BY scheduled DESC, own DESC, position, priority DESC, "dueAt", id LIMIT $3) first ON first.id = m.id
        WHERE m.status = 'IDLE'
        FOR UPDATE OF m SKIP LOCKED)
     UPDATE "Member" m SET status = $4::"MemberStatus", "updatedAt" = $2
       FROM picked WHERE m.id = picked.id
     RETURNING m.id, m.name, m."externalKey", m.variables, m."dialListId"`,
    params,
  );
}

/** The members of a campaign that found none to dial now, still to be tried: how many (up to a cap), and when the first falls due. */
export type WaitingMembers = { count: number; countCapped: boolean; nextDueAt: Date | null };

/** Counted no further: past this, "this many or more" says all a supervisor needs, and the count stays cheap. */
export const WAITING_COUNT_CAP = 1_000;

/**
 * The campaign's members still to be tried (IDLE, tries left, not expired; a number's type hours do not count), counted up to WAITING_COUNT_CAP,
 * and the soonest time one of them falls due: the earliest future due time of each (list, priority) level,
 * read from the lease's partial index, or the earliest result a member waits for. Members due already while
 * none was dialed are outside their own hours or their numbers' types' hours, on a do-not-call list, or meant
 * for a preview agent. Like the
 * lease, it reads list by list through indexes, never a whole list.
 */
export async function waitingMembers(driver: SqlDriver, campaign: LeaseCampaign, now: Date): Promise<WaitingMembers> {
  const params: unknown[] = [campaign.dialListId, campaign.id, now, WAITING_COUNT_CAP];
  const triesLeft = numberRulesSql(campaign, params).triesLeft();
  const [row] = await driver.withConnection((connection) =>
    connection.query<{ count: number; nextDueAt: Date | null }>(
      `WITH RECURSIVE ${listLevels('$1', '$2')},
       waiting AS (
         SELECT 1 FROM lists CROSS JOIN LATERAL (
           SELECT 1 FROM "Member" m
             CROSS JOIN LATERAL (SELECT 1 FROM "MemberNumber" n WHERE n."memberId" = m.id AND NOT n.stopped AND ${triesLeft} LIMIT 1) callable
            WHERE m."dialListId" = lists.id AND m.status = 'IDLE' AND (m."expiresAt" IS NULL OR m."expiresAt" > $3)
            LIMIT $4) member
         LIMIT $4)
       SELECT (SELECT count(*)::int FROM waiting) AS count,
              LEAST(
                (SELECT min(soonest.due) FROM levels CROSS JOIN LATERAL (
                   SELECT ${DUE_AT} AS due FROM "Member" m
                    WHERE m."dialListId" = levels.list AND m.status = 'IDLE' AND m.priority = levels.priority AND ${DUE_AT} > $3
                    ORDER BY ${DUE_AT} LIMIT 1) soonest),
                (SELECT min(m."resultDueAt") FROM lists JOIN "Member" m ON m."dialListId" = lists.id
                  WHERE m.status = 'IDLE' AND m."resultDueAt" > $3)) AS "nextDueAt"`,
      params,
    ),
  );
  const count = row?.count ?? 0;
  return { count, countCapped: count >= WAITING_COUNT_CAP, nextDueAt: row?.nextDueAt ?? null };
}

async function listsOf(connection: SqlConnection, ids: string[]): Promise<Map<string, MemberList>> {
  const rows = await connection.query<MemberList>('SELECT id, name, variables FROM "DialList" WHERE id = ANY($1::uuid[])', [[...new Set(ids)]]);
  return new Map(rows.map((list) => [list.id, list]));
}

/** The members' numbers the campaign may dial now but for their tries, which chooseNumber weighs. */
async function numbersOf(connection: SqlConnection, campaign: LeaseCampaign, now: Date, memberIds: string[]): Promise<Map<string, NumberCandidate[]>> {
  const params: unknown[] = [memberIds, campaign.id];
  const open = numberRulesSql(campaign, params).openAt(now, campaign.timezone);
  const rows = await connection.query<NumberCandidate & { memberId: string }>(
    `SELECT n."memberId", n.slot, n.number, n.priority, n."tryCount", n.type FROM "MemberNumber" n JOIN "Member" m ON m.id = n."memberId"
      WHERE n."memberId" = ANY($1::uuid[]) AND NOT n.stopped AND ${open} AND NOT ${blacklisted('n.normalized', '$2')}`,
    params,
  );
  const byMember = new Map<string, NumberCandidate[]>();
  for (const { memberId, ...number } of rows) byMember.set(memberId, [...(byMember.get(memberId) ?? []), number]);
  return byMember;
}

/** Every leased dialing in one statement: the lease transaction holds the campaign's lock, so it stays short. */
async function insertDialings(connection: SqlConnection, campaign: LeaseCampaign, request: LeaseRequest, dialings: LeasedDialing[]): Promise<void> {
  if (dialings.length === 0) return;
  const column = <T>(value: (dialing: LeasedDialing) => T) => dialings.map(value);
  await connection.query(
    `INSERT INTO "Dialing" (id, "campaignId", "runId", "memberId", "numberSlot", "dialedNumber", "tryCount", server, status,
       "dialString", uniqueid, "otherUniqueid", owner, "leaseExpiresAt", "planSnapshot", "destinationSnapshot", variables, "createdAt", "updatedAt", agent, "trunkId")
     SELECT u.id, $12, $13, u.member, u.slot, u.number, u.try, u.server, $14::"DialingStatus", u.dial, u.uniqueid, u.other, $15, $16,
            u.plan::jsonb, u.destination::jsonb, u.variables::jsonb, $17, $17, $18, u.trunk
       FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $19::uuid[], $20::text[])
         AS u(id, member, slot, number, try, server, dial, other, plan, destination, variables, trunk, uniqueid)`,
    [
      column((d) => d.id),
      column((d) => d.memberId),
      column((d) => d.numberSlot),
      column((d) => d.dialedNumber),
      column((d) => d.tryCount),
      column((d) => d.server),
      column((d) => d.dialString),
      column((d) => d.otherUniqueid),
      column((d) => JSON.stringify(d.planSnapshot)),
      column((d) => JSON.stringify(d.destinationSnapshot)),
      column((d) => JSON.stringify(d.variables)),
      campaign.id,
      campaign.runId,
      request.reserveFor === undefined ? 'PENDING' : 'RESERVED',
      request.owner,
      request.reservedUntil ?? null,
      request.now,
      request.reserveFor ?? null,
      column((d) => d.trunkId),
      column((d) => d.uniqueid),
    ],
  );
}

export type ClaimedDialing = { id: string; campaignId: string; server: string; status: string; otherUniqueid: string | null };

/**
 * Takes over, for this process to reconcile, the dialings of dialer processes that stopped beating for
 * deadAfterMs (killed, or cut off from the database), and preview reservations that ran out.
 */
export async function claimOrphaned(driver: SqlDriver, owner: string, now: Date, deadAfterMs: number): Promise<ClaimedDialing[]> {
  return driver.withConnection((connection) =>
    connection.query<ClaimedDialing>(
      `UPDATE "Dialing" SET owner = $1, "leaseExpiresAt" = NULL
        WHERE id IN (SELECT id FROM "Dialing" d WHERE owner IS NOT NULL AND owner <> $1
                       AND CASE WHEN status = 'RESERVED' THEN "leaseExpiresAt" < $2 ELSE ${ownerDead('d.owner', '$3::int')} END
                     FOR UPDATE SKIP LOCKED)
        RETURNING id, "campaignId", server, status::text AS status, "otherUniqueid"`,
      [owner, now, deadAfterMs],
    ),
  );
}

/** Which of these dialings are still this process's (not adopted by another, not recorded). */
export async function stillOwned(driver: SqlDriver, owner: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await driver.withConnection((connection) =>
    connection.query<{ id: string }>('SELECT id FROM "Dialing" WHERE id = ANY($1::uuid[]) AND owner = $2', [ids, owner]),
  );
  return new Set(rows.map((row) => row.id));
}

/** Takes the reserved dialings a preview agent asked to dial (owner null), for this process to originate. */
export async function claimRequested(driver: SqlDriver, owner: string): Promise<{ id: string }[]> {
  return driver.withConnection((connection) =>
    connection.query<{ id: string }>(
      `UPDATE "Dialing" SET owner = $1, "leaseExpiresAt" = NULL
        WHERE id IN (SELECT id FROM "Dialing" WHERE owner IS NULL AND status = 'PENDING' FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [owner],
    ),
  );
}
