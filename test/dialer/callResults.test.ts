import { describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/clock.js';
import type { DialerOptions } from '../../src/dialer/engine.js';
import { changeCallResult } from '../../src/outbound/callResults.js';
import { setCampaignStatus } from '../../src/outbound/campaigns.js';
import { settleMember } from '../../src/outbound/memberResult.js';
import { createRescheduleRule } from '../../src/outbound/rescheduleRules.js';
import { postgresAvailable } from '../support/fixture.js';
import { campaignOver as createCampaign, useSimulatedPbx } from './simulatedPbx.js';

/** Call results steering the dialer against the simulated PBX: 5XXX customers send CALLSTATUS SALE, ATTRIBUTE ivr 1, ATTR_APPEND ivr 2. */
describe.skipIf(!postgresAvailable)('call results and the members they steer', () => {
  const pbx = useSimulatedPbx();
  const campaignOver = (numbers: string[], plan: Record<string, unknown> = {}) => createCampaign(pbx.database.prisma, numbers, plan);

  const run = async (campaignId: string, options: Partial<DialerOptions> = {}) => {
    const dialer = pbx.startDialer(options);
    await setCampaignStatus(pbx.database.prisma, campaignId, 'RUNNING', false, 'tester');
    return dialer;
  };
  const stopped = async (campaignId: string) =>
    vi.waitFor(async () => expect((await pbx.database.prisma.campaign.findUniqueOrThrow({ where: { id: campaignId } })).status).toBe('STOPPED'), { timeout: 30_000, interval: 200 });
  const attemptsOf = (number: string) => pbx.database.prisma.callAttempt.findMany({ where: { dialedNumber: number }, orderBy: { originatedAt: 'asc' } });

  it("a completion code from the dialplan chooses a reschedule rule, which retries the member as many times as it grants", async () => {
    const campaign = await campaignOver(['5001', '1001']);
    // Parked, each call lasts as long as its customer: with the 3 s echo, a loaded machine's late timers could
    // end a 5XXX call before its dialplan sent the results, which is what the PBX would then report.
    await pbx.database.prisma.destination.update({ where: { id: campaign.destinationId }, data: { exten: 'park' } });
    const sale = await createRescheduleRule(pbx.database.prisma, campaign.id, { outcome: 'ANSWERED', completionCode: 'sale', maxAttempts: 1, retryAfterSec: 1 });
    await createRescheduleRule(pbx.database.prisma, campaign.id, { outcome: 'BUSY', maxAttempts: 5, retryAfterSec: 1 });
    await run(campaign.id);
    await stopped(campaign.id);

    const sales = await attemptsOf('5001');
    expect(sales.map((a) => [a.outcome, a.completionCode, a.outputs, a.rescheduleRuleId, a.rescheduleSec])).toEqual([
      ['ANSWERED', 'SALE', { ivr: '12' }, sale.id, 1],
      ['ANSWERED', 'SALE', { ivr: '12' }, sale.id, null],
    ]);
    expect((sales[1]?.originatedAt.getTime() ?? 0) - (sales[0]?.endedAt.getTime() ?? 0)).toBeGreaterThanOrEqual(1_000);
    const plain = await attemptsOf('1001');
    expect(plain.map((a) => [a.outcome, a.completionCode, a.outputs, a.rescheduleRuleId, a.rescheduleSec])).toEqual([['ANSWERED', null, {}, null, null]]);
  }, 60_000);

  it('setCallStatus on a finished call changes its attempt, but no rule fires', async () => {
    const campaign = await campaignOver(['1001']);
    await createRescheduleRule(pbx.database.prisma, campaign.id, { completionCode: 'CALLBACK', maxAttempts: 3, retryAfterSec: 1 });
    const dialer = await run(campaign.id);
    await stopped(campaign.id);
    const [attempt] = await attemptsOf('1001');

    expect(await changeCallResult(pbx.database.prisma, attempt?.id as string, { kind: 'status', code: 'CALLBACK' })).toEqual({ dialingId: attempt?.id, finished: true });
    await changeCallResult(pbx.database.prisma, attempt?.id as string, { kind: 'append', name: 'Notes', value: 'later' });
    expect(await pbx.database.prisma.callAttempt.findUniqueOrThrow({ where: { id: attempt?.id } })).toMatchObject({ completionCode: 'CALLBACK', outputs: { notes: 'later' }, rescheduleRuleId: null });
    await dialer.ticks(10);
    expect(await pbx.database.prisma.callAttempt.count()).toBe(1);
    expect((await pbx.database.prisma.member.findFirstOrThrow()).status).toBe('DONE');
  }, 60_000);

  it('retries an answered call shorter than minTalkSec like an unreached one', async () => {
    // At speed 20 the echo's 3 s of talk last 150 ms of the dialer's clock: under a second.
    const campaign = await campaignOver(['1001'], { minTalkSec: 1, maxRetries: [2, 2, 2, 2, 2, 2, 2, 2] });
    await run(campaign.id);
    await stopped(campaign.id);
    const attempts = await attemptsOf('1001');
    expect(attempts.map((a) => [a.outcome, a.rescheduleSec])).toEqual([
      ['ANSWERED', 1],
      ['ANSWERED', null],
    ]);
  }, 60_000);

  it('with waitForResult, a connected member waits for settleMember before it is dialed again', async () => {
    const campaign = await campaignOver(['1001'], { minTalkSec: 1, waitForResult: true, waitForResultSec: 600 });
    let ahead = 0;
    const dialer = await run(campaign.id, { clock: { ...systemClock, now: () => Date.now() + ahead } });
    await vi.waitFor(async () => expect(await pbx.database.prisma.callAttempt.count()).toBe(1), { timeout: 15_000 });
    const member = await pbx.database.prisma.member.findFirstOrThrow();
    expect(member.resultDueAt?.getTime()).toBeGreaterThan(Date.now() + 500_000);
    // A minute on, well past the retry delay (1 s): still waiting.
    ahead = 60_000;
    await dialer.ticks(5);
    expect(await pbx.database.prisma.callAttempt.count()).toBe(1);

    await settleMember(pbx.database.prisma, member.id, { success: false, nextAfterSec: 0, description: 'asked to call again' });
    await vi.waitFor(async () => expect(await pbx.database.prisma.callAttempt.count()).toBe(2), { timeout: 15_000 });
    expect((await pbx.database.prisma.member.findFirstOrThrow()).resultDescription).toBe('asked to call again');
  }, 60_000);
});
