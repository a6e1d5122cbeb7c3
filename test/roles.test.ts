import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSimulator, type Simulator } from '../src/ami/simulator/index.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { start, type Running } from '../src/main.js';
import { createPostgresDatabase, type TestDatabase } from './support/database.js';
import { postgresAvailable } from './support/fixture.js';
import { REDIS_URL, serviceAvailable } from './support/services.js';

const redisAvailable = await serviceAvailable('Redis', REDIS_URL);
const ADMIN_TOKEN = 'roles-test-admin-token-0123456789';

type Health = { ok: boolean; checks: { name: string; ok: boolean }[] };

/**
 * The production split: a worker process that holds the AMI connection and an API process that holds
 * none, sharing PostgreSQL and Redis. The API shows the worker's live state and acts on the PBX through it.
 */
describe.skipIf(!postgresAvailable || !redisAvailable)('ROLE=worker and ROLE=api', () => {
  const credentials = { username: 'switchboard', secret: 'roles-secret' };
  let simulator: Simulator;
  let database: TestDatabase;
  let worker: Running;
  let api: Running;
  let server: string;

  beforeAll(async () => {
    simulator = await startSimulator(credentials);
    server = `${simulator.host}:${simulator.port}`;
    database = await createPostgresDatabase();
    const environment = {
      DATABASE_URL: database.url,
      REDIS_URL,
      ADMIN_TOKEN,
      PORT: '0',
      HOST: '127.0.0.1',
      AMI_URL: `ami://${credentials.username}:${credentials.secret}@${simulator.host}:${simulator.port}`,
    };
    worker = await start(loadConfig({ ...environment, ROLE: 'worker' }), createLogger('silent'));
    api = await start(loadConfig({ ...environment, ROLE: 'api', AMI_URL: '' }), createLogger('silent'));
  }, 60_000);

  afterAll(async () => {
    await api?.stop();
    await worker?.stop();
    await simulator?.close();
    await database?.drop();
  });

  async function graphql<T>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ query, variables }),
    });
    return ((await response.json()) as { data: T }).data;
  }
  const health = (running: Running) => fetch(running.url.replace('/graphql', '/health')).then((r) => r.json() as Promise<Health>);

  it('serves only /health from the worker, and reports its AMI connection there', async () => {
    expect((await fetch(worker.url, { method: 'POST', body: '{}' })).status).toBe(404);
    await vi.waitFor(async () => expect((await health(worker)).checks.find((c) => c.name === `ami:${server}`)?.ok).toBe(true), { timeout: 10_000 });
  });

  it("shows the worker's calls on the API and hangs one up through the worker's connection", async () => {
    const originated = await graphql<{ originateCall: { __typename: string; data: { uniqueid: string } } }>(
      api.url,
      `mutation($server: String!) { originateCall(input: { server: $server, endpoint: "Local/3001@customers", context: "dest", exten: "echo" }) {
        __typename ... on OriginateCallSuccess { data { uniqueid } } } }`,
      { server },
    );
    expect(originated.originateCall.__typename).toBe('OriginateCallSuccess');
    const channel = async () =>
      (await graphql<{ channels: { uniqueid: string; name: string }[] }>(api.url, 'query($server: String) { channels(server: $server) { uniqueid name } }', { server })).channels;
    await vi.waitFor(async () => expect((await channel()).map((c) => c.uniqueid)).toContain(originated.originateCall.data.uniqueid), { timeout: 10_000 });
    const name = (await channel()).find((c) => c.uniqueid === originated.originateCall.data.uniqueid)?.name;

    const hungUp = await graphql<{ hangupChannel: { __typename: string } }>(
      api.url,
      'mutation($server: String!, $channel: String!) { hangupChannel(input: { server: $server, channel: $channel }) { __typename } }',
      { server, channel: name },
    );
    expect(hungUp.hangupChannel.__typename).toBe('HangupChannelSuccess');
    await vi.waitFor(async () => expect(await channel()).toEqual([]), { timeout: 10_000 });
  });

  it('checks the PBX from the API through the worker', async () => {
    const check = (await health(api)).checks.find((c) => c.name === `ami:${server}`);
    expect(check?.ok).toBe(true);
  });
});
