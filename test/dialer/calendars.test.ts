import { describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { setCampaignStatus } from '../../src/outbound/campaigns.js';
import { createCalendar, updateCalendar } from '../../src/outbound/calendars.js';
import { postgresAvailable } from '../support/fixture.js';
import { campaignOver, holdBecomes, useSimulatedPbx } from './simulatedPbx.js';

// Christmas Day 2025, a Thursday, 10:00 in Lisbon (UTC in winter): a working day in the calendar's weekly hours.
const CHRISTMAS_MORNING = new Date('2025-12-25T10:00:00Z');
const CHRISTMAS = { date: '2025-12-25', name: 'Christmas' };
const WEEKDAYS_NINE_TO_SIX = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '09:00', closes: '18:00' }));

/** Campaigns sharing a calendar follow it, dialing against the simulated PBX: a change counts from the next tick. */
describe.skipIf(!postgresAvailable)('campaigns sharing a calendar', () => {
  const pbx = useSimulatedPbx();
  const clock = { ...systemClock, now: () => CHRISTMAS_MORNING.getTime() };

  const attemptsOf = (campaignId: string) => pbx.database.prisma.callAttempt.count({ where: { campaignId } });
  const dialingsOf = (campaignId: string) => pbx.database.prisma.dialing.count({ where: { campaignId } });
  const statusOf = async (campaignId: string) => (await pbx.database.prisma.campaign.findUniqueOrThrow({ where: { id: campaignId } })).status;

  it('stops every campaign using it on a holiday added today, saying so, and resumes them all once it is taken away', async () => {
    const { prisma } = pbx.database;
    const calendar = await createCalendar(prisma, { name: 'Lisbon office', timezone: 'Europe/Lisbon', openingHours: WEEKDAYS_NINE_TO_SIX });
    const numbers = Array.from({ length: 40 }, (_, index) => String(1001 + index));
    const campaigns = [await campaignOver(prisma, numbers, { maxConcurrentCalls: 1 }), await campaignOver(prisma, numbers, { maxConcurrentCalls: 1 })];
    for (const campaign of campaigns) await prisma.campaign.update({ where: { id: campaign.id }, data: { calendarId: calendar.id } });
    const dialer = pbx.startDialer({ clock });
    for (const campaign of campaigns) await setCampaignStatus(prisma, campaign.id, 'RUNNING', false, 'tester');
    for (const campaign of campaigns) await vi.waitFor(async () => expect(await attemptsOf(campaign.id)).toBeGreaterThan(0), { timeout: 15_000, interval: 50 });

    await updateCalendar(prisma, calendar.id, { holidays: [CHRISTMAS] });
    for (const campaign of campaigns) {
      const hold = await holdBecomes(prisma, campaign.id, 'OUTSIDE_SCHEDULE');
      // Boxing Day, a Friday, at 09:00.
      expect(hold).toMatchObject({ detail: 'closed: holiday Christmas in calendar Lisbon office', nextAt: new Date('2025-12-26T09:00:00Z') });
    }
    // The calls already up end as they would; nothing new is placed, for as many ticks as we wait.
    for (const campaign of campaigns) await vi.waitFor(async () => expect(await dialingsOf(campaign.id)).toBe(0), { timeout: 15_000, interval: 50 });
    const held = await Promise.all(campaigns.map((campaign) => attemptsOf(campaign.id)));
    await dialer.ticks(10);
    expect(await Promise.all(campaigns.map((campaign) => attemptsOf(campaign.id)))).toEqual(held);
    expect(await Promise.all(campaigns.map((campaign) => dialingsOf(campaign.id)))).toEqual([0, 0]);
    expect(held.every((count) => count < numbers.length)).toBe(true);
    expect(await Promise.all(campaigns.map((campaign) => statusOf(campaign.id)))).toEqual(['RUNNING', 'RUNNING']);

    await updateCalendar(prisma, calendar.id, { holidays: [] });
    for (const [index, campaign] of campaigns.entries()) {
      await holdBecomes(prisma, campaign.id, null);
      await vi.waitFor(async () => expect(await attemptsOf(campaign.id)).toBeGreaterThan(held[index] as number), { timeout: 15_000, interval: 50 });
    }
  }, 60_000);

  it('stops a SCHEDULED campaign at a holiday added to its calendar, and starts it again once the holiday is taken away', async () => {
    const { prisma } = pbx.database;
    const calendar = await createCalendar(prisma, { name: 'Lisbon office', timezone: 'Europe/Lisbon', openingHours: WEEKDAYS_NINE_TO_SIX });
    const campaign = await campaignOver(prisma, ['3001', '3002'], { dialTimeoutMs: 60_000 });
    await prisma.campaign.update({ where: { id: campaign.id }, data: { scheduleMode: 'SCHEDULED', calendarId: calendar.id } });
    pbx.startDialer({ clock });
    await vi.waitFor(async () => expect(await dialingsOf(campaign.id)).toBe(2), { timeout: 15_000, interval: 50 });
    expect(await statusOf(campaign.id)).toBe('RUNNING');

    await updateCalendar(prisma, calendar.id, { holidays: [CHRISTMAS] });
    // Its hours closed: live calls end first (STOPPING), then STOPPED.
    await vi.waitFor(async () => expect(await statusOf(campaign.id)).toBe('STOPPED'), { timeout: 90_000, interval: 100 });
    expect(await prisma.campaignRun.findFirstOrThrow()).toMatchObject({ startedBy: 'schedule', stoppedBy: 'schedule' });

    await updateCalendar(prisma, calendar.id, { holidays: [] });
    await vi.waitFor(async () => expect(await statusOf(campaign.id)).toBe('RUNNING'), { timeout: 15_000, interval: 50 });
    expect(await prisma.campaignRun.count({ where: { campaignId: campaign.id } })).toBe(2);
  }, 120_000);
});
