import { describe, expect, it, vi } from 'vitest';
import { createBus } from '../../src/bus/bus.js';
import { campaignTopic } from '../../src/bus/campaignTopics.js';
import { setDialerEngineRunning } from '../../src/dialer/engineControl.js';
import { ValidationError } from '../../src/errors.js';
import { campaignHold, type CampaignProgress } from '../../src/outbound/campaignProgress.js';
import { setCampaignStatus } from '../../src/outbound/campaigns.js';
import { postgresAvailable } from '../support/fixture.js';
import { campaignOver, holdBecomes, useSimulatedPbx } from './simulatedPbx.js';

/** A running campaign that places no call says why: in its progress, on campaignEvents, and in the log. */
describe.skipIf(!postgresAvailable)('why a running campaign places no call', () => {
  const pbx = useSimulatedPbx();

  const run = (campaignId: string) => pbx.database.prisma.campaign.update({ where: { id: campaignId }, data: { status: 'RUNNING' } });

  it('refuses to start a campaign whose pacing has nothing to go by, and a campaign set running another way reports NO_CALL_LIMIT', async () => {
    const { prisma } = pbx.database;
    // An extension has no queue to count free agents by, and the plan sets no limit.
    const campaign = await campaignOver(prisma, ['1001'], { maxConcurrentCalls: null });
    const refused = await setCampaignStatus(prisma, campaign.id, 'RUNNING', false, 'tester').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).problems).toEqual([{ field: 'maxConcurrentCalls', message: expect.stringContaining('no queue to pace by') }]);
    // As a chained campaign or a schedule would start it.
    await run(campaign.id);
    pbx.startDialer();
    const hold = await holdBecomes(prisma, campaign.id, 'NO_CALL_LIMIT');
    expect(hold?.detail).toContain('sets no maxConcurrentCalls');
    expect(await prisma.callAttempt.count()).toBe(0);
  });

  it('reports the engine stopped, then nothing once it dials again, announcing each change on campaignEvents', async () => {
    const { prisma } = pbx.database;
    const campaign = await campaignOver(prisma, ['1001', '1002']);
    await setDialerEngineRunning(prisma, false, 'tester');
    const bus = createBus();
    const events = bus.subscribe(campaignTopic(campaign.id))[Symbol.asyncIterator]();
    const first = events.next();
    pbx.startDialer({ bus });
    await setCampaignStatus(prisma, campaign.id, 'RUNNING', false, 'tester');
    await holdBecomes(prisma, campaign.id, 'ENGINE_STOPPED');
    const published: CampaignProgress[] = [(await first).value as CampaignProgress];
    while (published.at(-1)?.hold?.reason !== 'ENGINE_STOPPED') published.push((await events.next()).value as CampaignProgress);
    expect(published.at(-1)?.hold).toMatchObject({ reason: 'ENGINE_STOPPED', detail: expect.stringContaining('startDialerEngine') });
    await setDialerEngineRunning(prisma, true, 'tester');
    await holdBecomes(prisma, campaign.id, null);
    await vi.waitFor(async () => expect(await prisma.callAttempt.count()).toBeGreaterThan(0), { timeout: 15_000, interval: 100 });
    await events.return?.();
  });

  it('reports a campaign started outside its hours as OUTSIDE_SCHEDULE until they open, MANUAL as SCHEDULED', async () => {
    const { prisma } = pbx.database;
    const campaign = await campaignOver(prisma, ['1001']);
    const inTwoHours = new Date(Date.now() + 2 * 3_600_000);
    const time = (instant: Date) => instant.toISOString().slice(11, 16);
    await prisma.campaign.update({
      where: { id: campaign.id },
      data: { timezone: 'UTC', dailyStartTime: time(inTwoHours), dailyEndTime: time(new Date(inTwoHours.getTime() + 3_600_000)) },
    });
    pbx.startDialer();
    await setCampaignStatus(prisma, campaign.id, 'RUNNING', false, 'tester');
    const hold = await holdBecomes(prisma, campaign.id, 'OUTSIDE_SCHEDULE');
    expect(time(hold?.nextAt as Date)).toBe(time(inTwoHours));
    expect((await prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe('RUNNING');
    expect(await prisma.callAttempt.count()).toBe(0);
  });

  it('reports NO_DUE_MEMBER with when the next member falls due', async () => {
    const { prisma } = pbx.database;
    const campaign = await campaignOver(prisma, ['1001']);
    const due = new Date(Date.now() + 3_600_000);
    await prisma.member.updateMany({ data: { nextAttemptAt: due } });
    pbx.startDialer();
    await setCampaignStatus(prisma, campaign.id, 'RUNNING', false, 'tester');
    const hold = await holdBecomes(prisma, campaign.id, 'NO_DUE_MEMBER');
    expect(hold).toMatchObject({ detail: '1 member(s) not due yet: waiting for a retry delay, a result, or their hours to open', nextAt: due });
  });

  it('reports NO_DIALER when no dialer process runs', async () => {
    const { prisma } = pbx.database;
    const campaign = await campaignOver(prisma, ['1001']);
    await run(campaign.id);
    expect(await campaignHold(prisma, campaign.id)).toMatchObject({ reason: 'NO_DIALER' });
  });
});
