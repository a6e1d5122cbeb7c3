import { describe, expect, it } from 'vitest';
import { createUser } from '../../src/auth/users.js';
import { createLogger } from '../../src/logger.js';
import { auditLog, deliveredWebhooks, endedSessions } from '../../src/retention/prunable.js';
import { prune, startRetention } from '../../src/retention/retention.js';
import { storageKinds } from '../support/database.js';
import { useStorage } from '../support/storage.js';
import { webhookCampaign } from '../webhooks/fixtures.js';

const DAY = 86_400_000;

describe.each(storageKinds)('retention on %s storage', (kind, create) => {
  const storage = useStorage(kind, create);
  const { skip } = storage;

  it.skipIf(skip)('prunes audit entries older than it keeps, in batches (6,000 rows: two), and leaves the rest', async () => {
    const { prisma } = storage.database;
    const entry = (at: Date, actorName: string) => ({ at, actorName, clientAddress: '127.0.0.1', mutation: 'createPlan', arguments: {}, result: 'CreatePlanSuccess' });
    await prisma.auditEntry.createMany({ data: Array.from({ length: 6_000 }, () => entry(new Date(Date.now() - 200 * DAY), 'long ago')) });
    await prisma.auditEntry.create({ data: entry(new Date(Date.now() - 100 * DAY), 'recent') });
    expect(await prune(prisma, auditLog(180 * DAY), new Date(Date.now() - 180 * DAY))).toBe(6_000);
    expect((await prisma.auditEntry.findMany()).map((row) => row.actorName)).toEqual(['recent']);
  });

  it.skipIf(skip)('prunes sessions ended long enough ago, by expiry or by revocation, and keeps live and recently ended ones', async () => {
    const { prisma } = storage.database;
    const user = await createUser(prisma, { username: `retention-${kind}`, password: 'retention password 1', role: 'VIEWER' });
    const session = (name: string, expiresAt: Date, revokedAt: Date | null = null) => prisma.session.create({ data: { userId: user.id, tokenHash: `${kind}-${name}`, expiresAt, revokedAt } });
    await session('expired long ago', new Date(Date.now() - 40 * DAY));
    await session('revoked long ago', new Date(Date.now() + DAY), new Date(Date.now() - 40 * DAY));
    await session('expired lately', new Date(Date.now() - 2 * DAY));
    await session('live', new Date(Date.now() + DAY));
    await session('revoked lately', new Date(Date.now() + DAY), new Date(Date.now() - DAY));
    expect(await prune(prisma, endedSessions(30 * DAY), new Date(Date.now() - 30 * DAY))).toBe(2);
    expect((await prisma.session.findMany({ where: { userId: user.id }, orderBy: { tokenHash: 'asc' } })).map((row) => row.tokenHash)).toEqual([
      `${kind}-expired lately`, `${kind}-live`, `${kind}-revoked lately`,
    ]);
  });

  it.skipIf(skip)('prunes webhook notifications delivered long ago and never one still waiting for its receiver, however old', async () => {
    const { prisma } = storage.database;
    const { webhook, recordAttempt } = await webhookCampaign(storage.database, 'https://receiver.example.org/hook', ['ana', 'ben', 'eva']);
    const [old, recent, waiting] = [await recordAttempt(0), await recordAttempt(1), await recordAttempt(2)];
    const deliver = (attemptId: string, deliveredAt: Date) => prisma.webhookDelivery.updateMany({ where: { attemptId }, data: { status: 'DELIVERED', deliveredAt } });
    await deliver(old, new Date(Date.now() - 40 * DAY));
    await deliver(recent, new Date(Date.now() - DAY));
    await prisma.webhookDelivery.updateMany({ where: { attemptId: waiting }, data: { createdAt: new Date(Date.now() - 400 * DAY) } });

    const retention = startRetention({ prisma, kept: [deliveredWebhooks(30 * DAY)], log: createLogger('silent') });
    await retention.stop();
    const left = await prisma.webhookDelivery.findMany({ where: { webhookId: webhook.id } });
    expect(left.map((row) => row.attemptId).sort()).toEqual([recent, waiting].sort());
    // Attempts are the record: pruning a notification leaves its attempt.
    expect(await prisma.callAttempt.count({ where: { id: old } })).toBe(1);
  });
});
