import { describe, expect, it, vi } from 'vitest';
import type { PrismaClient, Trunk } from '../../src/generated/prisma/client.js';
import type { ValidationError } from '../../src/errors.js';
import { changePublisher, createBus } from '../../src/bus/bus.js';
import { campaignProgress } from '../../src/outbound/campaignProgress.js';
import { MemoryLiveStore } from '../../src/live/storeMemory.js';
import { startWorker } from '../../src/live/worker.js';
import { setCampaignStatus } from '../../src/outbound/campaigns.js';
import { postgresAvailable } from '../support/fixture.js';
import { campaignOver, credentials, silentLog, useSimulatedPbx } from './simulatedPbx.js';

/**
 * A plan's trunks against the simulated PBX, with the transcripts' dialplan: the first digit of what reaches the
 * `customers` context picks the outcome, so each trunk's dial string prefixes one (Local/1{number}: answers,
 * Local/2{number}: busy, Local/4{number}: congestion, Local/6{number}: talks 30 s).
 */
describe.skipIf(!postgresAvailable)("a plan's trunks", () => {
  const pbx = useSimulatedPbx();

  async function trunk(prisma: PrismaClient, name: string, digit: string, extra: Partial<Trunk> = {}): Promise<Trunk> {
    return prisma.trunk.create({ data: { name, dialStringTemplate: `Local/${digit}{number}@customers`, ...extra } });
  }

  async function routedCampaign(prisma: PrismaClient, numbers: string[], routes: { trunk: Trunk; numberPattern?: string }[], plan: Record<string, unknown> = {}) {
    const campaign = await campaignOver(prisma, numbers, { dialStringTemplate: null, maxConcurrentCalls: 10, ...plan });
    await prisma.planTrunk.createMany({ data: routes.map((route, position) => ({ planId: campaign.planId, position, trunkId: route.trunk.id, numberPattern: route.numberPattern ?? null })) });
    return campaign;
  }

  const statusOf = async (prisma: PrismaClient, id: string) => (await prisma.campaign.findUniqueOrThrow({ where: { id } })).status;

  it("routes each number to the first trunk whose pattern takes it, dials it as that trunk says with its caller id, and records the trunk on the attempt", async () => {
    const { prisma } = pbx.database;
    const answers = await trunk(prisma, 'Answers', '1', { callerId: '"Ones" <5551111>' });
    const busy = await trunk(prisma, 'Busy', '2');
    const campaign = await routedCampaign(prisma, ['001', '002', '501'], [{ trunk: answers, numberPattern: '^00' }, { trunk: busy }], { callerId: '"Plan" <5550000>', maxRetries: [1, 1, 1, 1, 1, 1, 1, 1] });
    const callerIds = new Map<string, string>();
    const unsubscribe = pbx.simulator.pbx.subscribe((frame) => {
      const fields = Object.fromEntries(frame);
      const dialed = /^Local\/(\d+)@customers-\w+;1$/.exec(fields.Channel ?? '')?.[1];
      if (fields.Event === 'Hangup' && dialed) callerIds.set(dialed, fields.CallerIDNum ?? '');
    });
    pbx.startDialer();
    await setCampaignStatus(prisma, campaign.id, 'RUNNING', false, 'tester');
    await vi.waitFor(async () => expect(await statusOf(prisma, campaign.id)).toBe('STOPPED'), { timeout: 30_000 });
    unsubscribe();

    const attempts = await prisma.callAttempt.findMany({ orderBy: { dialedNumber: 'asc' } });
    expect(attempts.map((a) => [a.dialedNumber, a.dialString, a.outcome, a.trunkId, a.failedTrunkIds])).toEqual([
      ['001', 'Local/1001@customers', 'ANSWERED', answers.id, []],
      ['002', 'Local/1002@customers', 'ANSWERED', answers.id, []],
      ['501', 'Local/2501@customers', 'BUSY', busy.id, []],
    ]);
    expect(Object.fromEntries(callerIds)).toEqual({ '1001': '5551111', '1002': '5551111', '2501': '5550000' });
  }, 40_000);

  it("never puts more of the dialers' calls on a trunk than its limit, while the plan's other trunk dials on, and keeps the waiting members untried", async () => {
    const { prisma } = pbx.database;
    // 3XXX rings until the Originate's timeout: the calls stay up while the dialer ticks.
    const narrow = await trunk(prisma, 'Narrow', '3', { maxChannels: 1 });
    const wide = await trunk(prisma, 'Wide', '3');
    // Three calls at most: the members waiting for the narrow trunk come first, and are looked past for those behind them.
    const campaign = await routedCampaign(prisma, ['601', '602', '603', '604', '701', '702'], [{ trunk: narrow, numberPattern: '^6' }, { trunk: wide, numberPattern: '^7' }], {
      dialTimeoutMs: 600_000,
      maxConcurrentCalls: 3,
    });
    const dialer = pbx.startDialer();
    await setCampaignStatus(prisma, campaign.id, 'RUNNING', false, 'tester');
    const onTrunk = async (id: string) => prisma.dialing.count({ where: { campaignId: campaign.id, trunkId: id } });
    await vi.waitFor(async () => expect([await onTrunk(narrow.id), await onTrunk(wide.id)]).toEqual([1, 2]), { timeout: 10_000 });
    await dialer.ticks(5);
    expect([await onTrunk(narrow.id), await onTrunk(wide.id)]).toEqual([1, 2]);
    // The members waiting for the narrow trunk were given back each tick, never tried.
    expect(await prisma.callAttempt.count()).toBe(0);
    const waiting = await prisma.member.findMany({ where: { dialListId: campaign.dialListId, status: 'IDLE' }, include: { numbers: true }, orderBy: { name: 'asc' } });
    expect(waiting.map((member) => [member.name, member.numbers[0]?.tryCount])).toEqual([
      ['602', 0],
      ['603', 0],
      ['604', 0],
    ]);
  }, 40_000);

  it('records a number no trunk takes as a failed attempt that says so, and dials the rest', async () => {
    const { prisma } = pbx.database;
    const answers = await trunk(prisma, 'Answers', '1');
    const campaign = await routedCampaign(prisma, ['001', '901'], [{ trunk: answers, numberPattern: '^0' }], { maxRetries: [1, 1, 1, 1, 1, 1, 1, 1] });
    pbx.startDialer();
    await setCampaignStatus(prisma, campaign.id, 'RUNNING', false, 'tester');
    await vi.waitFor(async () => expect(await statusOf(prisma, campaign.id)).toBe('STOPPED'), { timeout: 30_000 });
    const attempts = await prisma.callAttempt.findMany({ orderBy: { dialedNumber: 'asc' } });
    expect(attempts.map((a) => [a.dialedNumber, a.outcome, a.dialResultText])).toEqual([
      ['001', 'ANSWERED', expect.any(String)],
      ['901', 'FAILED', 'Not dialed: no trunk of plan "Plan" takes the number 901'],
    ]);
  }, 40_000);

  it('is a bound on pacing only when every trunk has a limit: one without lets the campaign dial without end, so it does not start', async () => {
    const { prisma } = pbx.database;
    const limited = await trunk(prisma, 'Limited', '1', { maxChannels: 2 });
    const open = await trunk(prisma, 'Open', '1');
    const unbound = await routedCampaign(prisma, ['001'], [{ trunk: limited, numberPattern: '^0' }, { trunk: open }], { maxConcurrentCalls: null });
    const refused = await setCampaignStatus(prisma, unbound.id, 'RUNNING', false, 'tester').catch((error: unknown) => error);
    expect((refused as ValidationError).problems).toEqual([{ field: 'maxConcurrentCalls', message: expect.stringContaining("or a trunk's limit, on each of its trunks") }]);
    await prisma.trunk.update({ where: { id: open.id }, data: { maxChannels: 5 } });
    expect(await setCampaignStatus(prisma, unbound.id, 'RUNNING', false, 'tester')).toMatchObject({ status: 'STARTING' });
  });

  it("sends a trunk's originates no faster than its own pace", async () => {
    const { prisma } = pbx.database;
    const slow = await trunk(prisma, 'Slow', '1', { originatesPerSecond: 4 });
    const campaign = await routedCampaign(prisma, ['001', '002', '003', '004'], [{ trunk: slow }]);
    const placedAt: number[] = [];
    const unsubscribe = pbx.simulator.pbx.subscribe((frame) => {
      const fields = Object.fromEntries(frame);
      if (fields.Event === 'Newchannel' && fields.Channel?.endsWith(';1')) placedAt.push(performance.now());
    });
    pbx.startDialer();
    await setCampaignStatus(prisma, campaign.id, 'RUNNING', false, 'tester');
    await vi.waitFor(() => expect(placedAt).toHaveLength(4), { timeout: 20_000 });
    unsubscribe();
    // A quarter of a second apart at least (a loaded machine only spaces them more); some slack for the wire.
    const gaps = placedAt.slice(1).map((at, index) => at - (placedAt[index] as number));
    expect(gaps.every((gap) => gap >= 200)).toBe(true);
  }, 40_000);

  it('fails a call over from a congested trunk to the next within the same attempt, one try counted, and records both trunks', async () => {
    const { prisma } = pbx.database;
    const congested = await trunk(prisma, 'Congested', '4');
    const answers = await trunk(prisma, 'Answers', '1');
    const campaign = await routedCampaign(prisma, ['001', '002'], [{ trunk: congested }, { trunk: answers }], { maxRetries: [1, 1, 1, 1, 1, 1, 1, 1] });
    pbx.startDialer();
    await setCampaignStatus(prisma, campaign.id, 'RUNNING', false, 'tester');
    await vi.waitFor(async () => expect(await statusOf(prisma, campaign.id)).toBe('STOPPED'), { timeout: 30_000 });
    const attempts = await prisma.callAttempt.findMany({ orderBy: { dialedNumber: 'asc' } });
    expect(attempts.map((a) => [a.dialedNumber, a.outcome, a.dialString, a.tryCount, a.trunkId, a.failedTrunkIds, a.uniqueid === `${a.id}-2`])).toEqual([
      ['001', 'ANSWERED', 'Local/1001@customers', 1, answers.id, [congested.id], true],
      ['002', 'ANSWERED', 'Local/1002@customers', 1, answers.id, [congested.id], true],
    ]);
    expect((await prisma.memberNumber.findMany()).map((number) => number.tryCount)).toEqual([1, 1]);
  }, 40_000);

  it("waits its turn at the next trunk's own pace when failing over, as a first call does", async () => {
    const { prisma } = pbx.database;
    const congested = await trunk(prisma, 'Congested', '4');
    const slow = await trunk(prisma, 'Slow', '1', { originatesPerSecond: 4 });
    const campaign = await routedCampaign(prisma, ['001', '002', '003', '004'], [{ trunk: congested }, { trunk: slow }], { maxRetries: [1, 1, 1, 1, 1, 1, 1, 1] });
    const placedAt: number[] = [];
    const unsubscribe = pbx.simulator.pbx.subscribe((frame) => {
      const fields = Object.fromEntries(frame);
      // The legs on the slow trunk only: Local/1<number>, after each call's congested first leg.
      if (fields.Event === 'Newchannel' && /^Local\/1\d{3}@customers-\w+;1$/.test(fields.Channel ?? '')) placedAt.push(performance.now());
    });
    pbx.startDialer();
    await setCampaignStatus(prisma, campaign.id, 'RUNNING', false, 'tester');
    await vi.waitFor(async () => expect(await statusOf(prisma, campaign.id)).toBe('STOPPED'), { timeout: 30_000 });
    unsubscribe();
    expect(placedAt).toHaveLength(4);
    // A quarter of a second apart at least, as the pace test above; the four congested legs fail at once.
    const gaps = placedAt.slice(1).map((at, index) => at - (placedAt[index] as number));
    expect(gaps.every((gap) => gap >= 200)).toBe(true);
  }, 40_000);

  it('fails over past a trunk whose endpoint the PBX reports unreachable, to the next that can take the call', async () => {
    const { prisma } = pbx.database;
    const { devices } = pbx.simulator.pbx;
    devices.change('PJSIP/carrier-down', 'UNAVAILABLE');
    const store = new MemoryLiveStore();
    const worker = await startWorker({ servers: [{ name: 'pbx1', host: pbx.simulator.host, port: pbx.simulator.port, ...credentials }], store, publish: changePublisher(createBus()), log: silentLog });
    try {
      await vi.waitFor(async () => expect((await store.get('device', 'pbx1', 'PJSIP/carrier-down'))?.state).toBe('UNAVAILABLE'), { timeout: 10_000 });
      const congested = await trunk(prisma, 'Congested', '4');
      // Its template would answer: only its reach keeps the failed-over call off it.
      const down = await trunk(prisma, 'Down', '1', { endpoint: 'carrier-down' });
      const answers = await trunk(prisma, 'Answers', '1');
      const campaign = await routedCampaign(prisma, ['001', '002'], [{ trunk: congested }, { trunk: down }, { trunk: answers }], { maxRetries: [1, 1, 1, 1, 1, 1, 1, 1] });
      pbx.startDialer({ connections: worker.connections, store });
      await setCampaignStatus(prisma, campaign.id, 'RUNNING', false, 'tester');
      await vi.waitFor(async () => expect(await statusOf(prisma, campaign.id)).toBe('STOPPED'), { timeout: 30_000 });
      const attempts = await prisma.callAttempt.findMany({ orderBy: { dialedNumber: 'asc' } });
      expect(attempts.map((a) => [a.dialedNumber, a.outcome, a.trunkId, a.failedTrunkIds])).toEqual([
        ['001', 'ANSWERED', answers.id, [congested.id]],
        ['002', 'ANSWERED', answers.id, [congested.id]],
      ]);
    } finally {
      await worker.stop();
    }
  }, 40_000);

  it('fails over from a trunk whose Originate cannot make a channel, and records the last failure when every trunk failed', async () => {
    const { prisma } = pbx.database;
    const broken = await prisma.trunk.create({ data: { name: 'Broken', dialStringTemplate: 'Nosuch/{number}@nowhere' } });
    const congested = await trunk(prisma, 'Congested', '4');
    const answers = await trunk(prisma, 'Answers', '1');
    const campaign = await routedCampaign(prisma, ['001', '801'], [{ trunk: broken }, { trunk: congested }, { trunk: answers, numberPattern: '^0' }], { maxRetries: [1, 1, 1, 1, 1, 1, 1, 1] });
    pbx.startDialer();
    await setCampaignStatus(prisma, campaign.id, 'RUNNING', false, 'tester');
    await vi.waitFor(async () => expect(await statusOf(prisma, campaign.id)).toBe('STOPPED'), { timeout: 30_000 });
    const attempts = await prisma.callAttempt.findMany({ orderBy: { dialedNumber: 'asc' } });
    expect(attempts.map((a) => [a.dialedNumber, a.outcome, a.trunkId, a.failedTrunkIds])).toEqual([
      ['001', 'ANSWERED', answers.id, [broken.id, congested.id]],
      ['801', 'CONGESTION', congested.id, [broken.id]],
    ]);
  }, 40_000);

  it('routes around a trunk whose endpoint the PBX reports unreachable, holds while every trunk is, and dials again by itself once one is back', async () => {
    const { prisma } = pbx.database;
    // Endpoints as Asterisk's device state core reports them (a PJSIP endpoint whose contacts stop answering qualify goes UNAVAILABLE).
    const { devices } = pbx.simulator.pbx;
    devices.change('PJSIP/carrier-a', 'NOT_INUSE');
    devices.change('PJSIP/carrier-b', 'NOT_INUSE');
    const store = new MemoryLiveStore();
    const worker = await startWorker({ servers: [{ name: 'pbx1', host: pbx.simulator.host, port: pbx.simulator.port, ...credentials }], store, publish: changePublisher(createBus()), log: silentLog });
    try {
      const carrierA = await trunk(prisma, 'Carrier A', '1', { endpoint: 'carrier-a' });
      const carrierB = await trunk(prisma, 'Carrier B', '1', { endpoint: 'carrier-b' });
      const numbers = Array.from({ length: 60 }, (_, index) => String(index).padStart(3, '0'));
      const campaign = await routedCampaign(prisma, numbers, [{ trunk: carrierA }, { trunk: carrierB }], { maxConcurrentCalls: 1 });
      devices.change('PJSIP/carrier-a', 'UNAVAILABLE');
      await vi.waitFor(async () => expect((await store.get('device', 'pbx1', 'PJSIP/carrier-a'))?.state).toBe('UNAVAILABLE'), { timeout: 10_000 });
      const dialer = pbx.startDialer({ connections: worker.connections, store });
      await setCampaignStatus(prisma, campaign.id, 'RUNNING', false, 'tester');
      const trunksOf = async () => (await prisma.callAttempt.findMany({ orderBy: { endedAt: 'asc' } })).map((attempt) => attempt.trunkId);
      // Carrier A is down: every call goes through Carrier B.
      await vi.waitFor(async () => expect((await trunksOf()).length).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
      expect(new Set(await trunksOf())).toEqual(new Set([carrierB.id]));

      devices.change('PJSIP/carrier-b', 'UNAVAILABLE');
      await vi.waitFor(async () => expect((await campaignProgress(prisma, campaign.id))?.hold).toMatchObject({ reason: 'TRUNKS_UNREACHABLE', detail: 'every trunk is unreachable: Carrier A (PJSIP/carrier-a UNAVAILABLE), Carrier B (PJSIP/carrier-b UNAVAILABLE)' }), { timeout: 10_000 });
      await vi.waitFor(async () => expect(await prisma.dialing.count()).toBe(0), { timeout: 10_000 });
      const held = (await trunksOf()).length;
      await dialer.ticks(5);
      expect(await prisma.callAttempt.count()).toBe(held);

      devices.change('PJSIP/carrier-a', 'NOT_INUSE');
      await vi.waitFor(async () => expect((await trunksOf()).slice(held)).toContain(carrierA.id), { timeout: 10_000 });
      expect(new Set((await trunksOf()).slice(held))).toEqual(new Set([carrierA.id]));
      expect((await campaignProgress(prisma, campaign.id))?.hold?.reason).not.toBe('TRUNKS_UNREACHABLE');
    } finally {
      await worker.stop();
    }
  }, 40_000);
});
