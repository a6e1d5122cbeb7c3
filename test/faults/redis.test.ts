import { createClient } from 'graphql-ws';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startSimulator, type Simulator } from '../../src/ami/simulator/index.js';
import { createPostgresDatabase, type TestDatabase } from '../support/database.js';
import { postgresAvailable } from '../support/fixture.js';
import { watchPbx, type PbxWitness } from '../support/pbxWitness.js';
import { startPrivateRedis, type PrivateRedis } from '../support/privateRedis.js';
import { startServerProcess, type ServerProcess } from '../support/process.js';
import { answeredCalls, expectAlive, expectTruth, PBX_CREDENTIALS, runningCampaign, settled } from './harness.js';

const ADMIN_TOKEN = 'faults-admin-token-0123456789abcdef';

type Health = { checks: { name: string; ok: boolean }[] };

/** Redis SIGKILLed under split processes with calls up, and started again empty (no persistence). */
describe.skipIf(!postgresAvailable)('Redis killed and back empty', () => {
  let simulator: Simulator;
  let witness: PbxWitness;
  let database: TestDatabase;
  let redis: PrivateRedis;
  const processes: ServerProcess[] = [];
  const closers: (() => Promise<unknown>)[] = [];

  beforeEach(async () => {
    simulator = await startSimulator({ ...PBX_CREDENTIALS, speed: 2 });
    witness = await watchPbx({ host: simulator.host, port: simulator.port, ...PBX_CREDENTIALS });
    database = await createPostgresDatabase();
    redis = await startPrivateRedis();
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    for (const process of processes.splice(0)) await process.stop();
    await witness.close();
    await simulator.close();
    await database.drop();
    await redis.destroy();
  });

  it('has the worker write every PBX state again, keeps subscriptions going, ends no process and records every call once', async () => {
    const environment = { DATABASE_URL: database.url as string, REDIS_URL: redis.url, AMI_URL: simulator.url, ADMIN_TOKEN };
    for (const role of ['api', 'worker', 'dialer']) processes.push(await startServerProcess({ ...environment, ROLE: role }));
    const api = processes[0] as ServerProcess;
    const store = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    store.on('error', () => undefined);
    closers.push(async () => store.disconnect());
    const queueMembers = async () => {
      const [server] = await store.smembers('live:servers');
      return server === undefined ? 0 : store.hlen(`live:queueMember:${server}`);
    };
    await expect.poll(queueMembers, { timeout: 15_000 }).toBeGreaterThan(0);

    const created: string[] = [];
    const client = createClient({ url: api.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { token: ADMIN_TOKEN }, retryAttempts: 0 });
    closers.push(async () => client.dispose());
    client.subscribe<{ channelEvents: { kind: string; channel: { uniqueid: string } } }>(
      { query: 'subscription { channelEvents { kind channel { uniqueid } } }' },
      { next: (result) => result.data?.channelEvents.kind === 'CREATED' && created.push(result.data.channelEvents.channel.uniqueid), error: () => undefined, complete: () => undefined },
    );
    const campaign = await runningCampaign(database.prisma, ['6001', '6002', '1001']);
    await answeredCalls(witness, 3);
    await expect.poll(() => created.length, { timeout: 10_000 }).toBeGreaterThan(0);

    await redis.kill();
    const started = Date.now();
    const health = (await (await fetch(api.url.replace('/graphql', '/health'))).json()) as Health;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(health.checks.find((check) => check.name === 'redis')?.ok).toBe(false);
    await redis.start();
    const back = Date.now();

    // Queues and their members are in live state again within 30 s of Redis's return, asked of the PBX anew.
    await expect.poll(queueMembers, { timeout: 30_000, interval: 250 }).toBeGreaterThan(0);
    expect(Date.now() - back).toBeLessThan(30_000);
    // The subscription goes on: a member added now is dialed, and its channel reaches the open socket.
    const seen = created.length;
    const dialList = await database.prisma.dialList.findUniqueOrThrow({ where: { id: campaign.dialListId } });
    await database.prisma.member.create({ data: { dialListId: dialList.id, name: '1009', numbers: { create: [{ slot: 1, dialListId: dialList.id, number: '1009' }] } } });
    await expect.poll(() => created.length, { timeout: 20_000 }).toBeGreaterThan(seen);

    await settled(database.prisma, witness, 90_000);
    await expectTruth(database.prisma, witness, { causesSeen: true });
    expectAlive(processes);
  }, 150_000);
});
