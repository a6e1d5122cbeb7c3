import { createHmac } from 'node:crypto';
import { pino } from 'pino';
import { PUBLIC_ONLY, webhookTargets } from '../../src/webhooks/targets.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDeliverer, type Deliverer } from '../../src/webhooks/deliverer.js';
import { claimDue } from '../../src/webhooks/queue.js';
import { SIGNATURE_HEADER, verifySignature } from '../../src/webhooks/signature.js';
import { createPostgresDatabase, type TestDatabase } from '../support/database.js';
import { postgresAvailable } from '../support/fixture.js';
import { SECRET, webhookCampaign } from './fixtures.js';
import { eventually, freePort, startReceiver, type Receiver } from './receiver.js';
import { webhookPosts } from '../../src/metrics/processMetrics.js';

const LOOPBACK_ALLOWED = webhookTargets(['127.0.0.0/8', '::1/128']);

const log = pino({ level: 'silent' });
const FAST = { pollMs: 20, backoff: { initialMs: 20, maxMs: 100 }, timeoutMs: 2_000 };

/** The deliveries a receiver accepted (answered 2xx), by idempotency key, in arrival order. */
function accepted(receiver: Receiver) {
  return receiver.received.filter((request) => request.status < 300).map((request) => ({ key: String(request.headers['idempotency-key']), payload: JSON.parse(request.body) as Record<string, unknown> }));
}

