import { describe, expect, it } from 'vitest';
import { postgresAvailable } from '../support/fixture.js';
import type { ServerProcess } from '../support/process.js';
import { answeredCalls, expectAlive, expectTruth, runningCampaign, settled, useFaultRig } from './harness.js';

/** Split processes (a worker, two dialers) over PostgreSQL and Redis; one dialer is SIGKILLed mid-campaign. */
describe.skipIf(!postgresAvailable)('one of two dialers SIGKILLed', () => {
  const rig = useFaultRig({ speed: 2, postgres: 'database', redis: true });

  it('has the other adopt its calls within seconds, follow them to their real end, and dial no answered member again', async () => {
    const { database, witness } = rig;
    const environment = { DATABASE_URL: rig.databaseUrl, REDIS_URL: rig.redis.url, AMI_URL: rig.simulator.url };
    await rig.start({ ...environment, ROLE: 'worker' });
    const dialers = [await rig.start({ ...environment, ROLE: 'dialer' }), await rig.start({ ...environment, ROLE: 'dialer' })];
    await runningCampaign(database.prisma, ['6001', '6002', '6003', '6004', '6005', '6006', '1001', '1002', '1003', '1004']);
    await answeredCalls(witness, 6);
    await expect.poll(() => database.prisma.dialing.count({ where: { answeredAt: { not: null } } }), { timeout: 10_000 }).toBeGreaterThanOrEqual(6);

    // The dialer holding the most calls dies (its heartbeat row names its pid); the other is its heir.
    const [most] = await database.prisma.dialing.groupBy({ by: ['owner'], _count: true, orderBy: { _count: { owner: 'desc' } } });
    const heartbeat = await database.prisma.dialerProcess.findUniqueOrThrow({ where: { id: most?.owner as string } });
    const doomed = dialers.find((dialer) => dialer.pid === heartbeat.pid) as ServerProcess;
    const killedAt = Date.now();
    await rig.kill(doomed);
    await expect.poll(() => database.prisma.dialing.count({ where: { owner: heartbeat.id } }), { timeout: 20_000, interval: 100 }).toBe(0);
    // Adopted within seconds (a heartbeat's silence of 8 s and the next tick), not after a 30 s lease.
    expect(Date.now() - killedAt).toBeLessThan(15_000);

    await settled(database.prisma, witness, 90_000);
    await expectTruth(database.prisma, witness, { causesSeen: true });
    expectAlive(rig.processes);
  }, 150_000);
});
