import { describe, expect, it } from 'vitest';
import { manualClock } from '../../src/clock.js';
import { setCampaignStatus } from '../../src/outbound/campaigns.js';
import { postgresAvailable } from '../support/fixture.js';
import { campaignOver, useSimulatedPbx } from './simulatedPbx.js';

/** The dialer keeps time by the clock it is given: its ticks, beats and the times it writes. */
describe.skipIf(!postgresAvailable)('the dialer on a clock the test moves', () => {
  const pbx = useSimulatedPbx();

  it('ticks only as its clock moves, a tick every tickMs of it, and dates what it places by it', async () => {
    const { prisma } = pbx.database;
    const startedAt = Date.parse('2026-12-06T09:00:00Z');
    const clock = manualClock(startedAt);
    const campaign = await campaignOver(prisma, ['3001'], { dialTimeoutMs: 60_000 });
    await setCampaignStatus(prisma, campaign.id, 'RUNNING', false, 'tester');
    const dialer = pbx.startDialer({ clock, tickMs: 1_000, heartbeatMs: 5_000 });

    // Nothing runs on a real timer: the first tick waits for its clock to move a whole tick.
    expect(clock.untilNext()).toBe(1_000);
    clock.advance(999);
    expect(clock.untilNext()).toBe(1);
    const tick = async (ms: number) => {
      const ticked = dialer.ticks(1);
      clock.advance(ms);
      await ticked;
    };
    // The first tick confirms the start (STARTING -> RUNNING); the second places the call.
    await tick(1);
    expect(clock.untilNext()).toBe(1_000);
    expect(await prisma.dialing.count()).toBe(0);
    await tick(1_000);
    const [dialing] = await prisma.dialing.findMany({ where: { campaignId: campaign.id } });
    expect(dialing?.originatedAt).toEqual(new Date(startedAt + 2_000));
  });
});
