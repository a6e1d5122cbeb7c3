import { createClient } from 'graphql-ws';
import { Redis } from 'ioredis';
import { describe, expect, it, onTestFinished } from 'vitest';
import WebSocket from 'ws';
import { postgresAvailable } from '../support/fixture.js';
import { ADMIN_TOKEN, answeredCalls, expectAlive, expectTruth, healthOf, runningCampaign, settled, useFaultRig } from './harness.js';

/** Redis SIGKILLed under split processes with calls up, and started again empty (no persistence). */
describe.skipIf(!postgresAvailable)('Redis killed and back empty', () => {
  const rig = useFaultRig({ speed: 2, postgres: 'database', redis: true });

  it('has the worker write every PBX state again, keeps subscriptions going, ends no process and records every call once', async () => {
    const { database, witness, redis } = rig;
    const environment = { DATABASE_URL: rig.databaseUrl, REDIS_URL: redis.url, AMI_URL: rig.simulator.url, ADMIN_TOKEN };
    const api = await rig.start({ ...environment, ROLE: 'api' });
    await rig.start({ ...environment, ROLE: 'worker' });
    await rig.start({ ...environment, ROLE: 'dialer' });
    const store = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    store.on('error', () => undefined);
    onTestFinished(() => store.disconnect());
    const queueMembers = async () => {
      const [server] = await store.smembers('live:servers');
      return server === undefined ? 0 : store.hlen(`live:queueMember:${server}`);
    };
    await expect.poll(queueMembers, { timeout: 15_000 }).toBeGreaterThan(0);

    const created: string[] = [];
    const client = createClient({ url: api.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { token: ADMIN_TOKEN }, retryAttempts: 0 });
    onTestFinished(() => client.dispose());
    client.subscribe<{ channelEvents: { kind: string; channel: { uniqueid: string } } }>(
      { query: 'subscription { channelEvents { kind channel { uniqueid } } }' },
      { next: (result) => result.data?.channelEvents.kind === 'CREATED' && created.push(result.data.channelEvents.channel.uniqueid), error: () => undefined, complete: () => undefined },
    );
    const campaign = await runningCampaign(database.prisma, ['6001', '6002', '1001']);
    await answeredCalls(witness, 3);
    await expect.poll(() => created.length, { timeout: 10_000 }).toBeGreaterThan(0);

    await redis.kill();
    expect(await healthOf(api, 'redis')).toBe(false);
    await redis.start();
    const back = Date.now();

    // Queues and their members are in live state again within 30 s of Redis's return, asked of the PBX anew.
    await expect.poll(queueMembers, { timeout: 30_000, interval: 250 }).toBeGreaterThan(0);
    expect(Date.now() - back).toBeLessThan(30_000);
    // The subscription goes on: a member added now is dialed, and its channel reaches the open socket.
    const seen = created.length;
    await database.prisma.member.create({ data: { dialListId: campaign.dialListId, name: '1009', numbers: { create: [{ slot: 1, dialListId: campaign.dialListId, number: '1009' }] } } });
    await expect.poll(() => created.length, { timeout: 20_000 }).toBeGreaterThan(seen);

    await settled(database.prisma, witness, 90_000);
    await expectTruth(database.prisma, witness, { causesSeen: true });
    expectAlive(rig.processes);
  }, 150_000);
});
