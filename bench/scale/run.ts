/**
 * Scale benchmark (`npm run bench:scale`): how the dialer's per-tick statements cost as the database grows.
 * One database per storage is grown step by step (10k, 100k, 1M... members on the campaign's list with two
 * attempts each, as many members again on an unrelated list), its statistics refreshed after each step as an
 * import does. At each size a lease of 10 members (leaseDialings, the statement every dialer tick runs) and the
 * recording of those 10 calls (recordAttempts, one transaction) are timed --leases times, the members put back
 * as they were before the next. The count behind a campaign's "no due member" hold (waitingMembers) is timed
 * too. See bench/README.md.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase, type Database } from '../../src/db/open.js';
import { leaseDialings, waitingMembers, type LeaseCampaign } from '../../src/dialer/leasing.js';
import { recordAttempts, type FinishedAttempt } from '../../src/dialer/attempts.js';
import { createBenchDatabase, DEFAULT_POSTGRES_URL } from '../shared/postgres.js';
import { machine, whole } from '../shared/report.js';
import type { NumberTypeRule } from '../../src/outbound/numberTypes.js';
import { createScaleCampaign, grow } from './grow.js';

const { values } = parseArgs({
  options: {
    storage: { type: 'string', default: 'both' },
    'postgres-sizes': { type: 'string', default: '10000,100000,1000000,10000000' },
    'embedded-sizes': { type: 'string', default: '10000,100000,1000000,2000000' },
    leases: { type: 'string', default: '200' },
    'postgres-url': { type: 'string', default: DEFAULT_POSTGRES_URL },
    'number-types': { type: 'boolean', default: false },
  },
});
const sizesOf = (text: string) => text.split(',').map(Number);
const leases = Number(values.leases);
const storages = values.storage === 'both' ? ['postgresql', 'embedded'] : [values.storage as string];

const TAKEN = 10;

/**
 * With --number-types, the plan's rules for the grown numbers' types: `mobile` open all day every day and `home`
 * in an hour that starts two hours from now, so every lease checks both numbers' windows and dials the mobile one.
 */
function numberTypes(now: Date): NumberTypeRule[] {
  const hour = (offset: number) => `${String((now.getUTCHours() + offset) % 24).padStart(2, '0')}:00`;
  return [
    { code: 'mobile', maxTries: 3, priority: 10, windows: [{ weekdays: [], start: '00:00', end: '24:00' }] },
    { code: 'home', maxTries: 3, priority: 5, windows: [{ weekdays: [], start: hour(2), end: hour(3) }] },
  ];
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

type Timing = { p50: number; p99: number; max: number };
type Row = { storage: string; members: number; attempts: number; lease: Timing; record: Timing; waitingMs: number };

function timing(times: number[]): Timing {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? 0 };
}

/** Each call not answered, the member to be dialed again: what most of a campaign's recordings are. */
const NO_ANSWER = (dialingId: string): FinishedAttempt => {
  const at = new Date();
  return {
    dialingId,
    result: { outcome: 'NO_ANSWER', dialResult: 3, dialResultText: 'NOANSWER', hangupCause: 19, hangupCauseText: 'No answer', amdStatus: null, amdCause: null, messageLeft: false, recordingFile: null, channel: null, linkedid: null, originatedAt: at, answeredAt: null, bridgedAt: null, endedAt: at, sent: true },
    decide: () => ({ status: 'IDLE', nextAttemptAt: null, rescheduleRuleId: null, rescheduleSec: null, resultDueAt: null }),
  };
};

async function measure(database: Database, campaign: LeaseCampaign, storage: string, members: number): Promise<Row> {
  const leaseTimes: number[] = [];
  const recordTimes: number[] = [];
  for (let index = 0; index < leases; index++) {
    let started = performance.now();
    const leased = await leaseDialings(database.driver, {
      campaign,
      owner: 'bench',
      now: new Date(),
      howMany: () => TAKEN,
      prepare: (member, dialing) => ({ uniqueid: dialing.id, server: 'pbx', dialString: `Local/${member.number.number}@customers`, variables: { SB_DIALING_ID: dialing.id }, originate: {}, problem: null, notNow: null, trunkId: null, planSnapshot: {}, destinationSnapshot: {}, otherUniqueid: null }),
    });
    leaseTimes.push(performance.now() - started);
    if (leased.length !== TAKEN) throw new Error(`leased ${leased.length} members, not ${TAKEN}`);
    if (campaign.numberTypes.length > 0 && leased.some((dialing) => dialing.numberSlot !== 1)) throw new Error('a home number was leased outside its window');
    started = performance.now();
    const recorded = await recordAttempts(database.driver, leased.map((dialing) => NO_ANSWER(dialing.id)));
    recordTimes.push(performance.now() - started);
    if (!recorded.every((one) => one.recorded)) throw new Error('an attempt was not recorded');
    // Tries forgotten, so every lease finds the list as the first did (the attempts stay, as they would).
    await database.driver.withConnection((connection) =>
      connection.query(`UPDATE "MemberNumber" SET "tryCount" = 0 WHERE "memberId" = ANY($1::uuid[])`, [leased.map((dialing) => dialing.memberId)]),
    );
  }
  const started = performance.now();
  await waitingMembers(database.driver, campaign, new Date());
  const waitingMs = performance.now() - started;
  const [counted] = await database.driver.withConnection((connection) => connection.query<{ attempts: number }>('SELECT count(*)::int AS attempts FROM "CallAttempt"'));
  return { storage, members, attempts: counted?.attempts ?? 0, lease: timing(leaseTimes), record: timing(recordTimes), waitingMs };
}

const rows: Row[] = [];
console.log(`bench/scale on ${machine()}`);
for (const storage of storages) {
  const folder = await mkdtemp(join(tmpdir(), 'switchboard-bench-scale-'));
  const bench = storage === 'postgresql' ? await createBenchDatabase(values['postgres-url']) : undefined;
  const database = await openDatabase(bench ? { databaseUrl: bench.url, dataDir: folder } : { dataDir: folder });
  try {
    const typed = values['number-types'] === true;
    const campaign = await createScaleCampaign(database, 'RUNNING', typed ? numberTypes(new Date()) : []);
    let grown = 0;
    for (const size of sizesOf(storage === 'postgresql' ? values['postgres-sizes'] : values['embedded-sizes'])) {
      const started = performance.now();
      await grow(database, grown + 1, size, typed);
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
const ms = ({ p50, p99, max }: Timing) => `${p50.toFixed(1)} / ${p99.toFixed(1)} / ${max.toFixed(1)}`;
if (values['number-types'] === true) console.log('Plan with number types (--number-types): mobile open all day, home closed; every lease dialed the mobile numbers.');
console.log('| storage | members a list (two lists) | attempts | lease p50 / p99 / max ms | record p50 / p99 / max ms | waiting count ms |');
console.log('|---|---:|---:|---|---|---:|');
for (const row of rows) {
  console.log(`| ${row.storage} | ${whole(row.members)} | ${whole(row.attempts)} | ${ms(row.lease)} | ${ms(row.record)} | ${whole(row.waitingMs)} |`);
}
