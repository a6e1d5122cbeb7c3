import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/ami/simulator/index.js';
import { createPostgresDatabase, type TestDatabase } from '../support/database.js';
import { postgresAvailable } from '../support/fixture.js';
import { watchPbx, type PbxWitness } from '../support/pbxWitness.js';
import { startPrivateRedis, type PrivateRedis } from '../support/privateRedis.js';
import { startServerProcess, type ServerProcess } from '../support/process.js';
import { answeredCalls, expectAlive, expectTruth, PBX_CREDENTIALS, runningCampaign, settled } from './harness.js';

/** Split processes (a worker, two dialers) over PostgreSQL and Redis; one dialer is SIGKILLed mid-campaign. */
describe.skipIf(!postgresAvailable)('one of two dialers SIGKILLed', () => {
  let simulator: Simulator;
  let witness: PbxWitness;
  let database: TestDatabase;
  let redis: PrivateRedis;
  const processes: ServerProcess[] = [];

  beforeEach(async () => {
    simulator = await startSimulator({ ...PBX_CREDENTIALS, speed: 2 });
    witness = await watchPbx({ host: simulator.host, port: simulator.port, ...PBX_CREDENTIALS });
    database = await createPostgresDatabase();
    redis = await startPrivateRedis();
  });
  afterEach(async () => {
    for (const process of processes.splice(0)) await process.stop();
    await witness.close();
    await simulator.close();
    await database.drop();
    await redis.destroy();
  });

  it('has the other adopt its calls within seconds, follow them to their real end, and dial no answered member again', async () => {
    const environment = { DATABASE_URL: database.url as string, REDIS_URL: redis.url, AMI_URL: simulator.url };
    const start = async (role: string) => {
      const process = await startServerProcess({ ...environment, ROLE: role });
      processes.push(process);
      return process;
    };
    await start('worker');
    const dialers = [await start('dialer'), await start('dialer')];
    await runningCampaign(database.prisma, ['6001', '6002', '6003', '6004', '6005', '6006', '1001', '1002', '1003', '1004']);
    await answeredCalls(witness, 6);
    await expect.poll(() => database.prisma.dialing.count({ where: { answeredAt: { not: null } } }), { timeout: 10_000 }).toBeGreaterThanOrEqual(6);

    // The dialer holding the most calls dies; the other is its witness-free heir.
    const owners = await database.prisma.dialing.groupBy({ by: ['owner'], _count: true, orderBy: { _count: { owner: 'desc' } } });
    const doomedOwner = owners[0]?.owner as string;
    const doomed = dialers[(await dialerIndex(database, dialers, doomedOwner)) ?? 0] as ServerProcess;
    const killedAt = Date.now();
    await doomed.kill();
    processes.splice(processes.indexOf(doomed), 1);
    await expect.poll(() => database.prisma.dialing.count({ where: { owner: doomedOwner } }), { timeout: 20_000, interval: 100 }).toBe(0);
    // Adopted within seconds (a heartbeat's silence of 8 s and the next tick), not after a 30 s lease.
    expect(Date.now() - killedAt).toBeLessThan(15_000);

    await settled(database.prisma, witness, 90_000);
    await expectTruth(database.prisma, witness, { causesSeen: true });
    expectAlive(processes);
  }, 150_000);
});

/** Which of the dialer processes is `owner`: its pid is on its heartbeat row. */
async function dialerIndex(database: TestDatabase, dialers: ServerProcess[], owner: string): Promise<number | undefined> {
  const row = await database.prisma.dialerProcess.findUnique({ where: { id: owner } });
  const index = dialers.findIndex((dialer) => dialer.pid === row?.pid);
  return index < 0 ? undefined : index;
}
