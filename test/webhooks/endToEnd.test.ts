import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { webhookTargets } from '../../src/webhooks/targets.js';
import { setCampaignStatus } from '../../src/outbound/campaigns.js';
import { startDeliverer, type Deliverer } from '../../src/webhooks/deliverer.js';
import { SIGNATURE_HEADER, verifySignature } from '../../src/webhooks/signature.js';
import { postgresAvailable } from '../support/fixture.js';
import { silentLog, useSimulatedPbx } from '../dialer/simulatedPbx.js';
import { SECRET } from './fixtures.js';
import { startReceiver, type Receiver } from './receiver.js';


/** A campaign dialed against the simulated PBX while a receiver that fails at first takes its notifications. */
describe.skipIf(!postgresAvailable)('webhooks from a campaign dialed for real', () => {
  const pbx = useSimulatedPbx();
  let receiver: Receiver;
  let deliverer: Deliverer | undefined;

  beforeEach(async () => {
    receiver = await startReceiver();
  });

  afterEach(async () => {
    await deliverer?.stop();
    await receiver.close();
  });

  it('POSTs one signed notification per recorded attempt with WombatDialer\'s fields, the first ones after the receiver recovers', async () => {
    const prisma = pbx.database.prisma;
    const plan = await prisma.plan.create({
      data: { name: 'Plan', dialStringTemplate: 'Local/{number}@customers', dialTimeoutMs: 20_000, retryDelaySec: 1, maxRetries: [2, 2, 2, 2, 2, 2, 2, 2], maxConcurrentCalls: 3 },
    });
    const destination = await prisma.destination.create({ data: { name: 'Destination', type: 'EXTENSION', context: 'dest', exten: 'echo', priority: '1' } });
    const dialList = await prisma.dialList.create({ data: { name: 'Spring leads' } });
    for (const number of ['1001', '2001', '4001']) {
      await prisma.member.create({
        data: { dialListId: dialList.id, name: number, externalKey: `crm-${number}`, variables: { HH: '10' }, numbers: { create: [{ slot: 1, dialListId: dialList.id, number }] } },
      });
    }
    const campaign = await prisma.campaign.create({ data: { name: 'Campaign', planId: plan.id, destinationId: destination.id, dialListId: dialList.id } });
    await prisma.webhook.create({ data: { campaignId: campaign.id, url: receiver.url, secret: SECRET } });
    let failuresLeft = 3;
    receiver.answer = () => (failuresLeft-- > 0 ? 500 : 200);

    // The receiver listens on loopback, which only configuration opens to webhooks.
    deliverer = startDeliverer({ driver: pbx.database.driver, log: silentLog, pollMs: 50, backoff: { initialMs: 50, maxMs: 200 }, targets: webhookTargets(['127.0.0.0/8']) });
    pbx.startDialer();
    await setCampaignStatus(prisma, campaign.id, 'RUNNING', false, 'tester');
    await vi.waitFor(async () => expect((await prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe('STOPPED'), { timeout: 60_000, interval: 200 });
    await vi.waitFor(async () => expect(await prisma.webhookDelivery.count({ where: { status: 'PENDING' } })).toBe(0), { timeout: 20_000, interval: 100 });

    const attempts = await prisma.callAttempt.findMany({ orderBy: { originatedAt: 'asc' } });
    expect(attempts).toHaveLength(5); // 1001 answered once; 2001 busy and 4001 congested, each tried twice
    const accepted = receiver.received.filter((request) => request.status === 200);
    expect(receiver.received.filter((request) => request.status === 500)).toHaveLength(3);
    expect(accepted).toHaveLength(attempts.length);
    const nowSec = Math.floor(Date.now() / 1000);
    for (const request of accepted) expect(verifySignature(SECRET, String(request.headers[SIGNATURE_HEADER.toLowerCase()]), request.body, { nowSec })).toBe(true);
    const payloads = new Map(accepted.map((request) => [String(request.headers['idempotency-key']), JSON.parse(request.body) as Record<string, unknown>]));
    const deliveries = await prisma.webhookDelivery.findMany();
    expect([...payloads.keys()].sort()).toEqual(deliveries.map((d) => d.id).sort());

    for (const attempt of attempts) {
      const payload = [...payloads.values()].find((p) => p.dialingId === attempt.id);
      expect(payload).toEqual({
        dialingId: attempt.id,
        campaignId: campaign.id,
        runId: attempt.runId,
        memberId: attempt.memberId,
        externalKey: `crm-${attempt.dialedNumber}`,
        number: attempt.dialedNumber,
        currentNumber: attempt.dialedNumber,
        listName: 'Spring leads',
        state: attempt.outcome,
        extState: attempt.completionCode,
        retry: attempt.tryCount,
        reschedule: attempt.rescheduleSec ?? 0,
        asteriskId: attempt.uniqueid,
        dialResult: attempt.dialResult,
        dialResultText: attempt.dialResultText,
        hangupCause: attempt.hangupCause,
        hangupCauseText: attempt.hangupCauseText,
        originatedAt: attempt.originatedAt.toISOString(),
        answeredAt: attempt.answeredAt?.toISOString() ?? null,
        endedAt: attempt.endedAt.toISOString(),
        I_HH: '10',
      });
    }
    // Each member's notifications came in the order of its attempts.
    for (const number of ['2001', '4001']) {
      const sent = accepted.map((request) => JSON.parse(request.body) as { currentNumber: string; retry: number }).filter((p) => p.currentNumber === number);
      expect(sent.map((p) => p.retry)).toEqual([1, 2]);
    }
  }, 90_000);
});
