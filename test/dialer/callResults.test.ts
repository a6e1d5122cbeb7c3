import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AsteriskManagerConnection } from '../../src/ami/asteriskManager.js';
import { startSimulator, type Simulator } from '../../src/ami/simulator/index.js';
import { createBus } from '../../src/bus/bus.js';
import { startDialer, type Dialer } from '../../src/dialer/engine.js';
import { MemoryLiveStore } from '../../src/live/storeMemory.js';
import { createLogger } from '../../src/logger.js';
import { changeCallResult } from '../../src/outbound/callResults.js';
import { setCampaignStatus } from '../../src/outbound/campaigns.js';
import { setMemberResult } from '../../src/outbound/memberResult.js';
import { createRescheduleRule } from '../../src/outbound/rescheduleRules.js';
import { createPostgresDatabase, type TestDatabase } from '../support/database.js';
import { postgresAvailable } from '../support/fixture.js';

const credentials = { username: 'dialer', secret: 'dialer-secret' };
const log = createLogger('silent');
const bus = createBus();

/** Call results steering the dialer against the simulated PBX: 5XXX customers send CALLSTATUS SALE, ATTRIBUTE ivr 1, ATTR_APPEND ivr 2. */
describe.skipIf(!postgresAvailable)('call results and the members they steer', () => {
  let simulator: Simulator;
  let connection: AsteriskManagerConnection;
  let database: TestDatabase;
  let dialer: Dialer | undefined;

  beforeEach(async () => {
    simulator = await startSimulator({ ...credentials, speed: 20 });
    connection = new AsteriskManagerConnection({ name: 'pbx1', host: simulator.host, port: simulator.port, ...credentials }, { log });
    await connection.start();
    database = await createPostgresDatabase();
  }, 30_000);

  afterEach(async () => {
    await dialer?.stop();
    dialer = undefined;
    await connection.close();
    await simulator.close();
    await database.drop();
  });

  async function campaignOver(numbers: string[], plan: Record<string, unknown> = {}) {
    const prisma = database.prisma;
    const created = await prisma.plan.create({
      data: { name: 'Plan', dialStringTemplate: 'Local/{number}@customers', dialTimeoutMs: 20_000, retryDelaySec: 1, maxRetries: [3, 3, 3, 3, 3, 3, 3, 3], maxConcurrentCalls: 3, ...plan },
    });
    const destination = await prisma.destination.create({ data: { name: 'Echo', type: 'EXTENSION', context: 'dest', exten: 'echo', priority: '1' } });
    const dialList = await prisma.dialList.create({ data: { name: 'List' } });
    for (const number of numbers) {
      await prisma.member.create({ data: { dialListId: dialList.id, name: number, numbers: { create: [{ slot: 1, dialListId: dialList.id, number }] } } });
    }
    return prisma.campaign.create({ data: { name: 'Campaign', planId: created.id, destinationId: destination.id, dialListId: dialList.id } });
  }

  const run = async (campaignId: string) => {
    dialer = startDialer({ prisma: database.prisma, driver: database.driver, connections: new Map([['pbx1', connection]]), store: new MemoryLiveStore(), bus, log, tickMs: 100 });
    await setCampaignStatus(database.prisma, campaignId, 'RUNNING', false, 'tester');
  };
  const stopped = async (campaignId: string) =>
    vi.waitFor(async () => expect((await database.prisma.campaign.findUniqueOrThrow({ where: { id: campaignId } })).status).toBe('STOPPED'), { timeout: 30_000, interval: 200 });
  const attemptsOf = (number: string) => database.prisma.callAttempt.findMany({ where: { dialedNumber: number }, orderBy: { originatedAt: 'asc' } });

  it("a completion code from the dialplan chooses a reschedule rule, which retries the member as many times as it grants", async () => {
    const campaign = await campaignOver(['5001', '1001']);
    const sale = await createRescheduleRule(database.prisma, campaign.id, { outcome: 'ANSWERED', completionCode: 'sale', maxAttempts: 1, retryAfterSec: 1 });
    await createRescheduleRule(database.prisma, campaign.id, { outcome: 'BUSY', maxAttempts: 5, retryAfterSec: 1 });
    await run(campaign.id);
    await stopped(campaign.id);

    const sales = await attemptsOf('5001');
    expect(sales.map((a) => [a.outcome, a.completionCode, a.outputs, a.rescheduleRuleId, a.rescheduleSec])).toEqual([
      ['ANSWERED', 'SALE', { ivr: '12' }, sale.id, 1],
      ['ANSWERED', 'SALE', { ivr: '12' }, sale.id, null],
    ]);
    expect((sales[1]?.originatedAt.getTime() ?? 0) - (sales[0]?.endedAt.getTime() ?? 0)).toBeGreaterThanOrEqual(1_000);
    const plain = await attemptsOf('1001');
    expect(plain.map((a) => [a.outcome, a.completionCode, a.outputs, a.rescheduleRuleId, a.rescheduleSec])).toEqual([['ANSWERED', null, {}, null, null]]);
  }, 60_000);

  it('setCallStatus on a finished call changes its attempt, but no rule fires', async () => {
    const campaign = await campaignOver(['1001']);
    await createRescheduleRule(database.prisma, campaign.id, { completionCode: 'CALLBACK', maxAttempts: 3, retryAfterSec: 1 });
    await run(campaign.id);
    await stopped(campaign.id);
    const [attempt] = await attemptsOf('1001');

    expect(await changeCallResult(database.prisma, attempt?.id as string, { kind: 'status', code: 'CALLBACK' })).toEqual({ dialingId: attempt?.id, finished: true });
    await changeCallResult(database.prisma, attempt?.id as string, { kind: 'append', name: 'Notes', value: 'later' });
    expect(await database.prisma.callAttempt.findUniqueOrThrow({ where: { id: attempt?.id } })).toMatchObject({ completionCode: 'CALLBACK', outputs: { notes: 'later' }, rescheduleRuleId: null });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await database.prisma.callAttempt.count()).toBe(1);
    expect((await database.prisma.member.findFirstOrThrow()).status).toBe('DONE');
  }, 60_000);

  it('retries an answered call shorter than minTalkSec like an unreached one', async () => {
    // At speed 20 the echo's 3 s of talk last 150 ms of the dialer's clock: under a second.
    const campaign = await campaignOver(['1001'], { minTalkSec: 1, maxRetries: [2, 2, 2, 2, 2, 2, 2, 2] });
    await run(campaign.id);
    await stopped(campaign.id);
    const attempts = await attemptsOf('1001');
    expect(attempts.map((a) => [a.outcome, a.rescheduleSec])).toEqual([
      ['ANSWERED', 1],
      ['ANSWERED', null],
    ]);
  }, 60_000);

  it('with waitForResult, a connected member waits for setMemberResult before it is dialed again', async () => {
    const campaign = await campaignOver(['1001'], { minTalkSec: 1, waitForResult: true, waitForResultSec: 600 });
    await run(campaign.id);
    await vi.waitFor(async () => expect(await database.prisma.callAttempt.count()).toBe(1), { timeout: 15_000 });
    const member = await database.prisma.member.findFirstOrThrow();
    expect(member.resultDueAt?.getTime()).toBeGreaterThan(Date.now() + 500_000);
    // Well past the retry delay: still waiting.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await database.prisma.callAttempt.count()).toBe(1);

    await setMemberResult(database.prisma, member.id, { success: false, nextAfterSec: 0, description: 'asked to call again' });
    await vi.waitFor(async () => expect(await database.prisma.callAttempt.count()).toBe(2), { timeout: 15_000 });
    expect((await database.prisma.member.findFirstOrThrow()).resultDescription).toBe('asked to call again');
  }, 60_000);
});
