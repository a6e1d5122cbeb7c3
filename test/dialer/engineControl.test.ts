import { describe, expect, it, vi } from 'vitest';
import { dialerEngineRunning, readDialerEngine, setDialerEngineRunning } from '../../src/dialer/engineControl.js';
import { originatesPlaced } from '../../src/metrics/processMetrics.js';
import { setCampaignStatus } from '../../src/outbound/campaigns.js';
import { postgresAvailable } from '../support/fixture.js';
import { campaignOver, useSimulatedPbx } from './simulatedPbx.js';

describe.skipIf(!postgresAvailable)('stopping and starting the dialer engine', () => {
  const pbx = useSimulatedPbx(1);

  it('is running while nobody stopped it, and records who stopped and started it', async () => {
    expect(await readDialerEngine(pbx.database.prisma)).toEqual({ running: true, changedBy: null, changedAt: null, liveDialings: 0 });
    const stopped = await setDialerEngineRunning(pbx.database.prisma, false, 'admin');
    expect(stopped).toMatchObject({ running: false, changedBy: 'admin' });
    expect(await dialerEngineRunning(pbx.database.prisma)).toBe(false);
    // Stopping a stopped engine changes nothing, not even who stopped it.
    expect(await setDialerEngineRunning(pbx.database.prisma, false, 'someone else')).toMatchObject({ changedBy: 'admin', changedAt: stopped.changedAt });
    expect(await setDialerEngineRunning(pbx.database.prisma, true, 'ops')).toMatchObject({ running: true, changedBy: 'ops' });
  });

  it('a stop places no new call while the live one rings to its end and is recorded; a start dials again', async () => {
    const { prisma } = pbx.database;
    const campaign = await campaignOver(prisma, ['3001', '3002', '3003'], { dialTimeoutMs: 2_000, retryDelaySec: 60, maxRetries: [1, 1, 1, 1, 1, 1, 1, 1], maxConcurrentCalls: 1 });
    const placedBefore = originatesPlaced.value({ server: 'pbx1' });
    const dialer = pbx.startDialer();
    await setCampaignStatus(prisma, campaign.id, 'RUNNING', false, 'tester');
    await vi.waitFor(async () => expect((await prisma.dialing.findMany()).filter((dialing) => dialing.status === 'RINGING')).toHaveLength(1), { timeout: 10_000 });

    await setDialerEngineRunning(prisma, false, 'admin');
    expect(await readDialerEngine(prisma)).toMatchObject({ running: false, liveDialings: 1 });
    await vi.waitFor(async () => expect(await prisma.callAttempt.count()).toBe(1), { timeout: 10_000 });
    expect(await prisma.callAttempt.findFirstOrThrow()).toMatchObject({ outcome: 'NO_ANSWER', dialedNumber: '3001' });
    // Ten ticks later nothing new was placed: the campaign still RUNNING, its other members untouched.
    await dialer.ticks(10);
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
