import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AsteriskManagerConnection } from '../../src/ami/asteriskManager.js';
import { startSimulator, type Simulator } from '../../src/ami/simulator/index.js';
import { createBus } from '../../src/bus/bus.js';
import { startDialer, type Dialer } from '../../src/dialer/engine.js';
import { dialerEngineRunning, readDialerEngine, setDialerEngineRunning } from '../../src/dialer/engineControl.js';
import { MemoryLiveStore } from '../../src/live/storeMemory.js';
import { createLogger } from '../../src/logger.js';
import { originatesPlaced } from '../../src/metrics/processMetrics.js';
import { setCampaignStatus } from '../../src/outbound/campaigns.js';
import { createPostgresDatabase, type TestDatabase } from '../support/database.js';
import { postgresAvailable } from '../support/fixture.js';

const credentials = { username: 'dialer', secret: 'dialer-secret' };
const log = createLogger('silent');

describe.skipIf(!postgresAvailable)('stopping and starting the dialer engine', () => {
  let simulator: Simulator;
  let connection: AsteriskManagerConnection;
  let database: TestDatabase;
  let dialer: Dialer | undefined;

  beforeEach(async () => {
    simulator = await startSimulator({ ...credentials, speed: 1 });
    connection = new AsteriskManagerConnection({ name: 'pbx1', host: simulator.host, port: simulator.port, ...credentials }, { log });
    await connection.start();
    database = await createPostgresDatabase();
  }, 30_000);

  afterEach(async () => {
    await dialer?.stop();
    await connection.close();
    await simulator.close();
    await database.drop();
  });

  it('is running while nobody stopped it, and records who stopped and started it', async () => {
    expect(await readDialerEngine(database.prisma)).toEqual({ running: true, changedBy: null, changedAt: null, liveDialings: 0 });
    const stopped = await setDialerEngineRunning(database.prisma, false, 'admin');
    expect(stopped).toMatchObject({ running: false, changedBy: 'admin' });
    expect(await dialerEngineRunning(database.prisma)).toBe(false);
    // Stopping a stopped engine changes nothing, not even who stopped it.
    expect(await setDialerEngineRunning(database.prisma, false, 'someone else')).toMatchObject({ changedBy: 'admin', changedAt: stopped.changedAt });
    expect(await setDialerEngineRunning(database.prisma, true, 'ops')).toMatchObject({ running: true, changedBy: 'ops' });
  });

  it('a stop places no new call while the live one rings to its end and is recorded; a start dials again', async () => {
    const prisma = database.prisma;
    const plan = await prisma.plan.create({
      data: { name: 'Plan', dialStringTemplate: 'Local/{number}@customers', dialTimeoutMs: 2_000, retryDelaySec: 60, maxRetries: [1, 1, 1, 1, 1, 1, 1, 1], maxConcurrentCalls: 1 },
    });
    const destination = await prisma.destination.create({ data: { name: 'Echo', type: 'EXTENSION', context: 'dest', exten: 'echo', priority: '1' } });
    const dialList = await prisma.dialList.create({ data: { name: 'List' } });
    for (const number of ['3001', '3002', '3003']) {
      await prisma.member.create({ data: { dialListId: dialList.id, name: number, numbers: { create: [{ slot: 1, dialListId: dialList.id, number }] } } });
    }
    const campaign = await prisma.campaign.create({ data: { name: 'Campaign', planId: plan.id, destinationId: destination.id, dialListId: dialList.id } });
    const placedBefore = originatesPlaced.value({ server: 'pbx1' });
    dialer = startDialer({ prisma, driver: database.driver, connections: new Map([['pbx1', connection]]), store: new MemoryLiveStore(), bus: createBus(), log, tickMs: 100 });
    await setCampaignStatus(prisma, campaign.id, 'RUNNING', false, 'tester');
    await vi.waitFor(async () => expect((await prisma.dialing.findMany()).filter((dialing) => dialing.status === 'RINGING')).toHaveLength(1), { timeout: 10_000 });

    await setDialerEngineRunning(prisma, false, 'admin');
    expect(await readDialerEngine(prisma)).toMatchObject({ running: false, liveDialings: 1 });
    await vi.waitFor(async () => expect(await prisma.callAttempt.count()).toBe(1), { timeout: 10_000 });
    expect(await prisma.callAttempt.findFirstOrThrow()).toMatchObject({ outcome: 'NO_ANSWER', dialedNumber: '3001' });
    // Ten ticks later nothing new was placed: the campaign still RUNNING, its other members untouched.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await prisma.dialing.count()).toBe(0);
    expect(await prisma.callAttempt.count()).toBe(1);
    expect((await prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe('RUNNING');
    expect(await prisma.member.count({ where: { status: 'IDLE', numbers: { every: { tryCount: 0 } } } })).toBe(2);
    expect(await readDialerEngine(prisma)).toMatchObject({ running: false, liveDialings: 0 });
    expect(originatesPlaced.value({ server: 'pbx1' }) - placedBefore).toBe(1);

    await setDialerEngineRunning(prisma, true, 'admin');
    await vi.waitFor(async () => expect(await prisma.callAttempt.count()).toBeGreaterThan(1), { timeout: 10_000 });
    expect(originatesPlaced.value({ server: 'pbx1' }) - placedBefore).toBeGreaterThan(1);
  }, 40_000);
});
