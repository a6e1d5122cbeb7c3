import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { enqueueDeliveries } from '../../src/webhooks/outbox.js';
import { emptyDatabase, storageKinds, type TestDatabase } from '../support/database.js';
import { webhookCampaign } from './fixtures.js';

describe.each(storageKinds)('the webhook outbox (%s)', (_kind, create) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await create();
  });
  afterAll(async () => database?.drop());

  beforeEach(async () => {
    await emptyDatabase(database);
  });

  it('writes one delivery per enabled webhook with what WombatDialer sends, I_* inputs and O_* outputs', async () => {
    const setup = await webhookCampaign(database, 'http://127.0.0.1:1/a', ['ann']);
    const disabled = await database.prisma.webhook.create({ data: { campaignId: setup.campaign.id, url: 'http://127.0.0.1:1/b', secret: 'x'.repeat(20), enabled: false } });
    const second = await database.prisma.webhook.create({ data: { campaignId: setup.campaign.id, url: 'http://127.0.0.1:1/c', secret: 'y'.repeat(20) } });
    const attemptId = await setup.recordAttempt(0, { completionCode: '1', outputs: { APPT: 'APPE' }, rescheduleSec: 300 });

    const deliveries = await database.prisma.webhookDelivery.findMany({ orderBy: { webhookId: 'asc' } });
    expect(deliveries.map((d) => d.webhookId).sort()).toEqual([setup.webhook.id, second.id].sort());
    expect(deliveries.some((d) => d.webhookId === disabled.id)).toBe(false);
    const member = setup.members[0];
    for (const delivery of deliveries) {
      expect(delivery).toMatchObject({ attemptId, memberId: member?.id, status: 'PENDING', tries: 0 });
      expect(delivery.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(delivery.payload).toEqual({
        dialingId: attemptId,
        campaignId: setup.campaign.id,
        runId: expect.any(String),
        memberId: member?.id,
        externalKey: 'key-ann',
        number: 'ann-main',
        currentNumber: 'ann-2',
        listName: 'Leads',
        state: 'ANSWERED',
        extState: '1',
        retry: 1,
        reschedule: 300,
        asteriskId: '1700000000.1',
        dialResult: 4,
        dialResultText: 'Remote end has answered',
        hangupCause: 16,
        hangupCauseText: 'Normal Clearing',
        originatedAt: '2026-11-22T12:00:00.000Z',
        answeredAt: '2026-11-22T12:00:03.000Z',
        endedAt: '2026-11-22T12:00:30.000Z',
        I_HH: '10',
        I_MM: '30',
        O_APPT: 'APPE',
      });
    }
  });

  it('writes an attempt\'s deliveries once however often it is enqueued, and reschedule 0 when not retried', async () => {
    const setup = await webhookCampaign(database, 'http://127.0.0.1:1/a', ['bob']);
    const attemptId = await setup.recordAttempt(0);
    await database.driver.withConnection((connection) => enqueueDeliveries(connection, attemptId));
    const deliveries = await database.prisma.webhookDelivery.findMany();
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]?.payload).toMatchObject({ reschedule: 0, extState: null });
  });
});
