import { randomBytes } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AsteriskManagerConnection } from '../../src/ami/asteriskManager.js';
import { startSimulator, type Simulator } from '../../src/ami/simulator/index.js';
import { createBus } from '../../src/bus/bus.js';
import { RedisLiveStore } from '../../src/live/storeRedis.js';
import { startWorker, type Worker } from '../../src/live/worker.js';
import { createLogger } from '../../src/logger.js';
import { createPostgresDatabase, type TestDatabase } from '../support/database.js';
import { postgresAvailable } from '../support/fixture.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { REDIS_URL, serviceAvailable } from '../support/services.js';

const redisAvailable = await serviceAvailable('Redis', REDIS_URL);

type ChannelEvent = { kind: string; server: string; channel: { name: string; uniqueid: string } };

/**
 * The whole live path with real parts: simulated PBX -> ingest worker -> Redis -> two API servers, each with
 * its own Redis clients as separate processes would have -> a graphql-ws client on each.
 */
describe.skipIf(!postgresAvailable || !redisAvailable)('live state end to end', () => {
  const log = createLogger('silent');
  const server = `pbx-e2e-${randomBytes(4).toString('hex')}`;
  const prefix = `e2e-${randomBytes(4).toString('hex')}`;
  const credentials = { username: 'switchboard', secret: 'e2e-secret' };
  let simulator: Simulator;
  let worker: Worker;
  let database: TestDatabase;
  const apis: TestServer[] = [];
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    simulator = await startSimulator(credentials);
    const store = new RedisLiveStore({ redisUrl: REDIS_URL, prefix });
    const bus = createBus({ redisUrl: REDIS_URL });
    closers.push(() => store.close(), () => bus.close());
    worker = await startWorker({ servers: [{ name: server, host: simulator.host, port: simulator.port, ...credentials }], store, bus, log });
    database = await createPostgresDatabase();
    for (let index = 0; index < 2; index++) {
      const apiStore = new RedisLiveStore({ redisUrl: REDIS_URL, prefix });
      const apiBus = createBus({ redisUrl: REDIS_URL });
      closers.push(() => apiStore.close(), () => apiBus.close());
      apis.push(await startTestServer(database, { store: apiStore, bus: apiBus }));
    }
  }, 60_000);

  afterAll(async () => {
    for (const api of apis) await api.close();
    await worker?.stop();
    await simulator?.close();
    for (const close of closers) await close();
    await database?.drop();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  async function channels(api: TestServer): Promise<string[]> {
    const { data } = await api.graphql<{ channels: { name: string }[] }>(
      'query($server: String) { channels(server: $server) { name } }',
      { server },
      api.tokens.VIEWER,
    );
    return (data?.channels ?? []).map((channel) => channel.name).sort();
  }

  it('shows a call on every API process and its clients, and drops it after the PBX restarts mid-call', async () => {
    const redis = new Redis(REDIS_URL);
    const baseline = (await redis.pubsub('NUMSUB', 'live.channel'))[1] as number;
    const received: ChannelEvent[][] = [[], []];
    const clients: Client[] = apis.map((api, index) => {
      const client = createClient({ url: api.wsUrl, webSocketImpl: WebSocket, connectionParams: { token: api.tokens.VIEWER }, retryAttempts: 0 });
      client.subscribe<{ channelEvents: ChannelEvent }>(
        { query: 'subscription($server: String) { channelEvents(filter: { server: $server }) { kind server channel { name uniqueid } } }', variables: { server } },
        { next: (result) => result.data && received[index]?.push(result.data.channelEvents), error: () => undefined, complete: () => undefined },
      );
      return client;
    });
    try {
      // Both API processes are listening on Redis once the channel has two more subscribers.
      await expect.poll(async () => (await redis.pubsub('NUMSUB', 'live.channel'))[1], { timeout: 10_000 }).toBeGreaterThanOrEqual(baseline + 2);

      const dialer = new AsteriskManagerConnection({ name: 'e2e dialer', host: simulator.host, port: simulator.port, ...credentials }, { log });
      await dialer.start();
      await dialer.action({ action: 'Originate', channel: 'Local/6001@customers', context: 'dest', exten: 'park', priority: '1', async: 'true' });
      await dialer.close();

      for (const events of received) {
        await expect.poll(() => events.some((e) => e.kind === 'CREATED' && e.channel.name.startsWith('Local/6001@customers')), { timeout: 10_000 }).toBe(true);
      }
      await expect.poll(() => channels(apis[0] as TestServer), { timeout: 10_000 }).toHaveLength(2);
      expect(await channels(apis[1] as TestServer)).toEqual(await channels(apis[0] as TestServer));

      // The PBX goes away mid-call and comes back empty on the same port: nothing stale may survive.
      const port = simulator.port;
      await simulator.close();
      simulator = await startSimulator({ ...credentials, port });
      for (const api of apis) await expect.poll(() => channels(api), { timeout: 20_000 }).toEqual([]);
      for (const events of received) {
        await expect.poll(() => events.filter((e) => e.kind === 'REMOVED').length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
      }
    } finally {
      await Promise.all(clients.map((client) => client.dispose()));
      await redis.quit();
    }
  }, 60_000);
});
