import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/ami/simulator/index.js';
import { setCampaignStatus } from '../../src/outbound/campaigns.js';
import { createPostgresDatabase, type TestDatabase } from '../support/database.js';
import { postgresAvailable } from '../support/fixture.js';
import { watchPbx, type PbxWitness } from '../support/pbxWitness.js';
import { startServerProcess, type ServerProcess } from '../support/process.js';
import { startSimulatorProcess } from '../support/simulatorProcess.js';
import { startStallProxy } from '../support/stallProxy.js';
import { answeredCalls, expectAlive, expectTruth, PBX_CREDENTIALS, runningCampaign, settled } from './harness.js';

/** The PBX failing under the all-in-one process: killed (every call gone with it), or silent on an open socket. */
describe.skipIf(!postgresAvailable)('the PBX failing mid-campaign', () => {
  const closers: (() => Promise<unknown>)[] = [];
  const processes: ServerProcess[] = [];
  let database: TestDatabase;
  afterEach(async () => {
    for (const process of processes.splice(0)) await process.stop();
    for (const close of closers.splice(0).reverse()) await close();
    await database?.drop();
  });
  const watch = async (target: { host: string; port: number }): Promise<PbxWitness> => {
    const witness = await watchPbx({ ...target, ...PBX_CREDENTIALS });
    closers.push(() => witness.close());
    return witness;
  };

  it('SIGKILLed with answered calls up: each is recorded ANSWERED once, nothing is dialed blindly, and dialing resumes once it is back', async () => {
    const pbx = await startSimulatorProcess({ ...PBX_CREDENTIALS, speed: 2 });
    closers.push(() => pbx.stop());
    database = await createPostgresDatabase();
    const witness = await watch(pbx);
    processes.push(await startServerProcess({ DATABASE_URL: database.url as string, AMI_URL: pbx.url }));
    const campaign = await runningCampaign(database.prisma, ['6001', '6002', '6003']);
    await answeredCalls(witness, 3);
    await expect.poll(() => database.prisma.dialing.count({ where: { answeredAt: { not: null } } }), { timeout: 10_000 }).toBe(3);

    await pbx.kill();
    // Every call died with it, unheard: once it is back, none is left live, and each was answered.
    await pbx.start();
    await expect.poll(() => database.prisma.dialing.count(), { timeout: 30_000, interval: 250 }).toBe(0);
    const attempts = await database.prisma.callAttempt.findMany();
    expect(attempts.map((attempt) => attempt.outcome)).toEqual(['ANSWERED', 'ANSWERED', 'ANSWERED']);
    expect(attempts.map((attempt) => attempt.id).sort()).toEqual([...witness.dialings().keys()].sort());

    // Dialing goes on against the PBX that came back: the list ended, so the campaign is started again.
    await database.prisma.member.create({ data: { dialListId: campaign.dialListId, name: '1001', numbers: { create: [{ slot: 1, dialListId: campaign.dialListId, number: '1001' }] } } });
    await expect.poll(async () => (await database.prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status, { timeout: 10_000 }).toBe('STOPPED');
    await setCampaignStatus(database.prisma, campaign.id, 'RUNNING', false, 'fault test');
    await expect.poll(() => database.prisma.callAttempt.count({ where: { dialedNumber: '1001' } }), { timeout: 30_000 }).toBe(1);
    expect(await database.prisma.callAttempt.findFirstOrThrow({ where: { dialedNumber: '1001' } })).toMatchObject({ outcome: 'ANSWERED', hangupCause: 16 });
    expectAlive(processes);
  }, 120_000);

  it('silent on a socket it never closes: the keepalive drops it, and after it answers again every call is followed to its real end', async () => {
    const simulator = await startSimulator({ ...PBX_CREDENTIALS, speed: 2 });
    closers.push(() => simulator.close());
    const proxy = await startStallProxy(simulator);
    closers.push(() => proxy.close());
    database = await createPostgresDatabase();
    const witness = await watch(simulator);
    const server = await startServerProcess({ DATABASE_URL: database.url as string, AMI_URL: `ami://${PBX_CREDENTIALS.username}:${PBX_CREDENTIALS.secret}@${proxy.host}:${proxy.port}`, AMI_KEEPALIVE_SECONDS: '1' });
    processes.push(server);
    await runningCampaign(database.prisma, ['6001', '6002']);
    await answeredCalls(witness, 2);

    proxy.stall();
    await expect.poll(() => server.logs.some((line) => line.includes('keepalive Ping unanswered')), { timeout: 15_000 }).toBe(true);
    proxy.resume();

    await settled(database.prisma, witness, 90_000);
    await expectTruth(database.prisma, witness, { causesSeen: true });
    expectAlive(processes);
  }, 120_000);
});
