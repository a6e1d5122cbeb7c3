import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createApiToken } from '../../src/auth/apiTokens.js';
import type { Role } from '../../src/auth/roles.js';
import { createUser } from '../../src/auth/users.js';
import { createBus } from '../../src/bus/bus.js';
import { createPostgresDatabase, type TestDatabase } from '../support/database.js';
import { postgresAvailable, success } from '../support/fixture.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { REDIS_URL, serviceAvailable } from '../support/services.js';

const redisAvailable = await serviceAvailable('Redis', REDIS_URL);

type Closed = { code: number; reason: string };

/** A socket as a wallboard holds it: one subscription open, and a way to run more operations on it. */
type OpenSocket = {
  client: Client;
  closed: Promise<Closed>;
  /** How the open subscription ended: its error, or 'complete'. */
  subscriptionEnd: Promise<unknown>;
  /** Resolves once the socket is acknowledged and the subscription started (its first `me` answered). */
  ready: Promise<void>;
};

const PASSWORD = 'a long enough password';
/** A re-check interval no test outlives. */
const NEVER = 3_600_000;

describe.skipIf(!postgresAvailable)('revocation reaches open sockets and streams', () => {
  let database: TestDatabase;
  let server: TestServer;
  const clients: Client[] = [];

  beforeAll(async () => {
    if (!postgresAvailable) return;
    database = await createPostgresDatabase();
    // Rechecked only when told (the in-process bus): the periodic re-check has a server of its own below.
    server = await startTestServer(database, { credentialRecheckMs: NEVER });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
  });
  afterAll(async () => {
    if (!server) return;
    await server.close();
    await database.drop();
  });

  /** Opens a socket on `on` with secret and subscribes to agent events on it. */
  function openSocket(secret: string, on: TestServer = server): OpenSocket {
    let resolveClosed: (closed: Closed) => void = () => {};
    const closed = new Promise<Closed>((resolve) => (resolveClosed = resolve));
    const client = createClient({
      url: on.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${secret}` },
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => undefined,
      on: { closed: (event) => resolveClosed(event as Closed) },
    });
    clients.push(client);
    const subscriptionEnd = new Promise<unknown>((resolve) => {
      client.subscribe({ query: 'subscription { agentEvents { kind } }' }, { next: () => undefined, error: resolve, complete: () => resolve('complete') });
    });
    const ready = (async () => {
      const answer = await client.iterate({ query: '{ me { name } }' }).next();
      expect(answer.value?.errors).toBeUndefined();
    })();
    return { client, closed, subscriptionEnd, ready };
  }

  /** What one more query on the socket gets: its data, or why it could not run. */
  async function readThrough(socket: OpenSocket): Promise<unknown> {
    try {
      const answer = await socket.client.iterate({ query: '{ me { name } }' }).next();
      return answer.value?.data ?? answer.value?.errors ?? 'no answer';
    } catch (error) {
      return error;
    }
  }

  async function apiToken(role: Role, name: string) {
    return createApiToken(database.prisma, { name, role });
  }

  async function loggedIn(username: string, role: Role): Promise<{ userId: string; token: string }> {
    const user = await createUser(database.prisma, { username, password: PASSWORD, role });
    const answer = await server.graphql<{ login: unknown }>(
      'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { __typename ... on LoginSuccess { data { token } } } }',
      { u: username, p: PASSWORD },
      null,
    );
    return { userId: user.id, token: success<{ token: string }>(answer.data, 'login').token };
  }

  it('closes a VIEWER token\'s socket with 4403 when an ADMIN revokes it over HTTP, ending its subscription; nothing reads through it afterwards', async () => {
    const { token, secret } = await apiToken('VIEWER', 'wallboard');
    const socket = openSocket(secret);
    await socket.ready;
    const revoked = await server.graphql('mutation($id: ID!) { revokeApiToken(id: $id) { __typename } }', { id: encodeGlobalID('ApiToken', token.id) });
    expect(revoked.errors).toBeUndefined();
    expect(await socket.closed).toEqual(expect.objectContaining({ code: 4403, reason: 'API token wallboard was revoked' }));
    expect(await socket.subscriptionEnd).toEqual(expect.objectContaining({ code: 4403 }));
    expect(await readThrough(socket)).not.toEqual({ me: { name: 'wallboard' } });
  });

  it('closes the socket of a session that logs out, and of every session of a user who is disabled', async () => {
    const alice = await loggedIn('alice', 'SUPERVISOR');
    const own = openSocket(alice.token);
    await own.ready;
    const loggedOut = await server.graphql('mutation { logout { __typename } }', {}, alice.token);
    expect(loggedOut.errors).toBeUndefined();
    expect(await own.closed).toEqual(expect.objectContaining({ code: 4403, reason: expect.stringContaining('This session has ended') }));

    const bob = await loggedIn('bob', 'VIEWER');
    const sockets = [openSocket(bob.token), openSocket(bob.token)];
    await Promise.all(sockets.map((socket) => socket.ready));
    const disabled = await server.graphql('mutation($id: ID!) { updateUser(id: $id, input: { disabled: true }) { __typename } }', { id: encodeGlobalID('User', bob.userId) });
    expect(disabled.errors).toBeUndefined();
    for (const socket of sockets) expect((await socket.closed).code).toBe(4403);
  });

  it('closes a socket whose user got another role with 4000, so the client connects again as the new role', async () => {
    const carol = await loggedIn('carol', 'SUPERVISOR');
    const socket = openSocket(carol.token);
    await socket.ready;
    await server.graphql('mutation($id: ID!) { updateUser(id: $id, input: { role: VIEWER }) { __typename } }', { id: encodeGlobalID('User', carol.userId) });
    expect(await socket.closed).toEqual(expect.objectContaining({ code: 4000, reason: 'Your role is now VIEWER: connect again' }));
    const again = openSocket(carol.token);
    await again.ready;
    const role = await again.client.iterate<{ me: { role: string } }>({ query: '{ me { role } }' }).next();
    expect(role.value?.data).toEqual({ me: { role: 'VIEWER' } });
  });

  it('checks the credential on every operation: a token revoked behind the API\'s back runs nothing more on its socket', async () => {
    const { token, secret } = await apiToken('ADMIN', 'automation');
    const socket = openSocket(secret);
    await socket.ready;
    // Straight in the database: no process is told, so only the check of each operation can see it.
    await database.prisma.apiToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
    const minted = await readThrough(socket).then(() =>
      socket.client.iterate({ query: 'mutation { createApiToken(name: "x", role: ADMIN) { __typename } }' }).next().catch((error: unknown) => error),
    );
    expect(JSON.stringify(minted)).not.toContain('Success');
    expect(await socket.closed).toEqual(expect.objectContaining({ code: 4403, reason: 'API token automation was revoked' }));
    expect(await database.prisma.apiToken.count({ where: { name: 'x' } })).toBe(0);
  });

  it('closes a socket within seconds when its credential expires or is revoked without a word, by the periodic re-check', async () => {
    const rechecking = await startTestServer(database, { credentialRecheckMs: 200 });
    try {
      await expiresOrRevokedSilently(rechecking);
    } finally {
      await rechecking.close();
    }
  });

  async function expiresOrRevokedSilently(on: TestServer): Promise<void> {
    const expiring = await createApiToken(database.prisma, { name: 'short-lived', role: 'VIEWER', expiresAt: new Date(Date.now() + 4_000) });
    const silent = await apiToken('VIEWER', 'silently revoked');
    const sockets = [openSocket(expiring.secret, on), openSocket(silent.secret, on)];
    await Promise.all(sockets.map((socket) => socket.ready));
    await database.prisma.apiToken.update({ where: { id: silent.token.id }, data: { revokedAt: new Date() } });
    const [expired, revoked] = await Promise.all(sockets.map((socket) => socket.closed));
    expect(expired).toEqual(expect.objectContaining({ code: 4403, reason: 'API token short-lived has expired' }));
    expect(revoked).toEqual(expect.objectContaining({ code: 4403, reason: 'API token silently revoked was revoked' }));
    expect(on.credentials.size).toBe(0);
  }

  it('ends an SSE subscription with an UNAUTHENTICATED error when its token is revoked', async () => {
    const { token, secret } = await apiToken('VIEWER', 'sse wallboard');
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${secret}` },
      body: JSON.stringify({ query: 'subscription { agentEvents { kind } }' }),
    });
    expect(response.status).toBe(200);
    const watched = server.credentials.size;
    expect(watched).toBeGreaterThan(0);
    await server.graphql('mutation($id: ID!) { revokeApiToken(id: $id) { __typename } }', { id: encodeGlobalID('ApiToken', token.id) });
    const text = await response.text();
    expect(text).toContain('API token sse wallboard was revoked');
    expect(text).toContain('UNAUTHENTICATED');
    expect(text).toContain('event: complete');
  });
});