describe.skipIf(!postgresAvailable)('delivering webhooks', () => {
  let database: TestDatabase;
  const disposables: (() => Promise<void>)[] = [];
  const deliverer = (options: Partial<Parameters<typeof startDeliverer>[0]> = {}): Deliverer => {
    // The receivers here listen on loopback, which only configuration opens to webhooks.
    const started = startDeliverer({ driver: database.driver, log, targets: LOOPBACK_ALLOWED, ...FAST, ...options });
    disposables.push(() => started.stop());
    return started;
  };
  const receiver = async (port?: number) => {
    const started = await startReceiver(port);
    disposables.push(() => started.close());
    return started;
  };
  const pending = () => database.prisma.webhookDelivery.count({ where: { status: 'PENDING' } });

  beforeEach(async () => {
    database = await createPostgresDatabase();
  });
  afterEach(async () => {
    for (const dispose of disposables.splice(0).reverse()) await dispose();
    await database?.drop();
  });

  it('signs each POST so the receiver can check it came from us over this very body', async () => {
    const target = await receiver();
    const setup = await webhookCampaign(database, target.url, ['ann']);
    const attemptId = await setup.recordAttempt(0);
    deliverer();
    await eventually(() => target.received.length === 1, 'one delivery');

    const [request] = target.received;
    const header = String(request?.headers[SIGNATURE_HEADER.toLowerCase()]);
    const body = request?.body ?? '';
    const nowSec = Math.floor(Date.now() / 1000);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(verifySignature(SECRET, header, body, { nowSec })).toBe(true);
    expect(verifySignature(SECRET, header, body.replace('ANSWERED', 'BUSY'), { nowSec })).toBe(false);
    expect(verifySignature('another-secret-entirely', header, body, { nowSec })).toBe(false);
    expect(verifySignature(SECRET, header, body, { nowSec: nowSec + 3600 })).toBe(false);
    // As a receiver in another language checks it, without our helper: HMAC-SHA256 of "t.body", the timestamp signed too.
    const [, sentAt, sentDigest] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header) ?? [];
    expect(sentDigest).toBe(createHmac('sha256', SECRET).update(`${sentAt}.${body}`).digest('hex'));
    const replayedAt = Number(sentAt) + 60;
    expect(verifySignature(SECRET, `t=${replayedAt},v1=${sentDigest}`, body, { nowSec: replayedAt })).toBe(false);
    const delivery = await database.prisma.webhookDelivery.findFirstOrThrow();
    expect(request?.headers['idempotency-key']).toBe(delivery.id);
    expect(JSON.parse(body)).toMatchObject({ dialingId: attemptId, state: 'ANSWERED' });
    await eventually(async () => (await pending()) === 0, 'the delivery marked');
    expect(await database.prisma.webhookDelivery.findFirstOrThrow()).toMatchObject({ status: 'DELIVERED', tries: 1, lastStatusCode: 200, lastError: null, deliveredAt: expect.any(Date) });
  });

  it('retries a receiver that answers 500 with backoff until it recovers: each notification accepted once, in order per member', async () => {
    const target = await receiver();
    let failuresLeft = 6;
    target.answer = () => (failuresLeft-- > 0 ? 500 : 200);
    const setup = await webhookCampaign(database, target.url, ['ann', 'bob']);
    const attempts = { ann: [] as string[], bob: [] as string[] };
    for (let round = 0; round < 3; round++) {
      attempts.ann.push(await setup.recordAttempt(0));
      attempts.bob.push(await setup.recordAttempt(1));
    }
    // Each failure waits less than the one before: without the per-member order, later notifications would overtake.
    let jitter = 1;
    const posted = { delivered: webhookPosts.value({ result: 'delivered' }), failed: webhookPosts.value({ result: 'failed' }) };
    deliverer({ concurrency: 1, backoff: { initialMs: 500, maxMs: 500 }, random: () => (jitter *= 0.6) / 0.6 });
    await eventually(async () => (await pending()) === 0, 'every delivery done');

    const got = accepted(target);
    expect(got).toHaveLength(6);
    expect(new Set(got.map((g) => g.key)).size).toBe(6);
    expect(got.filter((g) => g.payload.externalKey === 'key-ann').map((g) => g.payload.dialingId)).toEqual(attempts.ann);
    expect(got.filter((g) => g.payload.externalKey === 'key-bob').map((g) => g.payload.dialingId)).toEqual(attempts.bob);
    expect(target.received.filter((r) => r.status === 500)).toHaveLength(6);
    const deliveries = await database.prisma.webhookDelivery.findMany();
    expect(deliveries.reduce((sum, d) => sum + d.tries, 0)).toBe(12);
    expect(deliveries.every((d) => d.status === 'DELIVERED' && d.lastStatusCode === 200 && d.lastError === null)).toBe(true);
    // /metrics counts them too.
    expect(webhookPosts.value({ result: 'delivered' }) - posted.delivered).toBe(6);
    expect(webhookPosts.value({ result: 'failed' }) - posted.failed).toBe(6);
  });

  it('never connects to a receiver on a non-public address unless configuration allows it, and says so generically', async () => {
    const target = await receiver();
    const setup = await webhookCampaign(database, target.url, ['ann']);
    const attempt = await setup.recordAttempt(0);
    deliverer({ targets: PUBLIC_ONLY });
    await eventually(async () => ((await database.prisma.webhookDelivery.findFirst({ where: { attemptId: attempt } }))?.tries ?? 0) >= 1, 'a refused try');
    expect(await database.prisma.webhookDelivery.findFirstOrThrow({ where: { attemptId: attempt } })).toMatchObject({ status: 'PENDING', lastStatusCode: null, lastError: expect.stringContaining('not allowed') });
    expect(target.received).toHaveLength(0);
  });

  it('records a refused connection with its error and next try, and delivers once the receiver is up', async () => {
    const port = await freePort();
    const setup = await webhookCampaign(database, `http://127.0.0.1:${port}/hook`, ['ann']);
    const first = await setup.recordAttempt(0);
    const second = await setup.recordAttempt(0);
    const started = Date.now();
    deliverer();
    await eventually(async () => ((await database.prisma.webhookDelivery.findFirst({ where: { attemptId: first } }))?.tries ?? 0) >= 2, 'two failed tries');
    const failed = await database.prisma.webhookDelivery.findFirstOrThrow({ where: { attemptId: first } });
    expect(failed).toMatchObject({ status: 'PENDING', lastStatusCode: null, deliveredAt: null });
    // Generic on purpose: a stored error must not work as a port scanner.
    expect(failed.lastError).toBe('could not reach the receiver');
    expect(failed.nextTryAt.getTime()).toBeGreaterThanOrEqual(started);
    // The member's later notification waits behind the one that fails.
    expect(await database.prisma.webhookDelivery.findFirstOrThrow({ where: { attemptId: second } })).toMatchObject({ tries: 0, status: 'PENDING' });

    const target = await receiver(port);
    await eventually(async () => (await pending()) === 0, 'both delivered');
    expect(accepted(target).map((g) => g.payload.dialingId)).toEqual([first, second]);
  });

  it('loses nothing across a restart, nor what a deliverer claimed and died before sending', async () => {
    const target = await receiver();
    target.answer = () => 503;
    const setup = await webhookCampaign(database, target.url, ['ann', 'bob', 'cid']);
    for (let i = 0; i < 3; i++) await setup.recordAttempt(i);
    const first = deliverer();
    await eventually(() => target.received.length >= 3, 'failed tries');
    await first.stop();
    // A deliverer that claimed and crashed: its claim runs out, then the row is sent by whoever looks next. It
    // looks once the failed tries' backoff is surely over (claiming at once may find none due yet).
    const [orphan] = await claimDue(database.driver, { now: new Date(Date.now() + FAST.backoff.maxMs), howMany: 1, leaseMs: 300 });
    expect(orphan).toBeDefined();

    target.answer = () => 200;
    deliverer();
    await eventually(async () => (await pending()) === 0, 'every delivery after the restart');
    const keys = accepted(target).map((g) => g.key);
    expect(keys.sort()).toEqual((await database.prisma.webhookDelivery.findMany({ select: { id: true } })).map((d) => d.id).sort());
    expect(keys).toContain(orphan?.id);
  });

  it('holds a disabled webhook\'s pending deliveries and sends them once it is enabled again', async () => {
    const target = await receiver();
    const setup = await webhookCampaign(database, target.url, ['ann']);
    await setup.recordAttempt(0);
    await database.prisma.webhook.update({ where: { id: setup.webhook.id }, data: { enabled: false } });
    // Three looks at the outbox, and nothing sent.
    await deliverer().rounds(3);
    expect(target.received).toHaveLength(0);
    await database.prisma.webhook.update({ where: { id: setup.webhook.id }, data: { enabled: true } });
    await eventually(async () => (await pending()) === 0, 'the delivery after enabling');
    expect(target.received).toHaveLength(1);
  });

  it('never lets two deliverers send one delivery at the same time, nor one member\'s out of order', async () => {
    const target = await receiver();
    let overlap = false;
    target.answer = async ({ key }) => {
      if ((target.inFlight.get(key) ?? 0) > 1) overlap = true;
      await new Promise((resolve) => setTimeout(resolve, 15));
      return 200;
    };
    const names = Array.from({ length: 10 }, (_, i) => `m${i}`);
    const setup = await webhookCampaign(database, target.url, names);
    const byMember = new Map<string, string[]>();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < names.length; i++) {
        const id = await setup.recordAttempt(i);
        byMember.set(`key-m${i}`, [...(byMember.get(`key-m${i}`) ?? []), id]);
      }
    }
    deliverer({ concurrency: 3 });
    deliverer({ concurrency: 3 });
    await eventually(async () => (await pending()) === 0, 'all 30 delivered', 20_000);

    expect(overlap).toBe(false);
    expect(target.received).toHaveLength(30);
    expect(new Set(target.received.map((r) => r.headers['idempotency-key'])).size).toBe(30);
    for (const [key, ids] of byMember) expect(accepted(target).filter((g) => g.payload.externalKey === key).map((g) => g.payload.dialingId)).toEqual(ids);
  });
});
