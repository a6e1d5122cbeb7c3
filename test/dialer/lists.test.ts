import { describe, expect, it, vi } from 'vitest';
import { addCall } from '../../src/outbound/addCall.js';
import { setCampaignBlacklist } from '../../src/outbound/blacklists.js';
import { pauseCampaignList, startCampaignList } from '../../src/outbound/campaignLists.js';
import { setCampaignStatus } from '../../src/outbound/campaigns.js';
import { addMembers } from '../../src/outbound/members/index.js';
import { postgresAvailable } from '../support/fixture.js';
import { campaignOver as createCampaign, useSimulatedPbx } from './simulatedPbx.js';

/** Do-not-call lists and drip-fed calls steering a campaign the dialer dials against the simulated PBX. */
describe.skipIf(!postgresAvailable)('lists steering a running campaign', () => {
  const pbx = useSimulatedPbx();
  const campaignOver = (numbers: string[], plan: Record<string, unknown> = {}) => createCampaign(pbx.database.prisma, numbers, { maxRetries: [4, 4, 4, 4, 4, 4, 4, 4], maxConcurrentCalls: 2, ...plan });

  const run = async (campaignId: string) => {
    const dialer = pbx.startDialer();
    await setCampaignStatus(pbx.database.prisma, campaignId, 'RUNNING', false, 'tester');
    return dialer;
  };
  const attemptsOf = (number: string) => pbx.database.prisma.callAttempt.count({ where: { dialedNumber: number } });

  it('never dials a number again once it is added to a do-not-call list mid-campaign, and ends the list without it', async () => {
    // 2XXX is busy: retried every second, up to 4 tries, unless something stops it.
    const campaign = await campaignOver(['2001', '2002']);
    const dnc = await pbx.database.prisma.dialList.create({ data: { name: 'DNC' } });
    await setCampaignBlacklist(pbx.database.prisma, campaign.id, dnc.id, true);
    await run(campaign.id);
    await vi.waitFor(async () => expect(await attemptsOf('2001')).toBeGreaterThanOrEqual(1), { timeout: 10_000 });

    await addMembers(pbx.database.driver, dnc.id, [{ numbers: [{ number: '2001' }] }], { dedupe: 'NONE' });
    const before = await attemptsOf('2001');
    await vi.waitFor(async () => expect((await pbx.database.prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe('STOPPED'), { timeout: 30_000, interval: 200 });
    // A call already under way when the number was added may still finish; nothing after it.
    expect(await attemptsOf('2001')).toBeLessThanOrEqual(before + 1);
    expect(await attemptsOf('2001')).toBeLessThan(4);
    expect(await attemptsOf('2002')).toBe(4);
    // The blocked member is kept as it was, tries left and waiting, not finished as if it had been called out; nothing is left dialing.
    const members = await pbx.database.prisma.member.findMany({ where: { dialListId: campaign.dialListId }, select: { name: true, status: true, numbers: { select: { tryCount: true, stopped: true } } }, orderBy: { name: 'asc' } });
    expect(members).toEqual([
      { name: '2001', status: 'IDLE', numbers: [{ tryCount: await attemptsOf('2001'), stopped: false }] },
      { name: '2002', status: 'DONE', numbers: [{ tryCount: 4, stopped: false }] },
    ]);
    expect(await pbx.database.prisma.dialing.count()).toBe(0);
  }, 40_000);

  it('calls a list added while the campaign runs, records its members against it, and does not end while a list is paused', async () => {
    const campaign = await campaignOver(['1001']);
    const extra = await pbx.database.prisma.dialList.create({ data: { name: 'Extra', variables: { SOURCE: 'extra' } } });
    const later = await pbx.database.prisma.dialList.create({ data: { name: 'Later' } });
    await addMembers(pbx.database.driver, extra.id, [{ numbers: [{ number: '1002' }] }], { dedupe: 'NONE' });
    await addMembers(pbx.database.driver, later.id, [{ numbers: [{ number: '1003' }] }], { dedupe: 'NONE' });
    await startCampaignList(pbx.database.prisma, campaign.id, later.id);
    await pauseCampaignList(pbx.database.prisma, campaign.id, later.id);
    const dialer = await run(campaign.id);
    await startCampaignList(pbx.database.prisma, campaign.id, extra.id);
    await vi.waitFor(async () => expect(await attemptsOf('1002')).toBe(1), { timeout: 15_000 });
    const attempt = await pbx.database.prisma.callAttempt.findFirstOrThrow({ where: { dialedNumber: '1002' } });
    expect(attempt.dialListId).toBe(extra.id);
    expect(attempt.variables).toMatchObject({ SOURCE: 'extra', SB_DIAL_LIST_NAME: 'Extra' });

    // Everything else dialed, but 'Later' is paused: the campaign waits for it, and dials it once started.
    await dialer.ticks(10);
    expect((await pbx.database.prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe('RUNNING');
    expect(await attemptsOf('1003')).toBe(0);
    await startCampaignList(pbx.database.prisma, campaign.id, later.id);
    await vi.waitFor(async () => expect((await pbx.database.prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe('STOPPED'), { timeout: 20_000, interval: 200 });
    expect(await attemptsOf('1003')).toBe(1);
  }, 40_000);

  it('dials members added while it runs, to its own list and to a list it was started on, once it has dialed everything else', async () => {
    const campaign = await campaignOver(['1001'], { dialListEndAction: 'KEEP_RUNNING' });
    const extra = await pbx.database.prisma.dialList.create({ data: { name: 'Extra' } });
    const dialer = await run(campaign.id);
    await startCampaignList(pbx.database.prisma, campaign.id, extra.id);
    await vi.waitFor(async () => expect(await attemptsOf('1001')).toBe(1), { timeout: 10_000 });
    await dialer.ticks(3);

    await addMembers(pbx.database.driver, campaign.dialListId, [{ numbers: [{ number: '1002' }] }], { dedupe: 'NONE' });
    await addMembers(pbx.database.driver, extra.id, [{ numbers: [{ number: '1003' }] }], { dedupe: 'NONE' });
    await vi.waitFor(async () => expect([await attemptsOf('1002'), await attemptsOf('1003')]).toEqual([1, 1]), { timeout: 10_000 });
    const attempt = await pbx.database.prisma.callAttempt.findFirstOrThrow({ where: { dialedNumber: '1003' } });
    expect(attempt.dialListId).toBe(extra.id);
    expect((await pbx.database.prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe('RUNNING');
  }, 30_000);

  it('dials a drip-fed call into a running campaign that has nothing left to dial, at its time', async () => {
    const campaign = await campaignOver(['1001'], { dialListEndAction: 'KEEP_RUNNING' });
    await run(campaign.id);
    await vi.waitFor(async () => expect(await attemptsOf('1001')).toBe(1), { timeout: 10_000 });
    const added = await addCall(pbx.database.prisma, campaign.id, { number: '1002', attributes: { CRM_ID: '42' }, inSec: 1 });
    await vi.waitFor(async () => expect(await attemptsOf('1002')).toBe(1), { timeout: 10_000 });
    const attempt = await pbx.database.prisma.callAttempt.findFirstOrThrow({ where: { dialedNumber: '1002' } });
    expect(attempt.originatedAt.getTime()).toBeGreaterThanOrEqual((added.scheduledAt as Date).getTime());
    expect(attempt.variables).toMatchObject({ CRM_ID: '42' });
    expect(attempt.outcome).toBe('ANSWERED');
  }, 30_000);
});
