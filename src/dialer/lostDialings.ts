import type { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import type { ApplicationPolicy } from '../outbound/applications.js';
import type { FinishedAttempt } from './attempts.js';
import { CAMPAIGN_SETUP, campaignRules } from './rules.js';

/** How often live dialings are looked at for one with no end after lostAfterMs, and how many are recorded a look. */
const LOST_SWEEP_MS = 60_000;
const LOST_BATCH = 200;
export const DEFAULT_LOST_AFTER_MS = 24 * 3_600_000;

export type LostDialingsOptions = {
  prisma: PrismaClient;
  log: Logger;
  applications: ApplicationPolicy | undefined;
  /** How long a live dialing may go without an end before it is recorded as lost. */
  lostAfterMs: number;
  /** A dialing recorded here is no longer this process's to follow or take over. */
  letGo(dialingId: string): void;
  /** Records an attempt; false when the dialer stopped first. */
  record(attempt: FinishedAttempt): Promise<boolean>;
  /** A campaign whose progress a recorded attempt changed. */
  changed(campaignId: string): void;
};

/**
 * Live dialings with no end after lostAfterMs, in any process: their PBX was removed, or never answered for
 * them, so nothing will end them. Each is recorded as lost (a try counts when it was sent: it may have rung)
 * and its member freed by its plan's rules. Recording is idempotent, so two dialers doing this at once, or the
 * owner ending it meanwhile, write it once. Looked for once a minute, from the dialer's tick.
 */
export class LostDialings {
  private sweptAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: LostDialingsOptions) {}

  /** Records a batch of lost dialings when a minute has passed since the last look. */
  async sweepIfDue(now: Date): Promise<void> {
    if (now.getTime() - this.sweptAt < LOST_SWEEP_MS) return;
    this.sweptAt = now.getTime();
    await this.recordLost(now).catch((error: unknown) => this.options.log.warn({ err: error }, 'could not look for lost dialings; trying again later'));
  }

  private async recordLost(now: Date): Promise<void> {
    const { prisma, lostAfterMs, log } = this.options;
    const rows = await prisma.dialing.findMany({
      where: { createdAt: { lt: new Date(now.getTime() - lostAfterMs) } },
      include: { campaign: { include: CAMPAIGN_SETUP } },
      orderBy: { createdAt: 'asc' },
      take: LOST_BATCH,
    });
    const hours = lostAfterMs / 3_600_000;
    for (const row of rows) {
      this.options.letGo(row.id);
      const rules = campaignRules(row.campaign, this.options.applications);
      const sent = row.status !== 'PENDING' && row.status !== 'RESERVED';
      const reason = `Lost: no end heard in ${hours} h from PBX ${row.server}`;
      const result = rules.failed((row.originatedAt ?? row.createdAt).getTime(), reason, sent, now.getTime());
      if (await this.options.record({ dialingId: row.id, result, decide: (numbers, attempt, found) => rules.next(result, numbers, attempt, found) })) this.options.changed(row.campaignId);
    }
    if (rows.length > 0) log.warn({ dialings: rows.length, server: [...new Set(rows.map((row) => row.server))], hours }, 'recorded live dialings with no end as lost');
  }
}
