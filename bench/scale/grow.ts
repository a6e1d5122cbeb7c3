/**
 * A database grown to a size: a campaign's list of members with two numbers and two attempts each, and an
 * unrelated list as large (bench:scale, bench:originate). See bench/README.md.
 */
import type { Database } from '../../src/db/open.js';
import { refreshStatistics } from '../../src/db/statistics.js';
import type { LeaseCampaign } from '../../src/dialer/leasing.js';
import type { NumberTypeRule } from '../../src/outbound/numberTypes.js';

export const IDS = { plan: '01900000-0000-7000-8000-000000005c01', destination: '01900000-0000-7000-8000-000000005c02', list: '01900000-0000-7000-8000-000000005c03', other: '01900000-0000-7000-8000-000000005c04', campaign: '01900000-0000-7000-8000-000000005c05', run: '01900000-0000-7000-8000-000000005c06' };

/**
 * The campaign the grown members belong to, with its two lists: RUNNING for bench:scale's leases, or STOPPED for
 * a database that only has to be large (bench:originate's --background-members). `numberTypes`: its plan's rules
 * for the numbers' types, as the lease is given them (none: every number follows its slot).
 */
export async function createScaleCampaign(database: Database, status: 'RUNNING' | 'STOPPED', numberTypes: readonly NumberTypeRule[] = []): Promise<LeaseCampaign> {
  await database.driver.withConnection((connection) =>
    connection.exec(`
      INSERT INTO "Plan" (id, name, "updatedAt") VALUES ('${IDS.plan}', 'scale', now());
      INSERT INTO "Destination" (id, name, type, context, exten, "updatedAt") VALUES ('${IDS.destination}', 'scale', 'EXTENSION', 'dest', 'echo', now());
      INSERT INTO "DialList" (id, name, "updatedAt") VALUES ('${IDS.list}', 'campaign list', now()), ('${IDS.other}', 'unrelated list', now());
      INSERT INTO "Campaign" (id, name, status, "planId", "destinationId", "dialListId", "updatedAt") VALUES ('${IDS.campaign}', 'scale', '${status}', '${IDS.plan}', '${IDS.destination}', '${IDS.list}', now());
      INSERT INTO "CampaignRun" (id, "campaignId", "startedBy") VALUES ('${IDS.run}', '${IDS.campaign}', 'bench');`),
  );
  return { id: IDS.campaign, runId: IDS.run, dialListId: IDS.list, maxRetries: [3, 3, 3, 3, 3, 3, 3, 3], numberStrategy: 'BY_PRIORITY', memberWindow: null, numberTypes, timezone: 'UTC' };
}

/** The grown tables' indexes other than their primary keys, as `CREATE INDEX` statements. */
async function secondaryIndexes(database: Database): Promise<{ name: string; definition: string }[]> {
  return database.driver.withConnection((connection) =>
    connection.query<{ name: string; definition: string }>(
      `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
        WHERE schemaname = current_schema() AND tablename IN ('Member', 'MemberNumber', 'CallAttempt') AND indexname NOT LIKE '%_pkey'`,
    ),
  );
}

/**
 * Ids in the order rows are made, as the product's own (UUIDv7) are: each primary key grows at its end, where
 * random ones would land all over an index far larger than the cache. `kind` keeps each table's apart.
 */
function orderedId(kind: number, sequence: string): string {
  return `('00000000-000${kind}-7000-8000-' || lpad(to_hex(${sequence}), 12, '0'))::uuid`;
}

/**
 * Adds members `from`..`to` to both lists, in slices: on the campaign's list a third done, a third waiting an hour
 * for a retry, a third due, over three priorities, each with two numbers and two attempts; the same members
 * again, without attempts, on the other list. With `typed`, each member's first number is a `mobile` and its
 * second a `home` (MemberNumber.type). The secondary indexes are dropped while rows go in and built again after,
 * as one would for a bulk load: building an index costs far less than keeping it row by row.
 */
export async function grow(database: Database, from: number, to: number, typed = false): Promise<void> {
  const indexes = await secondaryIndexes(database);
  await database.driver.withConnection((connection) => connection.exec(indexes.map(({ name }) => `DROP INDEX "${name}";`).join('\n')));
  const SLICE = 250_000;
  for (let start = from; start <= to; start += SLICE) {
    const end = Math.min(to, start + SLICE - 1);
    for (const list of [IDS.list, IDS.other]) {
      // One statement a list and slice: the numbers and attempts are made from the members it inserts.
      const attempts =
        list !== IDS.list
          ? ''
          : `, attempts AS (
               INSERT INTO "CallAttempt" (id, "campaignId", "runId", "planId", "destinationId", "dialListId", "memberId", server, "numberSlot",
                                          "dialedNumber", "tryCount", "dialString", outcome, "dialResult", "dialResultText", "originatedAt",
                                          "endedAt", "planSnapshot", "destinationSnapshot", "createdAt")
               SELECT ${orderedId(3, `m.g::bigint * 2 + s`)}, '${IDS.campaign}', '${IDS.run}', '${IDS.plan}', '${IDS.destination}', m."dialListId", m.id, 'pbx', s,
                      s || m.g, 1, 'Local/' || s || m.g || '@customers', 'NO_ANSWER', 3, 'NOANSWER',
                      now() - interval '1 day', now() - interval '1 day', '{}', '{}', now() - interval '1 day'
                 FROM members m CROSS JOIN generate_series(1, 2) s)`;
      await database.driver.withConnection((connection) =>
        connection.exec(`
          WITH members AS (
            INSERT INTO "Member" (id, "dialListId", name, priority, status, "nextAttemptAt", "updatedAt")
            SELECT ${orderedId(list === IDS.list ? 1 : 2, 'g')}, '${list}', 'm' || g, g % 3,
                   CASE WHEN g % 3 = 0 THEN 'DONE'::"MemberStatus" ELSE 'IDLE'::"MemberStatus" END,
                   CASE WHEN g % 3 = 1 THEN now() + interval '1 hour' END, now()
              FROM generate_series(${start}, ${end}) g
            RETURNING id, "dialListId", substr(name, 2) AS g
          )${attempts}
          INSERT INTO "MemberNumber" ("memberId", slot, "dialListId", number, normalized, type)
          SELECT m.id, s, m."dialListId", s || m.g, s || m.g, ${typed ? `CASE s WHEN 1 THEN 'mobile' ELSE 'home' END` : 'NULL'}
            FROM members m CROSS JOIN generate_series(1, 2) s;`),
      );
    }
  }
  for (const { definition } of indexes) await database.driver.withConnection((connection) => connection.exec(definition));
  await refreshStatistics(database.driver, ['Member', 'MemberNumber', 'CallAttempt']);
}
