import type { SqlDriver } from '../db/driver.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { numberRulesSql } from '../outbound/numberTypesSql.js';
import { blacklisted } from './leasing.js';
import type { CampaignSetup } from './rules.js';

/** Nothing left to dial, now or later, and nothing live: a member whose numbers' types' hours are closed now still has tries. */
export async function listExhausted(prisma: PrismaClient, driver: SqlDriver, campaign: CampaignSetup): Promise<boolean> {
  const live = await prisma.dialing.count({ where: { campaignId: campaign.id } });
  if (live > 0) return false;
  const params: unknown[] = [campaign.dialListId, campaign.id];
  const triesLeft = numberRulesSql(campaign.plan, params).triesLeft();
  const rows = await driver.withConnection((connection) =>
    connection.query<{ left: boolean }>(
      // A paused list keeps the campaign going until it is started again or removed, as WombatDialer's do.
      // List by list, so each is read through its (dialListId, status) index, never the whole table.
      `SELECT EXISTS (SELECT 1 FROM "CampaignList" cl WHERE cl."campaignId" = $2 AND cl.role = 'CALLS' AND cl.paused)
           OR EXISTS (SELECT 1 FROM (SELECT $1::uuid AS id UNION ALL SELECT cl."dialListId" FROM "CampaignList" cl WHERE cl."campaignId" = $2 AND cl.role = 'CALLS') lists
               CROSS JOIN LATERAL (SELECT 1 FROM "Member" m
                 WHERE m."dialListId" = lists.id AND m.status IN ('IDLE', 'DIALING', 'RESERVED')
                   AND (m."expiresAt" IS NULL OR m."expiresAt" > now())
                   AND EXISTS (SELECT 1 FROM "MemberNumber" n WHERE n."memberId" = m.id AND NOT n.stopped AND ${triesLeft}
                                 AND NOT ${blacklisted('n.normalized', '$2')})
                 LIMIT 1) left_in_list) AS left`,
      params,
    ),
  );
  return rows[0]?.left === false;
}
