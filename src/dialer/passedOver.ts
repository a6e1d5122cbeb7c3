/**
 * Members the lease would step over on every tick, set aside for a while. The lease reads each level of a
 * list in due order and stops after the members it takes (leasing.ts); members due but not callable (every
 * number on a do-not-call list, out of tries or outside its type's hours, outside their own hours, expired) stay IDLE and due, so a run
 * of them at the head of a level is read again by every lease, every tick. A campaign's sweep, once a
 * minute, looks at the head of each level and moves the ones it cannot call PASSED_OVER_MINUTES ahead:
 * checked four times an hour, not ten times a second.
 *
 * Only what holds for every campaign is set aside on a list another campaign also dials (an expired member):
 * its do-not-call lists, tries and hours may differ, and it must not lose a member this campaign cannot call.
 */
import type { SqlDriver } from '../db/driver.js';
import type { Logger } from '../logger.js';
import { callableNumber, DUE_AT, inMemberWindow, listLevels, type LeaseCampaign } from './leasing.js';

/** How long a member the campaign cannot call now waits before it is looked at again. */
export const PASSED_OVER_MINUTES = 15;

/** How often a running campaign sweeps. */
const SWEEP_EVERY_MS = 60_000;

/** Members read at the head of each level a round; past this many rounds the rest waits for the next sweep. */
const HEAD = 500;
const MOST_ROUNDS = 200;

/** One round: of the first HEAD due members of each level, those the campaign cannot call are set aside. */
async function setAsideRound(driver: SqlDriver, campaign: LeaseCampaign, now: Date): Promise<{ read: number; setAside: number }> {
  const params: unknown[] = [campaign.dialListId, campaign.id, now, HEAD, PASSED_OVER_MINUTES];
  const inHours = inMemberWindow(campaign.memberWindow, '$3', params);
  const callable = callableNumber(campaign, '$3', '$2', params);
  const [row] = await driver.withConnection((connection) =>
    connection.query<{ read: number; setAside: number }>(
      `WITH RECURSIVE ${listLevels('$1', '$2')},
       own AS (
         SELECT lists.id FROM lists
          WHERE NOT EXISTS (SELECT 1 FROM "Campaign" c WHERE c."dialListId" = lists.id AND c.id <> $2::uuid)
            AND NOT EXISTS (SELECT 1 FROM "CampaignList" cl WHERE cl."dialListId" = lists.id AND cl."campaignId" <> $2::uuid AND cl.role = 'CALLS')),
       head AS (
         SELECT h.* FROM levels CROSS JOIN LATERAL (
           SELECT m.id,
                  (m."expiresAt" IS NOT NULL AND m."expiresAt" <= $3)
                  OR (levels.list IN (SELECT id FROM own) AND (callable IS NULL ${inHours === null ? '' : `OR NOT (${inHours})`})) AS passed
             FROM "Member" m
             LEFT JOIN LATERAL (${callable}) callable ON true
            WHERE m."dialListId" = levels.list AND m.status = 'IDLE' AND m.priority = levels.priority AND ${DUE_AT} <= $3
              AND (m."resultDueAt" IS NULL OR m."resultDueAt" <= $3)
            ORDER BY ${DUE_AT}, m.id
            LIMIT $4) h),
       aside AS (
         UPDATE "Member" m SET "nextAttemptAt" = $3::timestamp + make_interval(mins => $5), "updatedAt" = $3
           FROM head WHERE head.passed AND m.id = head.id AND m.status = 'IDLE'
         RETURNING 1)
       SELECT (SELECT count(*)::int FROM head) AS read, (SELECT count(*)::int FROM aside) AS "setAside"`,
      params,
    ),
  );
  return { read: row?.read ?? 0, setAside: row?.setAside ?? 0 };
}

/**
 * Sets aside the members at the head of the campaign's levels that it cannot call now, round after round while
 * most of what a round reads is set aside (a long run of them); a head of callable members stops it at once, and
 * so does `cut` (checked before each round). Each round is its own statement, so leases go between them.
 * Returns how many were set aside.
 */
export async function setAsidePassedOver(driver: SqlDriver, campaign: LeaseCampaign, now: Date, cut: () => boolean = () => false): Promise<number> {
  let total = 0;
  for (let round = 0; round < MOST_ROUNDS && !cut(); round++) {
    const { read, setAside } = await setAsideRound(driver, campaign, now);
    total += setAside;
    if (setAside * 2 < read || read === 0) break;
  }
  return total;
}

/**
 * The dialer's sweeps: each running campaign's once a minute, beside its ticks rather than in them (a long run
 * of blocked members takes many rounds, and no campaign's calls wait for another's sweep). One at a time per
 * campaign; stopping cuts them between rounds and waits for the round in hand.
 */
export class PassedOverSweeps {
  private readonly running = new Map<string, Promise<void>>();
  private readonly startedAt = new Map<string, number>();
  private stopping = false;

  constructor(
    private readonly driver: SqlDriver,
    private readonly log: Logger,
  ) {}

  /** Starts the campaign's sweep if a minute has passed since its last began and none is running; never waits for it. */
  due(campaign: LeaseCampaign, now: Date): void {
    if (this.stopping || this.running.has(campaign.id)) return;
    if (now.getTime() - (this.startedAt.get(campaign.id) ?? Number.NEGATIVE_INFINITY) < SWEEP_EVERY_MS) return;
    this.startedAt.set(campaign.id, now.getTime());
    const sweep = setAsidePassedOver(this.driver, campaign, now, () => this.stopping)
      .then((setAside) => {
        if (setAside > 0) this.log.info({ campaign: campaign.id, setAside, minutes: PASSED_OVER_MINUTES }, 'set aside members the campaign cannot call now');
      })
      .catch((error: unknown) => this.log.warn({ err: error, campaign: campaign.id }, 'could not set aside the members a campaign cannot call now; trying again later'))
      .finally(() => this.running.delete(campaign.id));
    this.running.set(campaign.id, sweep);
  }

  /** Sweeps running now (for tests and stop). */
  get inProgress(): Promise<void> {
    return Promise.all(this.running.values()).then(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.inProgress;
  }
}
