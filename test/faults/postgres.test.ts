import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnWatched } from '../support/child.js';
import { startPrivatePostgres } from '../support/privatePostgres.js';
import { PROJECT_DIR } from '../support/process.js';
import { answeredCalls, expectAlive, expectTruth, healthOf, runningCampaign, settled, useFaultRig } from './harness.js';

/** PostgreSQL stopped for 10 s under split processes (API, worker, dialer) with calls up, then started again. */
describe.each(['fast', 'immediate'] as const)('PostgreSQL stopped (%s) mid-campaign', (mode) => {
  const rig = useFaultRig({ speed: 2, postgres: 'cluster', redis: true });

  it('ends no process, keeps /health answering, and records every call once it is back, each as what it was', async () => {
    const { database, witness } = rig;
    const environment = { DATABASE_URL: rig.databaseUrl, REDIS_URL: rig.redis.url, AMI_URL: rig.simulator.url };
    const api = await rig.start({ ...environment, ROLE: 'api' });
    await rig.start({ ...environment, ROLE: 'worker' });
    await rig.start({ ...environment, ROLE: 'dialer' });
    // At double speed 1XXX talk 2 s and end while the database is away; 6XXX talk 15 s, parked, and end after it is back.
    await runningCampaign(database.prisma, ['6001', '6002', '6003', '1001', '1002', '1003']);
    await answeredCalls(witness, 6);
    await expect.poll(() => database.prisma.dialing.count({ where: { answeredAt: { not: null } } }), { timeout: 10_000 }).toBe(6);

    await rig.postgres.stop(mode);
    const started = Date.now();
    expect(await healthOf(api, 'database')).toBe(false);
    // The outage itself lasts 10 s: the calls go on meanwhile, and the 1XXX ones end.
    await witness.waitFor((calls) => calls.filter((call) => call.hangupCause !== null).length >= 6, 15_000);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 10_000 - (Date.now() - started))));
    await rig.postgres.start();

    await settled(database.prisma, witness, 90_000);
    await expectTruth(database.prisma, witness, { causesSeen: true });
    expectAlive(rig.processes);
  }, 150_000);
});

/** A process started while PostgreSQL is down waits for it instead of exiting. */
describe('PostgreSQL down when a process starts', () => {
  it('waits with backoff, saying so, and serves once the database is up', async () => {
    const postgres = await startPrivatePostgres();
    await postgres.stop('fast');
    const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-faults-'));
    const child = spawnWatched(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: PROJECT_DIR,
      env: { ...process.env, LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', DATABASE_URL: postgres.url, DATA_DIR: dataDir },
    });
    try {
      await child.firstLine((line) => (line.includes('PostgreSQL is not reachable yet') ? line : undefined));
      await postgres.start();
      const url = await child.firstLine((line) => (line.includes('GraphQL API listening') ? line : undefined));
      expect(url).toContain('http://127.0.0.1:');
      expect(child.exited).toBe(false);
    } finally {
      await child.signal('SIGTERM');
      await postgres.destroy();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
