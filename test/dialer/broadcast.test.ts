import { describe, expect, it, vi } from 'vitest';
import type { ValidationError } from '../../src/errors.js';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { campaignProgress } from '../../src/outbound/campaignProgress.js';
import { setCampaignStatus } from '../../src/outbound/campaigns.js';
import { postgresAvailable } from '../support/fixture.js';
import { campaignOver, useSimulatedPbx } from './simulatedPbx.js';

/** Agentless campaigns (BROADCAST) against the simulated PBX and the transcripts' dialplan. */
describe.skipIf(!postgresAvailable)('a broadcast campaign', () => {
  const pbx = useSimulatedPbx();

  const statusOf = async (prisma: PrismaClient, id: string) => (await prisma.campaign.findUniqueOrThrow({ where: { id } })).status;

  /** The most customer calls (;1 legs of Local/...@customers) the simulated PBX had up at once, from its own events. */
  function mostCallsUp(): { readonly most: number; stop(): void } {
    let up = 0;
    const seen = { most: 0, stop: () => {} };
    seen.stop = pbx.simulator.pbx.subscribe((frame) => {
      const fields = Object.fromEntries(frame);
      if (!/^Local\/\d+@customers-\w+;1$/.test(fields.Channel ?? '')) return;
      if (fields.Event === 'Newchannel') seen.most = Math.max(seen.most, ++up);
      if (fields.Event === 'Hangup') up--;
    });
    return seen;
  }

  it("fills its trunk's limit with no agent logged in, and an answered call nobody took is not abandoned", async () => {
    const { prisma } = pbx.database;
    // 6XXX answers and talks 30 s; helpdesk's agents start logged off, so a PROGRESSIVE campaign would hold NO_AGENTS.
    const trunk = await prisma.trunk.create({ data: { name: 'Carrier', dialStringTemplate: 'Local/{number}@customers', maxChannels: 4 } });
    const numbers = Array.from({ length: 10 }, (_, index) => `60${String(index).padStart(2, '0')}`);
    const campaign = await campaignOver(prisma, numbers, { dialMode: 'BROADCAST', dialStringTemplate: null, maxConcurrentCalls: null, maxRetries: [1, 1, 1, 1, 1, 1, 1, 1] });
    await prisma.planTrunk.create({ data: { planId: campaign.planId, position: 0, trunkId: trunk.id } });
    await prisma.destination.update({ where: { id: campaign.destinationId }, data: { name: 'Helpdesk', context: 'dest-agents', exten: 'queue-helpdesk' } });
    const calls = mostCallsUp();
    pbx.startDialer();
    await setCampaignStatus(prisma, campaign.id, 'RUNNING', false, 'tester');
    await vi.waitFor(async () => expect(await statusOf(prisma, campaign.id)).toBe('STOPPED'), { timeout: 60_000, interval: 200 });
    calls.stop();

    expect(calls.most).toBe(4);
    const attempts = await prisma.callAttempt.findMany();
    expect(attempts.map((attempt) => attempt.outcome)).toEqual(Array(10).fill('ANSWERED'));
    expect(new Set(attempts.map((attempt) => attempt.trunkId))).toEqual(new Set([trunk.id]));
    // No agent was waited for: there is no abandon rate to hold it to.
    expect(await campaignProgress(prisma, campaign.id)).toMatchObject({ attempts: 10, answerRate: 1, abandonRate: null });
  }, 90_000);

  it("leaves a machine the plan's message after its beep, and the member it reached is done though machines are retried", async () => {
    const { prisma } = pbx.database;
    // 8XXX answers as a machine (simulated AMD); 1XXX as a person, who is put through to the destination.
    const campaign = await campaignOver(prisma, ['8001', '1001'], {
      dialMode: 'BROADCAST',
      maxConcurrentCalls: 2,
      amdEnabled: true,
      machineMessage: 'custom/offer',
      retryMachine: true,
    });
    pbx.startDialer();
    await setCampaignStatus(prisma, campaign.id, 'RUNNING', false, 'tester');
    await vi.waitFor(async () => expect(await statusOf(prisma, campaign.id)).toBe('STOPPED'), { timeout: 60_000, interval: 200 });

    const attempts = await prisma.callAttempt.findMany({ orderBy: { dialedNumber: 'asc' } });
    expect(attempts.map((attempt) => [attempt.dialedNumber, attempt.outcome, attempt.amdStatus, attempt.messageLeft])).toEqual([
      ['1001', 'ANSWERED', 'HUMAN', false],
      ['8001', 'MACHINE', 'MACHINE', true],
    ]);
    const members = await prisma.member.findMany({ orderBy: { name: 'asc' } });
    expect(members.map((member) => [member.name, member.status])).toEqual([
      ['1001', 'DONE'],
      ['8001', 'DONE'],
    ]);
  }, 60_000);

  it('does not start without a limit, whatever its destination: it has no agents to pace by', async () => {
    const { prisma } = pbx.database;
    const campaign = await campaignOver(prisma, ['1001'], { dialMode: 'BROADCAST', maxConcurrentCalls: null });
    await prisma.destination.update({ where: { id: campaign.destinationId }, data: { name: 'Sales', context: 'dest', exten: 'queue-sales' } });
    const refused = await setCampaignStatus(prisma, campaign.id, 'RUNNING', false, 'tester').catch((error: unknown) => error);
    expect((refused as ValidationError).problems).toEqual([{ field: 'maxConcurrentCalls', message: expect.stringContaining('broadcasts, with no agents to pace by') }]);
  });
});
