import { describe, expect, it } from 'vitest';
import { postgresAvailable } from '../support/fixture.js';
import { answeredCalls, expectAlive, expectTakenOver, expectTruth, runningCampaign, settled, useFaultRig } from './harness.js';

/** The one process that plays every role on PostgreSQL, killed with answered calls up and started again. */
describe.skipIf(!postgresAvailable)('the all-in-one server SIGKILLed mid-call', () => {
  const rig = useFaultRig({ speed: 1, postgres: 'database' });

  it('follows the calls still up after its restart to their real end, and records each call once as what it was', async () => {
    const { database, witness } = rig;
    const environment = { DATABASE_URL: rig.databaseUrl, AMI_URL: rig.simulator.url };
    const first = await rig.start(environment);
    // 6XXX answer after a second's ring and talk 30 s, parked; 1XXX talk 4 s.
    await runningCampaign(database.prisma, ['6001', '6002', '6003', '1001', '1002']);
    await answeredCalls(witness, 5);
    // Killed once it has written the answers down: an answer it never saw is one nobody could know of.
    await expect.poll(() => database.prisma.dialing.count({ where: { answeredAt: { not: null } } }), { timeout: 10_000 }).toBe(5);
    await rig.kill(first);

    const second = await rig.start(environment);
    await settled(database.prisma, witness, 90_000);
    // The parked calls outlived the crash: their ends were seen by the restarted process, causes and all.
    await expectTruth(database.prisma, witness, { causesSeen: false });
    const parked = await database.prisma.callAttempt.findMany({ where: { dialedNumber: { startsWith: '6' } } });
    expect(parked.map((attempt) => [attempt.outcome, attempt.hangupCause])).toEqual(Array(3).fill(['ANSWERED', 16]));
    expectTakenOver(second, 3);
    expectAlive([second]);
  }, 120_000);
});
