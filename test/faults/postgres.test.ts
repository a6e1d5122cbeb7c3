import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/ami/simulator/index.js';
import { openDatabase, type Database } from '../../src/db/open.js';
import { watchPbx, type PbxWitness } from '../support/pbxWitness.js';
import { startPrivatePostgres, type PrivatePostgres } from '../support/privatePostgres.js';
import { startPrivateRedis, type PrivateRedis } from '../support/privateRedis.js';
import { startServerProcess, type ServerProcess } from '../support/process.js';
import { answeredCalls, expectAlive, expectTruth, PBX_CREDENTIALS, runningCampaign, settled } from './harness.js';

type Health = { ok: boolean; checks: { name: string; ok: boolean }[] };

/** PostgreSQL stopped for 10 s under split processes (API, worker, dialer) with calls up, then started again. */
describe.each(['fast', 'immediate'] as const)('PostgreSQL stopped (%s) mid-campaign', (mode) => {
  let simulator: Simulator;
  let witness: PbxWitness;
  let postgres: PrivatePostgres;
  let database: Database;
  let redis: PrivateRedis;
  const processes: ServerProcess[] = [];

  beforeEach(async () => {
    simulator = await startSimulator({ ...PBX_CREDENTIALS, speed: 1 });
    witness = await watchPbx({ host: simulator.host, port: simulator.port, ...PBX_CREDENTIALS });
    postgres = await startPrivatePostgres();
    database = await openDatabase({ databaseUrl: postgres.url, dataDir: '' });
    redis = await startPrivateRedis();
  });
  afterEach(async () => {
    for (const process of processes.splice(0)) await process.stop();
    await witness.close();
    await simulator.close();
    await database.close();
    await postgres.destroy();
    await redis.destroy();
  });

  it('ends no process, keeps /health answering, and records every call once it is back, each as what it was', async () => {
    const environment = { DATABASE_URL: postgres.url, REDIS_URL: redis.url, AMI_URL: simulator.url };
    for (const role of ['api', 'worker', 'dialer']) processes.push(await startServerProcess({ ...environment, ROLE: role }));
    const api = processes[0] as ServerProcess;
    // 1XXX talk 4 s and end while the database is away; 6XXX talk 30 s, parked, and end after it is back.
    await runningCampaign(database.prisma, ['6001', '6002', '6003', '1001', '1002', '1003']);
    await answeredCalls(witness, 6);
    await expect.poll(() => database.prisma.dialing.count({ where: { answeredAt: { not: null } } }), { timeout: 10_000 }).toBe(6);

    await postgres.stop(mode);
    const started = Date.now();
    const health = (await (await fetch(api.url.replace('/graphql', '/health'))).json()) as Health;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(health.checks.find((check) => check.name === 'database')?.ok).toBe(false);
    // The outage itself lasts 10 s: the calls go on meanwhile, and the 1XXX ones end.
    await witness.waitFor((calls) => calls.filter((call) => call.hangupCause !== null).length >= 6, 15_000);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 10_000 - (Date.now() - started))));
    await postgres.start();

    await settled(database.prisma, witness, 90_000);
    await expectTruth(database.prisma, witness, { causesSeen: true });
    expectAlive(processes);
  }, 150_000);
});
