import type { SqlDriver } from '../db/driver.js';
import type { DialingStatus, MemberStatus } from '../generated/prisma/enums.js';
import { campaignNumberRules, type CampaignNumberRules } from '../outbound/campaignNumberRules.js';
import { numberRulesSql } from '../outbound/numberTypesSql.js';

/** WombatDialer's default limit between reschedules due soon and later. */
export const DEFAULT_LATE_RESCHEDULE_SEC = 300;

export type StatusCount<S> = { status: S; count: number };

/**
 * A campaign's calls waiting and coming back (WombatDialer's recallinfo): its members by status, those
 * dialable now, its live dialings by status, and the members with a retry or callback set, split into those
 * due within `lateRescheduleSec` (or already due) and those due later.
 */
export type RecallInfo = {
  membersByStatus: StatusCount<MemberStatus>[];
  /** IDLE, due, not expired, with a number not stopped that has tries left and is inside its type's hours: what the next ticks would dial. */
  readyNow: number;
  dialingsByStatus: StatusCount<DialingStatus>[];
  reschedules: number;
  reschedulingSoon: number;
  reschedulingLater: number;
  lateRescheduleSec: number;
};

/** The lists a campaign dials: its own, and those added to it to be called. */
const CAMPAIGN_LISTS = `SELECT "dialListId" FROM "Campaign" WHERE id = $1::uuid
                       UNION SELECT "dialListId" FROM "CampaignList" WHERE "campaignId" = $1::uuid AND role = 'CALLS'`;

/** When an IDLE member is next due: after its retry delay and its scheduled time, whichever is later (null: now). */
const DUE = 'greatest(m."nextAttemptAt", m."scheduledAt")';

/** Number `n` may be dialed at $2 under the campaign's rules (none when there is no such campaign). */
function callableNow(rules: CampaignNumberRules | null, params: unknown[]): string {
  if (rules === null) return 'false';
  const numbers = numberRulesSql(rules, params);
  return `${numbers.triesLeft()} AND ${numbers.openAt('$2', rules.timezone)}`;
}

export async function recallInfo(driver: SqlDriver, campaignId: string, lateRescheduleSec: number, now = new Date()): Promise<RecallInfo> {
  return driver.withConnection(async (connection) => {
    const at = now.toISOString();
    const members = await connection.query<{ status: MemberStatus; count: number }>(
      `SELECT m.status::text AS status, count(*)::int AS count FROM "Member" m
        WHERE m."dialListId" IN (${CAMPAIGN_LISTS}) GROUP BY m.status ORDER BY m.status`,
      [campaignId],
    );
    const params: unknown[] = [campaignId, at, lateRescheduleSec];
    const callable = callableNow(await campaignNumberRules(connection, campaignId), params);
    const [due] = await connection.query<{ ready: number; reschedules: number; soon: number }>(
      `SELECT count(*) FILTER (WHERE (${DUE} IS NULL OR ${DUE} <= $2::timestamptz AT TIME ZONE 'UTC')
                                 AND (m."expiresAt" IS NULL OR m."expiresAt" > $2::timestamptz AT TIME ZONE 'UTC')
                                 AND EXISTS (SELECT 1 FROM "MemberNumber" n WHERE n."memberId" = m.id AND NOT n.stopped AND ${callable}))::int AS ready,
              count(*) FILTER (WHERE ${DUE} IS NOT NULL)::int AS reschedules,
              count(*) FILTER (WHERE ${DUE} <= ($2::timestamptz + make_interval(secs => $3)) AT TIME ZONE 'UTC')::int AS soon
         FROM "Member" m
        WHERE m.status = 'IDLE' AND m."dialListId" IN (${CAMPAIGN_LISTS})`,
      params,
    );
    const dialings = await connection.query<{ status: DialingStatus; count: number }>(
      `SELECT status::text AS status, count(*)::int AS count FROM "Dialing" WHERE "campaignId" = $1::uuid GROUP BY status ORDER BY status`,
      [campaignId],
    );
    const reschedules = due?.reschedules ?? 0;
    const soon = due?.soon ?? 0;
    return {
      membersByStatus: members,
      readyNow: due?.ready ?? 0,
      dialingsByStatus: dialings,
      reschedules,
      reschedulingSoon: soon,
      reschedulingLater: reschedules - soon,
      lateRescheduleSec,
    };
  });
}
