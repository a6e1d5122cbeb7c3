import type { SqlDriver } from '../db/driver.js';
import type { HoldReason } from '../generated/prisma/enums.js';
import type { Logger } from '../logger.js';
import { waitingMembers, type LeaseCampaign } from './leasing.js';

/** Why a running campaign places no call now, and when it may again (null when not known). */
export type Hold = { reason: HoldReason; detail: string; nextAt: Date | null };

type Campaign = { id: string; name: string };

function keyOf(hold: Hold | null): string {
  // The detail's counts move on every tick: the reason and the time it waits for are what change it.
  return hold === null ? '' : `${hold.reason} ${hold.nextAt?.getTime() ?? ''}`;
}

/**
 * What each running campaign waits for, as this dialer sees it: kept in DialingHold (one row per campaign
 * and dialer, gone while it dials), logged, and announced (`changed`) only when it changes, not on every tick.
 */
export class CampaignHolds {
  /** What each held campaign was last said (written) to wait for; a campaign that dials has no entry. */
  private readonly held = new Map<string, Hold>();

  constructor(
    private readonly driver: SqlDriver,
    private readonly owner: string,
    private readonly log: Logger,
    private readonly changed: (campaignId: string) => void,
  ) {}

  /** What the campaign was last said to wait for; undefined while it dials. */
  of(campaignId: string): Hold | undefined {
    return this.held.get(campaignId);
  }

  /**
   * Whether the campaign's hold says a member falls due later: its list is not at an end before then, and
   * need not be looked at again on every tick (the list's end reads past members it cannot call).
   */
  waitsForDueMember(campaignId: string, now: Date): boolean {
    const last = this.of(campaignId);
    return last?.reason === 'NO_DUE_MEMBER' && last.nextAt !== null && last.nextAt > now;
  }

  /** Why a campaign that asked for calls found no member to dial: when the next falls due, or that none is left. */
  async memberHold(campaign: LeaseCampaign, now: Date): Promise<Hold> {
    const last = this.of(campaign.id);
    // Counted once, not on every tick: again when the time it waited for has come.
    if (last?.reason === 'NO_DUE_MEMBER' && (last.nextAt === null || last.nextAt > now)) return last;
    const waiting = await waitingMembers(this.driver, campaign, now);
    if (waiting.count === 0) return { reason: 'NO_DUE_MEMBER', detail: 'every member is done, being dialed or out of tries', nextAt: null };
    const left = `${waiting.count}${waiting.countCapped ? ' or more' : ''} member(s)`;
    if (waiting.nextDueAt === null) {
      return { reason: 'NO_DUE_MEMBER', detail: `${left} left, none callable now: outside their own hours or their numbers' types' hours, on a do-not-call list, or meant for a preview agent`, nextAt: null };
    }
    return { reason: 'NO_DUE_MEMBER', detail: `${left} not due yet: waiting for a retry delay, a result, or their hours to open`, nextAt: waiting.nextDueAt };
  }

  /** The hold of a campaign now: null while it dials or is not running. Written, logged and announced when it changes. */
  async set(campaign: Campaign, hold: Hold | null, now: Date): Promise<void> {
    const before = this.held.get(campaign.id);
    if (keyOf(before ?? null) === keyOf(hold)) return;
    await this.driver.withConnection((connection) =>
      hold === null
        ? connection.query('DELETE FROM "DialingHold" WHERE "campaignId" = $1 AND "dialerId" = $2', [campaign.id, this.owner])
        : connection.query(
            `INSERT INTO "DialingHold" ("campaignId", "dialerId", reason, detail, "nextAt", since) VALUES ($1, $2, $3::"HoldReason", $4, $5, $6)
             ON CONFLICT ("campaignId", "dialerId") DO UPDATE SET reason = $3::"HoldReason", detail = $4, "nextAt" = $5,
               since = CASE WHEN "DialingHold".reason = $3::"HoldReason" THEN "DialingHold".since ELSE $6 END`,
            [campaign.id, this.owner, hold.reason, hold.detail, hold.nextAt, now],
          ),
    );
    this.changed(campaign.id);
    if (hold === null) {
      this.held.delete(campaign.id);
      this.log.info({ campaign: campaign.name }, 'campaign is placing calls again');
    } else {
      this.held.set(campaign.id, hold);
      this.log.info({ campaign: campaign.name, reason: hold.reason, nextAt: hold.nextAt ?? undefined }, `campaign places no call: ${hold.detail}`);
    }
  }
}
