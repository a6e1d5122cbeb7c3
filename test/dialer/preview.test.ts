import { describe, expect, it, vi } from 'vitest';
import { dialReservedCall, reserveCall, skipReservedCall } from '../../src/dialer/preview.js';
import { setCampaignStatus } from '../../src/outbound/campaigns.js';
import { postgresAvailable } from '../support/fixture.js';
import { campaignOver, useSimulatedPbx } from './simulatedPbx.js';

/** PREVIEW against the simulated PBX: what an agent reserves is dialed or given back, and the list finishes. */
describe.skipIf(!postgresAvailable)('PREVIEW dialing to the end of the list', () => {
  const pbx = useSimulatedPbx();

  async function memberStatus(name: string): Promise<string> {
    return (await pbx.database.prisma.member.findFirstOrThrow({ where: { name } })).status;
  }

  it('records a dialed reservation and moves its member on; a skipped one and one left to run out are given back; the campaign then finishes its list', async () => {
    const { prisma, driver } = pbx.database;
    // 1001 answers and is put through to the agent's phone, 9001 does not exist: both are done after one try.
    const campaign = await campaignOver(prisma, ['1001', '9001', '1002'], { dialMode: 'PREVIEW', maxRetries: [1, 1, 1, 1, 1, 1, 1, 1] });
    await setCampaignStatus(prisma, campaign.id, 'RUNNING', false, 'tester');
    pbx.startDialer();
    await vi.waitFor(async () => expect((await prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe('RUNNING'), { timeout: 10_000, interval: 50 });

    const dialed = await reserveCall(prisma, driver, campaign.id, 'PJSIP/2001');
    expect(await memberStatus('1001')).toBe('RESERVED');
    await dialReservedCall(prisma, dialed?.dialingId as string);
    expect(await memberStatus('1001')).toBe('DIALING');
    await vi.waitFor(async () => expect(await prisma.callAttempt.count({ where: { memberId: dialed?.memberId } })).toBe(1), { timeout: 30_000, interval: 100 });
    // The simulated agent phone picked up: the customer was put through to it.
    expect(await prisma.callAttempt.findFirstOrThrow({ where: { memberId: dialed?.memberId } })).toMatchObject({ outcome: 'ANSWERED', dialResult: 4, hangupCause: 16 });
    await vi.waitFor(async () => expect(await memberStatus('1001')).toBe('DONE'), { timeout: 10_000, interval: 100 });

    const skipped = await reserveCall(prisma, driver, campaign.id, 'PJSIP/2001');
    await skipReservedCall(prisma, skipped?.dialingId as string, 'DONE');
    expect(await memberStatus('9001')).toBe('DONE');

    // Nobody acts on this one: once its time runs out, a dialer gives it back untried.
    const forgotten = await reserveCall(prisma, driver, campaign.id, 'PJSIP/2002');
    expect(forgotten).not.toBeNull();
    await prisma.dialing.update({ where: { id: forgotten?.dialingId }, data: { leaseExpiresAt: new Date(Date.now() - 1_000) } });
    await vi.waitFor(async () => expect(await memberStatus('1002')).toBe('IDLE'), { timeout: 10_000, interval: 100 });
    expect(await prisma.dialing.count()).toBe(0);

    const again = await reserveCall(prisma, driver, campaign.id, 'PJSIP/2001');
    expect(again?.memberId).toBe(forgotten?.memberId);
    await dialReservedCall(prisma, again?.dialingId as string);
    await vi.waitFor(async () => expect((await prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe('STOPPED'), { timeout: 30_000, interval: 100 });
    expect(await prisma.member.groupBy({ by: ['status'], _count: true })).toEqual([{ status: 'DONE', _count: 3 }]);
  });
});
