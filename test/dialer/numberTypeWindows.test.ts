import { describe, expect, it, vi } from 'vitest';
import { manualClock } from '../../src/clock.js';
import { PASSED_OVER_MINUTES } from '../../src/dialer/passedOver.js';
import { campaignHold } from '../../src/outbound/campaignProgress.js';
import { setCampaignStatus } from '../../src/outbound/campaigns.js';
import { updatePlan } from '../../src/outbound/plans.js';
import { postgresAvailable } from '../support/fixture.js';
import { campaignOver, useSimulatedPbx } from './simulatedPbx.js';

// Sunday 22 November 2026 in Lisbon, on UTC in November: ten minutes before the mobile numbers' window opens.
const BEFORE_SIX_PM = Date.parse('2026-11-22T17:50:00Z');
const SIX_PM = Date.parse('2026-11-22T18:00:00Z');

/** A number type outside its window is not dialed while the member's other numbers are, against the simulated PBX. */
describe.skipIf(!postgresAvailable)('calling windows per number type', () => {
  const pbx = useSimulatedPbx();

  it("dials a member's home number while its mobile one is outside its window, and the mobile numbers once it opens, each type to its own tries", async () => {
    const { prisma } = pbx.database;
    const clock = manualClock(BEFORE_SIX_PM);
    // Every number is busy (2XXX): each is tried as often as its type allows.
    const campaign = await campaignOver(prisma, [], { maxRetries: [3, 3, 3, 3, 3, 3, 3, 3], retryDelaySec: 1 });
    await updatePlan(prisma, campaign.planId, {
      numberTypes: [
        { code: 'mobile', name: 'Mobile', maxTries: 2, priority: 10, windows: [{ start: '18:00', end: '22:00' }] },
        { code: 'home', name: 'Home', maxTries: 1 },
      ],
    });
    await prisma.campaign.update({ where: { id: campaign.id }, data: { timezone: 'Europe/Lisbon' } });
    const member = (name: string, numbers: { number: string; type: string }[]) =>
      prisma.member.create({
        data: { dialListId: campaign.dialListId, name, numbers: { create: numbers.map((number, index) => ({ ...number, slot: index + 1, dialListId: campaign.dialListId })) } },
      });
    await member('mobile and home', [
      { number: '2001', type: 'mobile' },
      { number: '2002', type: 'home' },
    ]);
    await member('mobile only', [{ number: '2003', type: 'mobile' }]);
    await setCampaignStatus(prisma, campaign.id, 'RUNNING', false, 'tester');
    const dialer = pbx.startDialer({ clock, tickMs: 1_000, heartbeatMs: 5_000 });
    const tick = async () => {
      const ticked = dialer.ticks(1);
      clock.advance(1_000);
      await ticked;
    };
    const attempts = async () =>
      (await prisma.callAttempt.findMany({ orderBy: { originatedAt: 'asc' }, select: { dialedNumber: true, originatedAt: true } })).map((attempt) => ({
        number: attempt.dialedNumber,
        at: attempt.originatedAt.getTime(),
      }));

    // Before six: the home number only; then nothing left to dial now, and the list is not at its end.
    await vi.waitFor(
      async () => {
        await tick();
        expect((await attempts()).map((attempt) => attempt.number)).toEqual(['2002']);
        expect(await campaignHold(prisma, campaign.id)).toMatchObject({ reason: 'NO_DUE_MEMBER' });
      },
      { timeout: 20_000, interval: 20 },
    );
    expect(clock.now()).toBeLessThan(SIX_PM);
    expect((await prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe('RUNNING');
    expect(await prisma.member.findMany({ orderBy: { name: 'asc' }, select: { name: true, status: true } })).toEqual([
      { name: 'mobile and home', status: 'IDLE' },
      { name: 'mobile only', status: 'IDLE' },
    ]);

    // At six the window opens; the members the sweep set aside meanwhile are due again within its minutes.
    clock.advance(SIX_PM - clock.now() + PASSED_OVER_MINUTES * 60_000);
    await vi.waitFor(
      async () => {
        await tick();
        expect((await prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe('STOPPED');
      },
      { timeout: 30_000, interval: 20 },
    );
    const all = await attempts();
    const count = (number: string) => all.filter((attempt) => attempt.number === number).length;
    expect([count('2001'), count('2002'), count('2003')]).toEqual([2, 1, 2]);
    expect(all.filter((attempt) => attempt.number !== '2002').every((attempt) => attempt.at >= SIX_PM)).toBe(true);
  }, 60_000);
});
