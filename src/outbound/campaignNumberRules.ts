import type { SqlConnection } from '../db/driver.js';
import type { NumberRules } from './numberTypes.js';

/** A campaign's plan's rules for its members' numbers, and the zone a member without one of its own is in. */
export type CampaignNumberRules = NumberRules & { timezone: string };

/** Read through SQL, for the read models that have no Prisma client; null when the campaign does not exist. */
export async function campaignNumberRules(connection: SqlConnection, campaignId: string): Promise<CampaignNumberRules | null> {
  const [row] = await connection.query<CampaignNumberRules>(
    `SELECT p."maxRetries", c.timezone,
            coalesce((SELECT json_agg(json_build_object('code', t.code, 'maxTries', t."maxTries", 'priority', t.priority, 'windows',
                        coalesce((SELECT json_agg(json_build_object('weekdays', w.weekdays, 'start', w.start, 'end', w."end"))
                                    FROM "PlanNumberTypeWindow" w WHERE w."numberTypeId" = t.id), '[]'::json)))
                        FROM "PlanNumberType" t WHERE t."planId" = p.id), '[]'::json) AS "numberTypes"
       FROM "Campaign" c JOIN "Plan" p ON p.id = c."planId" WHERE c.id = $1::uuid`,
    [campaignId],
  );
  return row ?? null;
}