describe.skipIf(!postgresAvailable || !redisAvailable)('revocation over the Redis bus, across API processes', () => {
  it('closes the socket another API process holds when a token is revoked on this one', async () => {
    const database = await createPostgresDatabase();
    const buses = [createBus({ redisUrl: REDIS_URL }), createBus({ redisUrl: REDIS_URL })] as const;
    // Only the bus can tell the other process in time: its periodic re-check would take an hour.
    const [one, other] = await Promise.all([startTestServer(database, { bus: buses[0], credentialRecheckMs: NEVER }), startTestServer(database, { bus: buses[1], credentialRecheckMs: NEVER })]);
    const client: { current?: Client } = {};
    try {
      const { token, secret } = await createApiToken(database.prisma, { name: 'elsewhere', role: 'VIEWER' });
      const closed = new Promise<Closed>((resolve) => {
        client.current = createClient({
          url: other.wsUrl,
          webSocketImpl: WebSocket,
          connectionParams: { token: secret },
          retryAttempts: 0,
          lazy: false,
          onNonLazyError: () => undefined,
          on: { closed: (event) => resolve(event as Closed) },
        });
      });
      await client.current?.iterate({ query: '{ me { name } }' }).next();
      // The other process hears the topic once its subscription to it is active on Redis.
      await buses[1].subscribed();
      await one.graphql('mutation($id: ID!) { revokeApiToken(id: $id) { __typename } }', { id: encodeGlobalID('ApiToken', token.id) });
      expect(await closed).toEqual(expect.objectContaining({ code: 4403, reason: 'API token elsewhere was revoked' }));
    } finally {
      await client.current?.dispose();
      await Promise.all([one.close(), other.close()]);
      await Promise.all(buses.map((bus) => bus.close()));
      await database.drop();
    }
  });
});
