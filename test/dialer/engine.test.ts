import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AsteriskManagerConnection } from '../../src/ami/asteriskManager.js';
import { startSimulator, type Simulator } from '../../src/ami/simulator/index.js';
import { systemClock } from '../../src/clock.js';
import { changePublisher, createBus } from '../../src/bus/bus.js';
import { startDialer, type Dialer } from '../../src/dialer/engine.js';
import { MemoryLiveStore } from '../../src/live/storeMemory.js';
import type { Channel } from '../../src/live/state.js';
import { startWorker } from '../../src/live/worker.js';
import { createLogger } from '../../src/logger.js';
import { campaignHold } from '../../src/outbound/campaignProgress.js';
import { setCampaignStatus } from '../../src/outbound/campaigns.js';
import { openDatabase } from '../../src/db/open.js';
import { createPostgresDatabase, type TestDatabase } from '../support/database.js';
import { postgresAvailable } from '../support/fixture.js';
import { created, removed, trunkChannel } from './trunkChannels.js';

const credentials = { username: 'dialer', secret: 'dialer-secret' };
const log = createLogger('silent');
const bus = createBus();

/** A campaign dialed for real against the simulated PBX: every outcome the transcripts show, retries, the end of the list. */
describe.skipIf(!postgresAvailable)('the dialer against the simulated PBX', () => {
  let simulator: Simulator;
  let connection: AsteriskManagerConnection;
  let database: TestDatabase;
  let dialer: Dialer | undefined;
  const closers: (() => Promise<unknown>)[] = [];

  const speeds: Record<string, number> = { default: 20 };
  beforeEach(async (context) => {
    simulator = await startSimulator({ ...credentials, speed: speeds[context.task.name] ?? speeds.default });
    connection = new AsteriskManagerConnection({ name: 'pbx1', host: simulator.host, port: simulator.port, ...credentials }, { log });
    await connection.start();
    database = await createPostgresDatabase();
  }, 30_000);

  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await dialer?.stop();
    await connection.close();
    await simulator.close();
    await database.drop();
  });

  async function campaignOver(
    numbers: string[],
    plan: Record<string, unknown> = {},
    target: Record<string, string> = { type: 'EXTENSION', context: 'dest', exten: 'echo', priority: '1' },
  ) {
    const prisma = database.prisma;
    const created = await prisma.plan.create({
      data: { name: 'Plan', dialStringTemplate: 'Local/{number}@customers', dialTimeoutMs: 20_000, retryDelaySec: 1, maxRetries: [2, 2, 2, 2, 2, 2, 2, 2], maxConcurrentCalls: 3, ...plan },
    });
    const destination = await prisma.destination.create({ data: { name: 'Destination', ...target } as { name: string; type: 'EXTENSION' | 'APPLICATION' } });
    const dialList = await prisma.dialList.create({ data: { name: 'List' } });
    for (const number of numbers) {
      await prisma.member.create({ data: { dialListId: dialList.id, name: number, numbers: { create: [{ slot: 1, dialListId: dialList.id, number }] } } });
    }
    return prisma.campaign.create({ data: { name: 'Campaign', planId: created.id, destinationId: destination.id, dialListId: dialList.id } });
  }

  it('records each member with the right outcome and cause, retries the unreached once the delay passed (never a number that does not exist), and stops at the end of the list', async () => {
    const campaign = await campaignOver(['1001', '2001', '3001', '4001', '9001']);
    dialer = startDialer({ prisma: database.prisma, driver: database.driver, connections: new Map([['pbx1', connection]]), store: new MemoryLiveStore(), bus, log, tickMs: 100 });
    await setCampaignStatus(database.prisma, campaign.id, 'RUNNING', false, 'tester');

    await vi.waitFor(async () => expect((await database.prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe('STOPPED'), {
      timeout: 60_000,
      interval: 200,
    });
    const attempts = await database.prisma.callAttempt.findMany({ orderBy: { originatedAt: 'asc' } });
    const byNumber = (number: string) => attempts.filter((attempt) => attempt.dialedNumber === number);
    expect(byNumber('1001').map((a) => [a.outcome, a.hangupCause, a.dialResult])).toEqual([['ANSWERED', 16, 4]]);
    expect(byNumber('2001').map((a) => [a.outcome, a.hangupCause])).toEqual([['BUSY', 17], ['BUSY', 17]]);
    expect(byNumber('3001').map((a) => a.outcome)).toEqual(['NO_ANSWER', 'NO_ANSWER']);
    expect(byNumber('4001').map((a) => [a.outcome, a.hangupCause])).toEqual([['CONGESTION', 34], ['CONGESTION', 34]]);
    expect(byNumber('9001').map((a) => [a.outcome, a.hangupCause])).toEqual([['UNALLOCATED', 1]]);
    const busy = byNumber('2001');
    expect((busy[1]?.originatedAt.getTime() ?? 0) - (busy[0]?.endedAt.getTime() ?? 0)).toBeGreaterThanOrEqual(1_000);
    expect(attempts.map((a) => a.tryCount).sort()).toEqual([1, 1, 1, 1, 1, 2, 2, 2]);

    const members = await database.prisma.member.findMany({ include: { numbers: true } });
    expect(members.every((member) => member.status === 'DONE')).toBe(true);
    expect(members.find((m) => m.name === '2001')?.numbers[0]).toMatchObject({ tryCount: 2, lastHangupCause: 17, stopped: false });
    expect(members.find((m) => m.name === '9001')?.numbers[0]).toMatchObject({ tryCount: 1, lastHangupCause: 1, stopped: true });
    expect(await database.prisma.dialing.count()).toBe(0);
    const [run] = await database.prisma.campaignRun.findMany();
    expect(run).toMatchObject({ startedBy: 'tester', stoppedBy: 'end of list' });
    expect(attempts.every((attempt) => attempt.runId === run?.id)).toBe(true);
  }, 90_000);

  const statusOf = async (id: string) => (await database.prisma.campaign.findUniqueOrThrow({ where: { id } })).status;
  const dialingsOf = (id: string) => database.prisma.dialing.findMany({ where: { campaignId: id } });
  const start = (id: string) => setCampaignStatus(database.prisma, id, 'RUNNING', false, 'tester');

  const FORCE = 'a force stop hangs up the live dialings at once, counts no try, and closes the run';
  speeds[FORCE] = 1;
  it(FORCE, async () => {
    const campaign = await campaignOver(['3001', '3002', '3003', '3004'], { dialTimeoutMs: 60_000 });
    dialer = startDialer({ prisma: database.prisma, driver: database.driver, connections: new Map([['pbx1', connection]]), store: new MemoryLiveStore(), bus, log, tickMs: 100 });
    await start(campaign.id);
    await vi.waitFor(async () => expect((await dialingsOf(campaign.id)).filter((d) => d.status === 'RINGING')).toHaveLength(3), { timeout: 10_000 });

    await setCampaignStatus(database.prisma, campaign.id, 'STOPPED', true, 'supervisor');
    await vi.waitFor(async () => expect(await statusOf(campaign.id)).toBe('STOPPED'), { timeout: 10_000 });
    const attempts = await database.prisma.callAttempt.findMany();
    expect(attempts.map((a) => a.outcome)).toEqual(['CANCELLED', 'CANCELLED', 'CANCELLED']);
    const numbers = await database.prisma.memberNumber.findMany();
    expect(numbers.every((n) => n.tryCount === 0)).toBe(true);
    expect(await database.prisma.campaignRun.findFirstOrThrow()).toMatchObject({ startedBy: 'tester', stoppedBy: 'supervisor' });
  }, 30_000);

  const PAUSE = 'a pause lets live calls end and places nothing new until resumed, in the same run';
  speeds[PAUSE] = 1;
  it(PAUSE, async () => {
    const campaign = await campaignOver(['3001', '3002', '3003', '3004', '3005'], { dialTimeoutMs: 1_500, retryDelaySec: 60, maxConcurrentCalls: 2 });
    dialer = startDialer({ prisma: database.prisma, driver: database.driver, connections: new Map([['pbx1', connection]]), store: new MemoryLiveStore(), bus, log, tickMs: 100 });
    await start(campaign.id);
    await vi.waitFor(async () => expect(await dialingsOf(campaign.id)).toHaveLength(2), { timeout: 10_000 });
    await setCampaignStatus(database.prisma, campaign.id, 'PAUSED', false, 'supervisor');
    expect(await statusOf(campaign.id)).toBe('PAUSING');
    await vi.waitFor(async () => expect(await statusOf(campaign.id)).toBe('PAUSED'), { timeout: 10_000 });
    const paused = await database.prisma.callAttempt.count();
    expect(paused).toBe(2);
    await dialer.ticks(10);
    expect(await dialingsOf(campaign.id)).toEqual([]);
    expect(await database.prisma.callAttempt.count()).toBe(paused);

    await start(campaign.id);
    await vi.waitFor(async () => expect(await database.prisma.callAttempt.count()).toBeGreaterThan(paused), { timeout: 10_000 });
    expect(await database.prisma.campaignRun.count()).toBe(1);
  }, 30_000);

  it('never dials a member twice with two dialer processes on one list, and never exceeds the plan limit between them', async () => {
    const numbers = Array.from({ length: 24 }, (_, i) => String(1001 + i));
    const campaign = await campaignOver(numbers, { maxConcurrentCalls: 4 });
    const second = await openDatabase({ databaseUrl: database.url, dataDir: '' });
    const otherConnection = new AsteriskManagerConnection({ name: 'pbx1', host: simulator.host, port: simulator.port, ...credentials }, { log });
    await otherConnection.start();
    closers.push(() => second.close(), () => otherConnection.close());
    dialer = startDialer({ prisma: database.prisma, driver: database.driver, connections: new Map([['pbx1', connection]]), store: new MemoryLiveStore(), bus, log, tickMs: 50 });
    const otherDialer = startDialer({ prisma: second.prisma, driver: second.driver, connections: new Map([['pbx1', otherConnection]]), store: new MemoryLiveStore(), bus, log, tickMs: 50 });
    closers.push(() => otherDialer.stop());
    let most = 0;
    const watch = setInterval(() => void dialingsOf(campaign.id).then((live) => (most = Math.max(most, live.length))), 20);
    closers.push(async () => clearInterval(watch));
    await start(campaign.id);

    await vi.waitFor(async () => expect(await statusOf(campaign.id)).toBe('STOPPED'), { timeout: 60_000, interval: 200 });
    const attempts = await database.prisma.callAttempt.findMany();
    expect(attempts).toHaveLength(24);
    expect(new Set(attempts.map((a) => a.memberId)).size).toBe(24);
    expect(attempts.every((a) => a.outcome === 'ANSWERED')).toBe(true);
    expect(most).toBeLessThanOrEqual(4);
    expect(most).toBeGreaterThan(0);
  }, 90_000);

  it('starts a SCHEDULED campaign when its window opens and stops it when the window closes', async () => {
    const campaign = await campaignOver(['3001', '3002'], { dialTimeoutMs: 60_000 });
    await database.prisma.campaign.update({
      where: { id: campaign.id },
      data: { scheduleMode: 'SCHEDULED', timezone: 'Europe/Madrid', dailyStartTime: '09:00:00', dailyEndTime: '18:00:00' },
    });
    let now = new Date('2026-11-23T07:59:00Z'); // 08:59 in Madrid: closed
    dialer = startDialer({ prisma: database.prisma, driver: database.driver, connections: new Map([['pbx1', connection]]), store: new MemoryLiveStore(), bus, log, tickMs: 100, clock: { ...systemClock, now: () => now.getTime() } });
    await dialer.ticks(3);
    expect(await statusOf(campaign.id)).toBe('STOPPED');

    now = new Date('2026-11-23T08:00:00Z'); // 09:00: opens
    await vi.waitFor(async () => expect(await dialingsOf(campaign.id)).toHaveLength(2), { timeout: 10_000 });
    expect(await statusOf(campaign.id)).toBe('RUNNING');

    now = new Date('2026-11-23T17:00:00Z'); // 18:00: closes; live calls end first (STOPPING), then STOPPED
    await vi.waitFor(async () => expect(await statusOf(campaign.id)).toBe('STOPPED'), { timeout: 20_000 });
    expect(await database.prisma.campaignRun.findFirstOrThrow()).toMatchObject({ startedBy: 'schedule', stoppedBy: 'schedule' });
  }, 40_000);

  const KILLED = 'a dialer that dies mid-call: another claims its dialings, follows the call still up to its end, closes the vanished one, and writes each result once';
  speeds[KILLED] = 1;
  it(KILLED, async () => {
    const campaign = await campaignOver(['3001', '3002'], { dialTimeoutMs: 5_000, maxRetries: [1, 1, 1, 1, 1, 1, 1, 1] });
    const dead = startDialer({ prisma: database.prisma, driver: database.driver, connections: new Map([['pbx1', connection]]), store: new MemoryLiveStore(), bus, log, tickMs: 100 });
    await start(campaign.id);
    await vi.waitFor(async () => expect((await dialingsOf(campaign.id)).filter((d) => d.status === 'RINGING')).toHaveLength(2), { timeout: 10_000 });
    // It stops renewing its leases and hears nothing more: as good as killed.
    await dead.stop();
    const [vanishing] = await dialingsOf(campaign.id);
    await connection.action({ action: 'Hangup', Channel: vanishing?.channel as string, Cause: 16 });

    dialer = startDialer({ prisma: database.prisma, driver: database.driver, connections: new Map([['pbx1', connection]]), store: new MemoryLiveStore(), bus, log, tickMs: 100 });
    await vi.waitFor(async () => expect(await database.prisma.callAttempt.count()).toBe(2), { timeout: 15_000 });
    const attempts = await database.prisma.callAttempt.findMany();
    const lost = attempts.find((a) => a.id === vanishing?.id);
    const followed = attempts.find((a) => a.id !== vanishing?.id);
    expect(lost).toMatchObject({ outcome: 'FAILED', dialResultText: expect.stringContaining('ended unseen') });
    expect(followed).toMatchObject({ outcome: 'NO_ANSWER', hangupCause: 19 });
    expect(await dialingsOf(campaign.id)).toEqual([]);
    await vi.waitFor(async () => expect(await statusOf(campaign.id)).toBe('STOPPED'), { timeout: 10_000 });
    expect(await database.prisma.callAttempt.count()).toBe(2);
  }, 40_000);

  it('never originates to a destination whose application is not allowed, even one saved before the allowlist, and spends no try on it', async () => {
    const campaign = await campaignOver(['1001'], { maxRetries: [1, 1, 1, 1, 1, 1, 1, 1] }, { type: 'APPLICATION', application: 'System', data: 'touch /tmp/owned' });
    const originates: string[] = [];
    connection.on('event', (event) => event.event === 'Newchannel' && originates.push(String(event.channel)));
    dialer = startDialer({ prisma: database.prisma, driver: database.driver, connections: new Map([['pbx1', connection]]), store: new MemoryLiveStore(), bus, log, tickMs: 100 });
    await start(campaign.id);
    await vi.waitFor(async () => expect(await campaignHold(database.prisma, campaign.id)).toMatchObject({ reason: 'SETUP_INVALID', detail: expect.stringContaining('System is not allowed') }), { timeout: 10_000 });
    await dialer.ticks(5);
    expect(await database.prisma.callAttempt.count()).toBe(0);
    expect((await database.prisma.memberNumber.findFirstOrThrow()).tryCount).toBe(0);
    expect(originates).toEqual([]);
  });

  it("never sends a PBX more originates per second than its rate, however many seats are free", async () => {
    const campaign = await campaignOver(['1001', '1002', '1003', '1004', '1005', '1006'], { maxConcurrentCalls: 10 });
    dialer = startDialer({
      prisma: database.prisma,
      driver: database.driver,
      connections: new Map([['pbx1', connection]]),
      store: new MemoryLiveStore(),
      bus,
      log,
      tickMs: 100,
      originateRates: new Map([['pbx1', 5]]),
    });
    await start(campaign.id);
    await vi.waitFor(async () => expect(await database.prisma.callAttempt.count()).toBe(6), { timeout: 20_000 });
    const sent = (await database.prisma.callAttempt.findMany({ orderBy: { originatedAt: 'asc' } })).map((a) => a.originatedAt.getTime());
    const gaps = sent.slice(1).map((at, index) => at - (sent[index] as number));
    // 5 per second: 200 ms apart, give or take the few milliseconds between the gate and the clock read.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(190);
    expect((sent.at(-1) as number) - (sent[0] as number)).toBeGreaterThanOrEqual(990);
  }, 30_000);

  it('paces a queue destination by its free agents and delivers every answered call to one of them', async () => {
    const store = new MemoryLiveStore();
    const worker = await startWorker({ servers: [{ name: 'pbx1', host: simulator.host, port: simulator.port, ...credentials }], store, publish: changePublisher(bus), log });
    closers.push(() => worker.stop());
    await vi.waitFor(async () => expect((await store.list('queueMember', { server: 'pbx1' })).filter((m) => m.queue === 'sales')).toHaveLength(2), { timeout: 10_000 });
    const campaign = await campaignOver(['1001', '1002', '1003', '1004', '1005'], { maxConcurrentCalls: null }, { type: 'APPLICATION', application: 'Queue', data: 'sales' });
    dialer = startDialer({ prisma: database.prisma, driver: database.driver, connections: worker.connections, store, bus, log, tickMs: 100 });
    let most = 0;
    let mostWaiting = 0;
    const watch = setInterval(() => {
      void dialingsOf(campaign.id).then((live) => (most = Math.max(most, live.length)));
      void store.list('queueCaller', { server: 'pbx1' }).then((callers) => (mostWaiting = Math.max(mostWaiting, callers.length)));
    }, 20);
    closers.push(async () => clearInterval(watch));
    await start(campaign.id);

    await vi.waitFor(async () => expect(await statusOf(campaign.id)).toBe('STOPPED'), { timeout: 60_000, interval: 200 });
    const attempts = await database.prisma.callAttempt.findMany();
    expect(attempts.map((a) => a.outcome)).toEqual(Array(5).fill('ANSWERED'));
    // Never more callers waiting in sales than it has agents.
    expect(mostWaiting).toBeLessThanOrEqual(2);
    expect(attempts.every((a) => a.bridgedAt !== null && a.answeredAt !== null && a.bridgedAt >= a.answeredAt)).toBe(true);
    // Two agents in sales: PROGRESSIVE dials for free seats only, so no answered call waited without an agent (all
    // bridged, above). Dialing rows are no measure of it: one can be a call that just ended and is being recorded.
    expect(most).toBeGreaterThan(0);
  }, 90_000);

  it('delivers answered calls to a park destination, where they stay until they leave the lot', async () => {
    const campaign = await campaignOver(['7001', '7002'], {}, { type: 'APPLICATION', application: 'Park', data: 'default' });
    dialer = startDialer({ prisma: database.prisma, driver: database.driver, connections: new Map([['pbx1', connection]]), store: new MemoryLiveStore(), bus, log, tickMs: 100 });
    await start(campaign.id);
    await vi.waitFor(async () => expect(await statusOf(campaign.id)).toBe('STOPPED'), { timeout: 30_000, interval: 200 });
    const attempts = await database.prisma.callAttempt.findMany();
    expect(attempts.map((a) => [a.outcome, a.hangupCause, a.bridgedAt])).toEqual([
      ['ANSWERED', 16, null],
      ['ANSWERED', 16, null],
    ]);
  }, 40_000);

  it("never puts more calls on a trunk than its capacity, counting the trunk's other traffic", async () => {
    const campaign = await campaignOver(['3001', '3002', '3003', '3004'], { dialTimeoutMs: 60_000, maxConcurrentCalls: 10, techName: 'PJSIP', trunkName: 'carrier', trunkMaxChannels: 2 });
    const store = new MemoryLiveStore();
    const inbound = [trunkChannel('pbx1', 'PJSIP/carrier-00000101', 'in-1'), trunkChannel('pbx1', 'PJSIP/carrier-00000102', 'in-2')];
    await store.apply('pbx1', inbound.map(created));
    dialer = startDialer({ prisma: database.prisma, driver: database.driver, connections: new Map([['pbx1', connection]]), store, bus, log, tickMs: 100 });
    await start(campaign.id);
    await dialer.ticks(5);
    expect(await dialingsOf(campaign.id)).toEqual([]);

    // One inbound call ends: room for one.
    await store.apply('pbx1', [removed(inbound[0] as Channel)]);
    await vi.waitFor(async () => expect(await dialingsOf(campaign.id)).toHaveLength(1), { timeout: 5_000 });
    // Ringing, before its leg on the trunk shows in the live state (the dialplan makes it a moment later): still full.
    await vi.waitFor(async () => expect((await dialingsOf(campaign.id))[0]?.status).toBe('RINGING'), { timeout: 5_000 });
    await dialer.ticks(5);
    expect(await dialingsOf(campaign.id)).toHaveLength(1);
    // Its leg shows at last, linked to the call as Asterisk's Dial() would make it: counted once, and still full.
    const [dialing] = await dialingsOf(campaign.id);
    await store.apply('pbx1', [created({ ...trunkChannel('pbx1', 'PJSIP/carrier-00000103', `${dialing?.id};trunk`), linkedid: dialing?.id as string })]);
    await dialer.ticks(5);
    expect(await dialingsOf(campaign.id)).toHaveLength(1);
  }, 30_000);

  it('sends answered calls through AMD and recording: a machine is recorded as MACHINE and not retried, a person reaches the destination', async () => {
    const campaign = await campaignOver(['8001', '1001'], { amdEnabled: true, recordCalls: true });
    dialer = startDialer({ prisma: database.prisma, driver: database.driver, connections: new Map([['pbx1', connection]]), store: new MemoryLiveStore(), bus, log, tickMs: 100 });
    await start(campaign.id);
    await vi.waitFor(async () => expect(await statusOf(campaign.id)).toBe('STOPPED'), { timeout: 30_000, interval: 200 });
    const attempts = await database.prisma.callAttempt.findMany({ orderBy: { dialedNumber: 'asc' } });
    expect(attempts.map((a) => [a.dialedNumber, a.outcome, a.amdStatus, a.recordingFile === `switchboard/${campaign.id}/${a.id}.wav`])).toEqual([
      ['1001', 'ANSWERED', 'HUMAN', true],
      ['8001', 'MACHINE', 'MACHINE', true],
    ]);
    expect(attempts[1]?.amdCause).toBe('LONGGREETING-1500-1500');
  }, 40_000);
});
