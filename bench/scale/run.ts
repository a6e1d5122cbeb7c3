/**
 * Scale benchmark (`npm run bench:scale`): how the dialer's per-tick statements cost as the database grows.
 * One database per storage is grown step by step (10k, 100k, 1M... members on the campaign's list, as many
 * again on an unrelated list), its statistics refreshed after each step as an import does, and at each size a
 * lease of 10 members (leaseDialings, the statement every dialer tick runs) is timed --leases times, each
 * lease given back before the next. The count behind a campaign's "no due member" hold (waitingMembers) is
 * timed too. See bench/README.md.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase, type Database } from '../../src/db/open.js';
import { refreshStatistics } from '../../src/db/statistics.js';
import { leaseDialings, waitingMembers, type LeaseCampaign } from '../../src/dialer/leasing.js';
import { createBenchDatabase, DEFAULT_POSTGRES_URL } from '../shared/postgres.js';
import { machine, whole } from '../shared/report.js';

const { values } = parseArgs({
  options: {
    storage: { type: 'string', default: 'both' },
    'postgres-sizes': { type: 'string', default: '10000,100000,1000000,10000000' },
    'embedded-sizes': { type: 'string', default: '10000,100000,1000000,2000000' },
    leases: { type: 'string', default: '200' },
    'postgres-url': { type: 'string', default: DEFAULT_POSTGRES_URL },
  },
});
const sizesOf = (text: string) => text.split(',').map(Number);
const leases = Number(values.leases);
const storages = values.storage === 'both' ? ['postgresql', 'embedded'] : [values.storage as string];

const IDS = { plan: '01900000-0000-7000-8000-000000005c01', destination: '01900000-0000-7000-8000-000000005c02', list: '01900000-0000-7000-8000-000000005c03', other: '01900000-0000-7000-8000-000000005c04', campaign: '01900000-0000-7000-8000-000000005c05', run: '01900000-0000-7000-8000-000000005c06' };
const TAKEN = 10;

async function setUp(database: Database): Promise<LeaseCampaign> {
  await database.driver.withConnection((connection) =>
    connection.exec(`
      INSERT INTO "Plan" (id, name, "updatedAt") VALUES ('${IDS.plan}', 'scale', now());
      INSERT INTO "Destination" (id, name, type, context, exten, "updatedAt") VALUES ('${IDS.destination}', 'scale', 'EXTENSION', 'dest', 'echo', now());
      INSERT INTO "DialList" (id, name, "updatedAt") VALUES ('${IDS.list}', 'campaign list', now()), ('${IDS.other}', 'unrelated list', now());
      INSERT INTO "Campaign" (id, name, status, "planId", "destinationId", "dialListId", "updatedAt") VALUES ('${IDS.campaign}', 'scale', 'RUNNING', '${IDS.plan}', '${IDS.destination}', '${IDS.list}', now());
      INSERT INTO "CampaignRun" (id, "campaignId", "startedBy") VALUES ('${IDS.run}', '${IDS.campaign}', 'bench');`),
  );
  return { id: IDS.campaign, runId: IDS.run, dialListId: IDS.list, maxRetries: [3, 3, 3, 3, 3, 3, 3, 3], numberStrategy: 'BY_PRIORITY', memberWindow: null };
}

/**
 * Adds members `from`..`to` to both lists, in slices: on the campaign's list a third done, a third waiting an hour
 * for a retry, a third due, over three priorities; each with two numbers.
 */
