import { describe, expect, it, vi } from 'vitest';
import type { Campaign } from '../../src/generated/prisma/client.js';
import { leaseDialings } from '../../src/dialer/leasing.js';
import { dialingsAdopted } from '../../src/metrics/processMetrics.js';
import { setCampaignStatus } from '../../src/outbound/campaigns.js';
import { postgresAvailable } from '../support/fixture.js';
import { changePublisher, createBus } from '../../src/bus/bus.js';
import { MemoryLiveStore } from '../../src/live/storeMemory.js';
import { startWorker } from '../../src/live/worker.js';
import { campaignOver, credentials, silentLog, useSimulatedPbx } from './simulatedPbx.js';

/** A dialer taking over the dialings of one that died: what it finds decides what each becomes, and nothing is dialed twice. */
describe.skipIf(!postgresAvailable)('adopting a dead dialer’s dialings', () => {
  const pbx = useSimulatedPbx(5);

  /** What a process that leased `count` members for `server`, marked them and died before anything more left: each dialing's id by its number. */
  async function leasedByDeadDialer(campaign: Campaign, runId: string, count: number, server: string): Promise<Map<string, string>> {
    const leased = await leaseDialings(pbx.database.driver, {
      campaign: { id: campaign.id, runId, dialListId: campaign.dialListId, maxRetries: [3, 3, 3, 3, 3, 3, 3, 3], numberStrategy: 'TOP_DOWN', memberWindow: null, numberTypes: [], timezone: 'UTC' },
      owner: 'dialer-dead',
      now: new Date(),
      howMany: () => count,
      prepare: (member, dialing) => ({ uniqueid: dialing.id, server, dialString: `Local/${member.number.number}@customers`, variables: {}, originate: {}, problem: null, notNow: null, trunkId: null, planSnapshot: {}, destinationSnapshot: {}, otherUniqueid: null }),
    });
    return new Map(leased.map((dialing) => [dialing.dialedNumber, dialing.id]));
  }

  it('gives back untried a dialing whose Originate the PBX never took, and records what is known of the others', async () => {
    const { prisma } = pbx.database;
    const campaign = await campaignOver(prisma, ['1001', '1002', '1003']);
    const run = await prisma.campaignRun.create({ data: { campaignId: campaign.id, startedBy: 'test' } });
    const byNumber = await leasedByDeadDialer(campaign, run.id, 3, 'pbx1');
    const earlier = new Date(Date.now() - 60_000);
    await prisma.dialing.update({ where: { id: byNumber.get('1001') }, data: { status: 'ORIGINATING', originatedAt: earlier } });
    await prisma.dialing.update({ where: { id: byNumber.get('1002') }, data: { status: 'RINGING', originatedAt: earlier, acceptedAt: earlier } });
    await prisma.dialing.update({ where: { id: byNumber.get('1003') }, data: { status: 'ANSWERED', originatedAt: earlier, acceptedAt: earlier, answeredAt: earlier } });

    const adopted = (result: string) => dialingsAdopted.value({ result });
    const before = { untried: adopted('untried'), unseen: adopted('unseen') };
    pbx.startDialer({ heartbeatMs: 100 });
    await vi.waitFor(async () => expect(await prisma.dialing.count()).toBe(0), { timeout: 10_000 });
    expect({ untried: adopted('untried') - before.untried, unseen: adopted('unseen') - before.unseen }).toEqual({ untried: 1, unseen: 2 });

    const attempts = await prisma.callAttempt.findMany({ orderBy: { dialedNumber: 'asc' } });
    expect(attempts.map((a) => [a.dialedNumber, a.outcome, a.hangupCause])).toEqual([
      ['1002', 'FAILED', null],
      ['1003', 'ANSWERED', null],
    ]);
    expect(attempts[0]?.dialResultText).toContain('ended unseen');
    expect(attempts[1]?.dialResultText).toContain('Answered');
    const members = await prisma.member.findMany({ include: { numbers: true }, orderBy: { name: 'asc' } });
    expect(members.map((m) => [m.name, m.status, m.numbers[0]?.tryCount])).toEqual([
      ['1001', 'IDLE', 0],
      ['1002', 'IDLE', 1],
      ['1003', 'DONE', 1],
    ]);
  });

  it('records a call whose failover its dialer died in before the next Originate as the failed leg ended: its trunk, outcome and cause, one try counted', async () => {
    const { prisma } = pbx.database;
    const store = new MemoryLiveStore();
    const worker = await startWorker({ servers: [{ name: 'pbx1', host: pbx.simulator.host, port: pbx.simulator.port, ...credentials }], store, publish: changePublisher(createBus()), log: silentLog });
    try {
      const campaign = await campaignOver(prisma, ['001'], { dialStringTemplate: null, maxRetries: [3, 3, 3, 3, 3, 3, 3, 3] });
      const congested = await prisma.trunk.create({ data: { name: 'Congested', dialStringTemplate: 'Local/4{number}@customers' } });
      const next = await prisma.trunk.create({ data: { name: 'Next', dialStringTemplate: 'Local/1{number}@customers' } });
      await prisma.planTrunk.createMany({ data: [congested, next].map((trunk, position) => ({ planId: campaign.planId, position, trunkId: trunk.id })) });
      const run = await prisma.campaignRun.create({ data: { campaignId: campaign.id, startedBy: 'test' } });
      const id = (await leasedByDeadDialer(campaign, run.id, 1, 'pbx1')).get('001') as string;
      // The first leg, as the dead dialer sent it: congested (4XXX), heard by the worker alone.
      await pbx.connection.action({ action: 'Originate', Channel: 'Local/4001@customers', Context: 'dest', Exten: 'echo', Priority: '1', Async: true, ChannelId: id, OtherChannelId: `${id};2` });
      await vi.waitFor(async () => expect((await store.callLog('pbx1', id)).filter(({ event }) => event.event === 'Hangup')).toHaveLength(2), { timeout: 10_000 });
      // Then what nextLeg writes just before the next trunk's Originate, which never left: the new trunk, Uniqueid and dial string.
      await prisma.dialing.update({
        where: { id },
        data: { status: 'ORIGINATING', originatedAt: new Date(), acceptedAt: null, trunkId: next.id, failedTrunkIds: [congested.id], uniqueid: `${id}-2`, otherUniqueid: `${id}-2;2`, dialString: 'Local/1001@customers' },
      });

      pbx.startDialer({ heartbeatMs: 100, store });
      await vi.waitFor(async () => expect(await prisma.dialing.count()).toBe(0), { timeout: 10_000 });
      const [attempt] = await prisma.callAttempt.findMany();
      expect([attempt?.outcome, attempt?.hangupCause, attempt?.trunkId, attempt?.failedTrunkIds, attempt?.uniqueid, attempt?.dialString]).toEqual([
        'CONGESTION',
        34,
        congested.id,
        [],
        id,
        'Local/4001@customers',
      ]);
      const member = await prisma.member.findFirstOrThrow({ include: { numbers: true } });
      expect([member.status, member.numbers[0]?.tryCount]).toEqual(['IDLE', 1]);
    } finally {
      await worker.stop();
    }
  }, 40_000);

  it('records as lost a dialing with no end after DIALING_LOST_HOURS (its PBX removed), frees its member by the plan, and leaves a younger one', async () => {
    const { prisma } = pbx.database;
    const campaign = await campaignOver(prisma, ['1001', '1002']);
    const run = await prisma.campaignRun.create({ data: { campaignId: campaign.id, startedBy: 'test' } });
    const byNumber = await leasedByDeadDialer(campaign, run.id, 2, 'pbx-removed');
    const dayAndHourAgo = new Date(Date.now() - 25 * 3_600_000);
    await prisma.dialing.update({ where: { id: byNumber.get('1001') }, data: { status: 'RINGING', createdAt: dayAndHourAgo, originatedAt: dayAndHourAgo } });
    await prisma.dialing.update({ where: { id: byNumber.get('1002') }, data: { status: 'RINGING', originatedAt: new Date() } });

    pbx.startDialer({ heartbeatMs: 100 });
    await vi.waitFor(async () => expect(await prisma.callAttempt.count()).toBe(1), { timeout: 10_000 });
    const [attempt] = await prisma.callAttempt.findMany();
    expect([attempt?.dialedNumber, attempt?.outcome, attempt?.server]).toEqual(['1001', 'FAILED', 'pbx-removed']);
    expect(attempt?.dialResultText).toContain('Lost: no end heard in 24 h from PBX pbx-removed');
    const lost = await prisma.member.findFirstOrThrow({ where: { name: '1001' }, include: { numbers: true } });
    expect([lost.status, lost.numbers[0]?.tryCount]).toEqual(['IDLE', 1]);
    expect((await prisma.dialing.findMany()).map((dialing) => dialing.id)).toEqual([byNumber.get('1002')]);
  });

  it('adopts the answered call of a dialer gone silent within seconds, follows it to its real end, and never dials its member again', async () => {
    const { prisma } = pbx.database;
    const campaign = await campaignOver(prisma, ['6001'], { maxRetries: [2, 2, 2, 2, 2, 2, 2, 2] });
    // Parked, the call lasts as long as the customer talks (30 s, 6 s at this speed).
    await prisma.destination.update({ where: { id: campaign.destinationId }, data: { exten: 'park' } });
    const silent = pbx.startDialer({ heartbeatMs: 100, deadAfterMs: 1_000 });
    await setCampaignStatus(prisma, campaign.id, 'RUNNING', false, 'tester');
    await vi.waitFor(async () => expect((await prisma.dialing.findFirst())?.answeredAt).toBeInstanceOf(Date), { timeout: 10_000 });
    // Killed: it hears nothing more, and its heartbeat stays as it was last written.
    await silent.stop();
    await prisma.dialerProcess.create({ data: { id: silent.owner, host: 'gone', pid: 0, seenAt: new Date() } });

    const adopter = pbx.startDialer({ heartbeatMs: 100, deadAfterMs: 1_000 });
    await vi.waitFor(async () => expect((await prisma.dialing.findFirst())?.owner).toBe(adopter.owner), { timeout: 5_000 });
    await vi.waitFor(async () => expect(await prisma.callAttempt.count()).toBe(1), { timeout: 20_000 });
    // Its real end was seen: the customer's own hangup cause, not a guess.
    expect(await prisma.callAttempt.findFirstOrThrow()).toMatchObject({ dialedNumber: '6001', outcome: 'ANSWERED', hangupCause: 16 });
    await vi.waitFor(async () => expect((await prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe('STOPPED'), { timeout: 10_000 });
    expect(await prisma.callAttempt.count()).toBe(1);
  }, 40_000);

  it('records a call that ended while no dialer followed it from the call log: its real outcome, cause and dialplan results', async () => {
    const { prisma } = pbx.database;
    const store = new MemoryLiveStore();
    const worker = await startWorker({ servers: [{ name: 'pbx1', host: pbx.simulator.host, port: pbx.simulator.port, ...credentials }], store, publish: changePublisher(createBus()), log: silentLog });
    try {
      // 5XXX answers, sends CALLSTATUS, ATTRIBUTE and ATTR_APPEND a second later, and hangs up two after.
      const campaign = await campaignOver(prisma, ['5001'], { maxRetries: [2, 2, 2, 2, 2, 2, 2, 2] });
      await prisma.destination.update({ where: { id: campaign.destinationId }, data: { exten: 'park' } });
      const silent = pbx.startDialer({ heartbeatMs: 100, deadAfterMs: 1_000, store });
      await setCampaignStatus(prisma, campaign.id, 'RUNNING', false, 'tester');
      await vi.waitFor(async () => expect((await prisma.dialing.findFirst())?.answeredAt).toBeInstanceOf(Date), { timeout: 10_000 });
      await silent.stop();
      await prisma.dialerProcess.create({ data: { id: silent.owner, host: 'gone', pid: 0, seenAt: new Date() } });
      const [dialing] = await prisma.dialing.findMany();
      // The whole call is over, heard by the worker alone.
      await vi.waitFor(async () => expect((await store.callLog('pbx1', dialing?.id as string)).filter(({ event }) => event.event === 'Hangup')).toHaveLength(2), { timeout: 10_000 });

      pbx.startDialer({ heartbeatMs: 100, deadAfterMs: 1_000, store });
      await vi.waitFor(async () => expect(await prisma.callAttempt.count()).toBe(1), { timeout: 10_000 });
      expect(await prisma.callAttempt.findFirstOrThrow()).toMatchObject({ outcome: 'ANSWERED', hangupCause: 16, completionCode: 'SALE', outputs: { ivr: '12' } });
      expect((await prisma.member.findFirstOrThrow()).status).toBe('DONE');
    } finally {
      await worker.stop();
    }
  }, 40_000);
});
