import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/ami/simulator/index.js';
import { createPostgresDatabase, type TestDatabase } from '../support/database.js';
import { postgresAvailable } from '../support/fixture.js';
import { watchPbx, type PbxWitness } from '../support/pbxWitness.js';
import { startServerProcess, type ServerProcess } from '../support/process.js';
import { answeredCalls, expectAlive, expectTruth, PBX_CREDENTIALS, runningCampaign, settled } from './harness.js';

/** The one process that plays every role, killed with answered calls up and started again. */
describe.skipIf(!postgresAvailable)('the all-in-one server SIGKILLed mid-call', () => {
  let simulator: Simulator;
  let witness: PbxWitness;
  let database: TestDatabase;
  const processes: ServerProcess[] = [];

  beforeEach(async () => {
    simulator = await startSimulator({ ...PBX_CREDENTIALS, speed: 1 });
    witness = await watchPbx({ host: simulator.host, port: simulator.port, ...PBX_CREDENTIALS });
    database = await createPostgresDatabase();
  });
  afterEach(async () => {
    for (const process of processes.splice(0)) await process.stop();
    await witness.close();
    await simulator.close();
    await database.drop();
  });

  it('follows the calls still up after its restart to their real end, and records each call once as what it was', async () => {
    const environment = { DATABASE_URL: database.url as string, AMI_URL: simulator.url };
    const first = await startServerProcess(environment);
    processes.push(first);
    // 6XXX answer after a second's ring and talk 30 s, parked; 1XXX talk 4 s.
    await runningCampaign(database.prisma, ['6001', '6002', '6003', '1001', '1002']);
    await answeredCalls(witness, 5);
    // Killed once it has written the answers down: an answer it never saw is one nobody could know of.
    await expect.poll(() => database.prisma.dialing.count({ where: { answeredAt: { not: null } } }), { timeout: 10_000 }).toBe(5);
    await first.kill();
    processes.splice(processes.indexOf(first), 1);

    const second = await startServerProcess(environment);
    processes.push(second);
    await settled(database.prisma, witness, 90_000);
    // The parked calls outlived the crash: their ends were seen by the restarted process, causes and all.
    await expectTruth(database.prisma, witness, { causesSeen: false });
    const parked = await database.prisma.callAttempt.findMany({ where: { dialedNumber: { startsWith: '6' } } });
    expect(parked.map((attempt) => [attempt.outcome, attempt.hangupCause])).toEqual(Array(3).fill(['ANSWERED', 16]));
    // Taken over, not dialed again: the restarted process followed the parked calls it found up.
    const takeOvers = second.logs.filter((line) => line.includes('took over dialings')).map((line) => JSON.parse(line) as { followed?: number });
    expect(takeOvers.reduce((sum, entry) => sum + (entry.followed ?? 0), 0)).toBeGreaterThanOrEqual(3);
    expectAlive([second]);
  }, 120_000);
});