async function grow(database: Database, from: number, to: number): Promise<void> {
  const SLICE = 250_000;
  for (let start = from; start <= to; start += SLICE) {
    const end = Math.min(to, start + SLICE - 1);
    for (const list of [IDS.list, IDS.other]) {
      await database.driver.withConnection((connection) =>
        connection.exec(`
          INSERT INTO "Member" (id, "dialListId", name, priority, status, "nextAttemptAt", "updatedAt")
          SELECT gen_random_uuid(), '${list}', 'm' || g, g % 3,
                 CASE WHEN g % 3 = 0 THEN 'DONE'::"MemberStatus" ELSE 'IDLE'::"MemberStatus" END,
                 CASE WHEN g % 3 = 1 THEN now() + interval '1 hour' END, now()
            FROM generate_series(${start}, ${end}) g;
          INSERT INTO "MemberNumber" ("memberId", slot, "dialListId", number, normalized)
          SELECT m.id, s, m."dialListId", s || substr(m.name, 2), s || substr(m.name, 2)
            FROM "Member" m CROSS JOIN generate_series(1, 2) s
           WHERE m."dialListId" = '${list}' AND substr(m.name, 2)::int BETWEEN ${start} AND ${end};`),
      );
    }
  }
  await refreshStatistics(database.driver, ['Member', 'MemberNumber']);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

type Row = { storage: string; members: number; leaseP50: number; leaseP99: number; leaseMax: number; waitingMs: number };

async function measure(database: Database, campaign: LeaseCampaign, storage: string, members: number): Promise<Row> {
  const times: number[] = [];
  for (let index = 0; index < leases; index++) {
    const started = performance.now();
    const leased = await leaseDialings(database.driver, {
      campaign,
      owner: 'bench',
      now: new Date(),
      howMany: () => TAKEN,
      prepare: (member, dialing) => ({ server: 'pbx', dialString: `Local/${member.number.number}@customers`, variables: { SB_DIALING_ID: dialing.id }, originate: {}, problem: null, planSnapshot: {}, destinationSnapshot: {}, otherUniqueid: null }),
    });
    times.push(performance.now() - started);
    if (leased.length !== TAKEN) throw new Error(`leased ${leased.length} members, not ${TAKEN}`);
    // Given back untried, so every lease finds the list as the first did.
    await database.driver.withConnection((connection) =>
      connection.query(`WITH gone AS (DELETE FROM "Dialing" WHERE "campaignId" = $1 RETURNING "memberId") UPDATE "Member" SET status = 'IDLE' WHERE id IN (SELECT "memberId" FROM gone)`, [campaign.id]),
    );
  }
  times.sort((a, b) => a - b);
  const started = performance.now();
  await waitingMembers(database.driver, campaign, new Date());
  const waitingMs = performance.now() - started;
  return { storage, members, leaseP50: percentile(times, 50), leaseP99: percentile(times, 99), leaseMax: times.at(-1) ?? 0, waitingMs };
}

const rows: Row[] = [];
console.log(`bench/scale on ${machine()}`);
for (const storage of storages) {
  const folder = await mkdtemp(join(tmpdir(), 'switchboard-bench-scale-'));
  const bench = storage === 'postgresql' ? await createBenchDatabase(values['postgres-url']) : undefined;
  const database = await openDatabase(bench ? { databaseUrl: bench.url, dataDir: folder } : { dataDir: folder });
  try {
    const campaign = await setUp(database);
    let grown = 0;
    for (const size of sizesOf(storage === 'postgresql' ? values['postgres-sizes'] : values['embedded-sizes'])) {
      const started = performance.now();
      await grow(database, grown + 1, size);
      grown = size;
      console.error(`${storage}: ${whole(size)} members a list, grown in ${((performance.now() - started) / 1000).toFixed(0)} s`);
      const row = await measure(database, campaign, storage, size);
      rows.push(row);
      console.error(JSON.stringify(row));
    }
  } finally {
    await database.close();
    await bench?.drop();
    await rm(folder, { recursive: true, force: true });
  }
}
console.log('| storage | members a list (two lists) | lease p50 ms | lease p99 ms | lease max ms | waiting count ms |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const row of rows) {
  console.log(`| ${row.storage} | ${whole(row.members)} | ${row.leaseP50.toFixed(1)} | ${row.leaseP99.toFixed(1)} | ${row.leaseMax.toFixed(1)} | ${whole(row.waitingMs)} |`);
}
