import { describe, expect, it } from 'vitest';
import type { SqlConnection, SqlDriver } from '../../src/db/driver.js';
import { refreshStatistics } from '../../src/db/statistics.js';
import { leaseDialings, type LeaseCampaign } from '../../src/dialer/leasing.js';
import { storageKinds } from '../support/database.js';
import { useStorage } from '../support/storage.js';

const MEMBERS = 20_000;
const TAKEN = 5;

/** A driver that, besides running it, keeps the plan PostgreSQL executed for the lease's member query. */
function explaining(driver: SqlDriver, plans: string[]): SqlDriver {
  const withPlans = (connection: SqlConnection): SqlConnection =>
    Object.assign(Object.create(connection) as SqlConnection, {
      query: async <T extends Record<string, unknown>>(sql: string, params?: unknown[]) => {
        if (sql.trimStart().startsWith('WITH RECURSIVE lists')) {
          const rows = await connection.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, params);
          plans.push(rows.map((row) => row['QUERY PLAN']).join('\n'));
          throw new Error('explained');
        }
        return connection.query<T>(sql, params);
      },
    });
  return { ...driver, withConnection: (work, options) => driver.withConnection((connection) => work(withPlans(connection)), options) } as SqlDriver;
}

describe.each(storageKinds)('the lease query on a large list (%s)', (kind, create) => {
  const storage = useStorage(kind, create);

  it.skipIf(storage.skip)('reads only the first members of the list through its partial index, never the whole list or every number', async () => {
    const { prisma, driver } = storage.database;
    const plan = await prisma.plan.create({ data: { name: 'Plan' } });
    const destination = await prisma.destination.create({ data: { name: 'Echo', type: 'EXTENSION', context: 'dest', exten: 'echo' } });
    const dialList = await prisma.dialList.create({ data: { name: 'Large' } });
    const doNotCall = await prisma.dialList.create({ data: { name: 'Do not call', blacklistForAll: true } });
    const row = await prisma.campaign.create({ data: { name: 'Large', status: 'RUNNING', planId: plan.id, destinationId: destination.id, dialListId: dialList.id } });
    const run = await prisma.campaignRun.create({ data: { campaignId: row.id, startedBy: 'test' } });
    // A third done, a third waiting for a retry, a third due; every tenth number on the do-not-call list.
    await driver.withConnection((connection) =>
      connection.exec(`
        INSERT INTO "Member" (id, "dialListId", name, priority, status, "nextAttemptAt", "updatedAt")
        SELECT gen_random_uuid(), '${dialList.id}', 'm' || g, g % 3,
               CASE WHEN g % 3 = 0 THEN 'DONE'::"MemberStatus" ELSE 'IDLE'::"MemberStatus" END,
               CASE WHEN g % 3 = 1 THEN now() + interval '1 hour' END, now()
          FROM generate_series(1, ${MEMBERS}) g;
        INSERT INTO "MemberNumber" ("memberId", slot, "dialListId", number, normalized)
        SELECT id, 1, "dialListId", substr(name, 2), substr(name, 2) FROM "Member" WHERE "dialListId" = '${dialList.id}';
        INSERT INTO "Member" (id, "dialListId", "updatedAt") SELECT gen_random_uuid(), '${doNotCall.id}', now() FROM generate_series(1, 1);
        INSERT INTO "MemberNumber" ("memberId", slot, "dialListId", number, normalized)
        SELECT (SELECT id FROM "Member" WHERE "dialListId" = '${doNotCall.id}'), g, '${doNotCall.id}', (g * 10)::text, (g * 10)::text FROM generate_series(1, 8) g;`),
    );
    await refreshStatistics(driver, ['Member', 'MemberNumber']);
    const campaign: LeaseCampaign = { id: row.id, runId: run.id, dialListId: dialList.id, maxRetries: [3, 3, 3, 3, 3, 3, 3, 3], numberStrategy: 'BY_PRIORITY', memberWindow: null, numberTypes: [], timezone: 'UTC' };
    const plans: string[] = [];
    const lease = leaseDialings(explaining(driver, plans), {
      campaign,
      owner: 'plan test',
      now: new Date(),
      howMany: () => TAKEN,
      prepare: () => {
        throw new Error('not reached');
      },
    });
    await expect(lease).rejects.toThrow('explained');
    const [executed = ''] = plans;
    expect(executed).not.toMatch(/Seq Scan on "Member"/);
    expect(executed).not.toMatch(/Seq Scan on "MemberNumber"/);
    // Each level's index scan stops after the members it takes (the blacklisted ones it passes over aside).
    const dialableScans = [...executed.matchAll(/Index Scan using "Member_dialable_idx" on "Member" \w+ \(actual time=[\d.]+\.\.[\d.]+ rows=([\d.]+) loops=(\d+)\)/g)];
    expect(dialableScans.length).toBeGreaterThan(0);
    for (const [, rows, loops] of dialableScans) expect(Number(rows) * Number(loops)).toBeLessThanOrEqual(3 * (TAKEN + 1));
  });
});
