import { createClient, type Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startSimulator, type Simulator } from '../../src/ami/simulator/index.js';
import { createPostgresDatabase, type TestDatabase } from '../support/database.js';
import { postgresAvailable } from '../support/fixture.js';
import { startServerProcess, type ServerProcess } from '../support/process.js';
import { REDIS_URL, serviceAvailable } from '../support/services.js';

const redisAvailable = await serviceAvailable('Redis', REDIS_URL);
const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef';

type ChannelEvent = { kind: string; server: string; channel: { name: string; uniqueid: string } };

/**
 * The whole live path with real parts, as production runs it: simulated PBX -> a ROLE=worker process ->
 * Redis -> two ROLE=api processes -> a graphql-ws client on each.
 */
describe.skipIf(!postgresAvailable || !redisAvailable)('live state end to end', () => {
  const credentials = { username: 'switchboard', secret: 'e2e-secret' };
  let simulator: Simulator;
  let server: string;
  let database: TestDatabase;
  const processes: ServerProcess[] = [];
  const apis: ServerProcess[] = [];

  beforeAll(async () => {
    simulator = await startSimulator(credentials);
    server = `${simulator.host}:${simulator.port}`;
    database = await createPostgresDatabase();
    const shared = { DATABASE_URL: database.url as string, REDIS_URL, ADMIN_TOKEN };
    const amiUrl = `ami://${credentials.username}:${credentials.secret}@${server}`;
    processes.push(await startServerProcess({ ...shared, ROLE: 'worker', AMI_URL: amiUrl }));
    for (let index = 0; index < 2; index++) {
      const api = await startServerProcess({ ...shared, ROLE: 'api' });
      processes.push(api);
      apis.push(api);
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(processes.map((process) => process.stop()));
    await simulator?.close();
    await database?.drop();
  });

  async function channels(api: ServerProcess): Promise<string[]> {
    const response = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ query: 'query($server: String) { channels(server: $server) { name } }', variables: { server } }),
    });
    const { data, errors } = (await response.json()) as { data?: { channels: { name: string }[] } | null; errors?: unknown[] };
    // An error is not "no channels": the nothing-stale check would pass with nothing checked.
    if (!data || errors) throw new Error(`channels failed on ${api.url}: ${JSON.stringify(errors)}`);
    return data.channels.map((channel) => channel.name).sort();
  }

  it('shows a call on every API process and its clients, and drops it after the PBX restarts mid-call', async () => {
    const redis = new Redis(REDIS_URL);
    const baseline = (await redis.pubsub('NUMSUB', 'live.channel'))[1] as number;
    const received: ChannelEvent[][] = [[], []];
    const clients: Client[] = apis.map((api, index) => {
      const client = createClient({ url: api.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { token: ADMIN_TOKEN }, retryAttempts: 0 });
      client.subscribe<{ channelEvents: ChannelEvent }>(
        { query: 'subscription($server: String) { channelEvents(filter: { server: $server }) { kind server channel { name uniqueid } } }', variables: { server } },
        { next: (result) => result.data && received[index]?.push(result.data.channelEvents), error: () => undefined, complete: () => undefined },
      );
      return client;
    });
    try {
      // Both API processes are listening on Redis once the channel has two more subscribers.
      await expect.poll(async () => (await redis.pubsub('NUMSUB', 'live.channel'))[1], { timeout: 10_000 }).toBeGreaterThanOrEqual(baseline + 2);

      // Placed through the second API process, which relays it to the worker's AMI connection.
      const response = await fetch((apis[1] as ServerProcess).url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
        body: JSON.stringify({
          query: `mutation($server: String!) { originateCall(input: { server: $server, endpoint: "Local/6001@customers", context: "dest", exten: "park" }) { __typename } }`,
          variables: { server },
        }),
      });
      expect(await response.json()).toEqual({ data: { originateCall: { __typename: 'OriginateCallSuccess' } } });

      for (const events of received) {
        await expect.poll(() => events.some((e) => e.kind === 'CREATED' && e.channel.name.startsWith('Local/6001@customers')), { timeout: 10_000 }).toBe(true);
      }
      await expect.poll(() => channels(apis[0] as ServerProcess), { timeout: 10_000 }).toHaveLength(2);
      expect(await channels(apis[1] as ServerProcess)).toEqual(await channels(apis[0] as ServerProcess));

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
