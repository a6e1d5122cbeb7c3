import { describe, expect, it, vi } from 'vitest';
import { setCampaignStatus } from '../../src/outbound/campaigns.js';
import { postgresAvailable } from '../support/fixture.js';
import { campaignOver, useSimulatedPbx } from './simulatedPbx.js';

/** A member's numbers each have their plan slot's own retry limit, against the simulated PBX. */
describe.skipIf(!postgresAvailable)('retry limits per number slot', () => {
  const pbx = useSimulatedPbx();

  it("tries each busy number as often as its own slot allows, then ends the list: slot 1 once, slot 2 three times, slot 3 (no tries) never", async () => {
    const { prisma } = pbx.database;
    const campaign = await campaignOver(prisma, [], { maxRetries: [1, 3, 0, 2, 2, 2, 2, 2], numberStrategy: 'BY_PRIORITY', retryDelaySec: 1 });
    const member = async (name: string, numbers: { slot: number; number: string }[]) =>
      prisma.member.create({ data: { dialListId: campaign.dialListId, name, numbers: { create: numbers.map((number) => ({ ...number, dialListId: campaign.dialListId })) } } });
    await member('two numbers', [
      { slot: 1, number: '2001' },
      { slot: 2, number: '2002' },
    ]);
    // Its only number is in a slot with no tries at all: the member is never callable.
    await member('slot 3 only', [{ slot: 3, number: '2003' }]);
    pbx.startDialer();
    await setCampaignStatus(prisma, campaign.id, 'RUNNING', false, 'tester');

    await vi.waitFor(async () => expect((await prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe('STOPPED'), { timeout: 30_000 });
    const attempts = await prisma.callAttempt.groupBy({ by: ['dialedNumber'], _count: true, orderBy: { dialedNumber: 'asc' } });
    expect(attempts.map((group) => [group.dialedNumber, group._count])).toEqual([
      ['2001', 1],
      ['2002', 3],
    ]);
    expect((await prisma.callAttempt.findMany()).every((attempt) => attempt.outcome === 'BUSY')).toBe(true);
    const tries = await prisma.memberNumber.findMany({ orderBy: { number: 'asc' }, select: { number: true, tryCount: true } });
    expect(tries).toEqual([
      { number: '2001', tryCount: 1 },
      { number: '2002', tryCount: 3 },
      { number: '2003', tryCount: 0 },
    ]);
  }, 40_000);
});
