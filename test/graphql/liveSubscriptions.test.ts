import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import { Repeater } from 'graphql-yoga';
import WebSocket from 'ws';
import { createApiToken } from '../../src/auth/apiTokens.js';
import { createBus, publishChange, type LiveBus } from '../../src/bus/bus.js';
import type { LiveEvent, LiveTopic } from '../../src/bus/topics.js';
import type { Change } from '../../src/live/state.js';
import { changesOf, replay } from '../live/replay.js';
import { createPostgresDatabase } from '../support/database.js';
import { postgresAvailable } from '../support/fixture.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * The in-process bus, telling when a subscription is live: the server subscribes to a topic when graphql-ws
 * first pulls the operation's iterator, which no message to the client announces.
 */
type TrackedBus = LiveBus & {
  /** How many subscriptions to topic have started so far. */
  count(topic: LiveTopic): number;
  /** Resolves once one more subscription to topic than `before` (a count read earlier) has started. */
  started(topic: LiveTopic, before: number): Promise<void>;
};

function trackedBus(): TrackedBus {
  const bus = createBus();
  const counts = new Map<LiveTopic, number>();
  const waiters = new Set<() => void>();
  const subscribe = (topic: LiveTopic) => {
    const source = bus.subscribe(topic);
    return new Repeater<LiveEvent>(async (push, stop) => {
      const iterator = source[Symbol.asyncIterator]();
      let next = iterator.next(); // the listener is on the topic from here
      counts.set(topic, (counts.get(topic) ?? 0) + 1);
      for (const waiter of [...waiters]) waiter();
      void stop.then(() => iterator.return?.());
      for (let result = await next; !result.done; result = await next) {
        await push(result.value);
        next = iterator.next();
      }
      stop();
    });
  };
  return {
    ...bus,
    // A wrapper over every live topic; the bus's signature maps each topic to its payload, which this one does not spell out.
    subscribe: subscribe as unknown as LiveBus['subscribe'],
    count: (topic) => counts.get(topic) ?? 0,
    started: (topic, before) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if ((counts.get(topic) ?? 0) <= before) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      }),
  };
}

type Find<E extends Change['entity']> = Extract<Change, { entity: E }>;

/** The channel whose changes the transcript shows most of, with a caller id: CREATED, UPDATED..., REMOVED. */
function channelLife(): Find<'channel'>[] {
  const changes = changesOf(replay('answered-to-queue'), 'channel');
  const withNumber = changes.filter((change) => change.value.callerIdNum !== '');
  const uniqueid = withNumber[0]?.value.uniqueid;
  return changes.filter((change) => change.value.uniqueid === uniqueid);
}

const CHANNEL_EVENTS = `subscription($filter: ChannelEventFilter) {
  channelEvents(filter: $filter) { kind server channel { uniqueid name state stateDesc callerIdNum hangupCause } } }`;

type ChannelEventData = { channelEvents: { kind: string; server: string; channel: { uniqueid: string; state: number; callerIdNum: string } } };

describe.skipIf(!postgresAvailable)('live subscriptions over graphql-ws and SSE, on the API port', () => {
  let server: TestServer;
  let bus: TrackedBus;
  const clients: Client[] = [];

  beforeAll(async () => {
    if (!postgresAvailable) return;
    bus = trackedBus();
    server = await startTestServer(await createPostgresDatabase(), { bus });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
  });
  afterAll(async () => {
    if (!server) return;
    await server.close();
    await server.database.drop();
  });

  function client(connectionParams: Record<string, unknown>, onClosed?: (event: { code: number; reason: string }) => void): Client {
    const made = createClient({
      url: server.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams,
      retryAttempts: 0,
      lazy: false,
      // A refused connection is asserted through `closed`; the default would print it to the console.
      onNonLazyError: () => undefined,
      on: { closed: (event) => onClosed?.(event as { code: number; reason: string }) },
    });
    clients.push(made);
    return made;
  }

  const viewerClient = () => client({ authorization: `Bearer ${server.tokens.VIEWER}` });

  /** How the server closed a socket that sent these connection params. */
  function closeOf(connectionParams: Record<string, unknown>): Promise<{ code: number; reason: string }> {
    return new Promise((resolve) => client(connectionParams, resolve));
  }

  it('delivers CREATED, UPDATED and REMOVED channel events, each with the full channel', async () => {
    const life = channelLife();
    expect(life.map((change) => change.kind)).toEqual(expect.arrayContaining(['CREATED', 'UPDATED', 'REMOVED']));
    const before = bus.count('live.channel');
    const events = viewerClient().iterate<ChannelEventData>({ query: CHANNEL_EVENTS });
    const first = events.next();
    await bus.started('live.channel', before);
    await bus.subscribed();
    for (const change of life) publishChange(bus, 'pbx-a', change);
    const received: unknown[] = [];
    for (let index = 0; index < life.length; index += 1) {
      const result = index === 0 ? await first : await events.next();
      expect(result.value?.errors).toBeUndefined();
      received.push(result.value?.data?.channelEvents);
    }
    await events.return?.();
    expect(received).toEqual(
      life.map((change) => ({
        kind: change.kind,
        server: 'pbx-a',
        channel: {
          uniqueid: change.value.uniqueid,
          name: change.value.name,
          state: change.value.state,
          stateDesc: change.value.stateDesc,
          callerIdNum: change.value.callerIdNum,
          hangupCause: change.value.hangupCause,
        },
      })),
    );
  });

  it('runs one execution for the same subscription on many sockets, each getting every event, until the last leaves', async () => {
    const [created] = channelLife();
    if (!created) throw new Error('no channel change');
    const filter = { filter: { server: 'pbx-shared' } };
    const before = bus.count('live.channel');
    const sockets = [viewerClient(), viewerClient(), viewerClient()];
    const streams = sockets.map((socket) => socket.iterate<ChannelEventData>({ query: CHANNEL_EVENTS, variables: filter }));
    const firsts = streams.map((stream) => stream.next());
    await bus.started('live.channel', before);
    await bus.subscribed();
    // The later sockets join the first one's execution, which the bus does not see: published until all heard it.
    const probe = setInterval(() => publishChange(bus, 'pbx-shared', created), 20);
    const heard = await Promise.all(firsts).finally(() => clearInterval(probe));
    for (const first of heard) expect(first.value?.data?.channelEvents).toMatchObject({ server: 'pbx-shared', channel: { uniqueid: created.value.uniqueid } });
    // Three sockets, one subscription on the bus.
    expect(bus.count('live.channel')).toBe(before + 1);

    await streams[0]?.return?.();
    publishChange(bus, 'pbx-shared', { ...created, kind: 'UPDATED' });
    for (const stream of streams.slice(1)) {
      let kind: string | undefined;
      // Past the probes still queued for it, to the update.
      while (kind !== 'UPDATED') kind = (await stream.next()).value?.data?.channelEvents.kind;
      await stream.return?.();
    }
  });

  it('filters channel events by server and by caller id number', async () => {
    const created = channelLife().find((change) => change.value.callerIdNum !== '');
    if (!created) throw new Error('no channel with a caller id');
    const number = created.value.callerIdNum;
    const before = [bus.count('live.channel'), bus.count(`live.channel.callerid.${number}`)] as const;
    const other: Change = { ...created, key: 'other.1', value: { ...created.value, uniqueid: 'other.1', callerIdNum: `${number}9` } };
    const ws = viewerClient();
    const byServer = ws.iterate<ChannelEventData>({ query: CHANNEL_EVENTS, variables: { filter: { server: 'pbx-b' } } });
    const byNumber = ws.iterate<ChannelEventData>({ query: CHANNEL_EVENTS, variables: { filter: { callerIdNum: number } } });
    const [fromServer, fromNumber] = [byServer.next(), byNumber.next()];
    await bus.started('live.channel', before[0]);
    await bus.started(`live.channel.callerid.${number}`, before[1]);
    await bus.subscribed();
    publishChange(bus, 'pbx-a', other);
    publishChange(bus, 'pbx-b', created);
    expect((await fromServer).value?.data?.channelEvents).toMatchObject({ server: 'pbx-b', channel: { uniqueid: created.value.uniqueid } });
    expect((await fromNumber).value?.data?.channelEvents).toMatchObject({ server: 'pbx-b', channel: { callerIdNum: number } });
    await Promise.all([byServer.return?.(), byNumber.return?.()]);
  });

  it('gives queueEvents only the changes of its own queue, typed by entity', async () => {
    const members = changesOf(replay('queue-admin'), 'queueMember');
    const queue = members[0]?.value.queue as string;
    const elsewhere = members[0] as Find<'queueMember'>;
    const moved: Change = { ...elsewhere, value: { ...elsewhere.value, queue: `${queue}-other` } };
    const mine = members.find((change) => change.value.queue === queue) as Find<'queueMember'>;
    const before = bus.count(`live.queue.${queue}`);
    const events = viewerClient().iterate<{ queueEvents: Record<string, unknown> }>({
      query: `subscription($queue: String!) { queueEvents(queue: $queue) { kind server entity queueName queue { name }
        member { queue interface statusName paused } caller { uniqueid } } }`,
      variables: { queue },
    });
    const first = events.next();
    await bus.started(`live.queue.${queue}`, before);
    await bus.subscribed();
    publishChange(bus, 'pbx-a', moved);
    publishChange(bus, 'pbx-a', mine);
    expect((await first).value?.data?.queueEvents).toEqual({
      kind: mine.kind,
      server: 'pbx-a',
      entity: 'MEMBER',
      queueName: queue,
      queue: null,
      member: { queue, interface: mine.value.interface, statusName: mine.value.statusName, paused: mine.value.paused },
      caller: null,
    });
    await events.return?.();
  });

  it('serves parkEvents, agentEvents and deviceEvents from their topics', async () => {
    const parked = changesOf(replay('answered-to-park'), 'parkedCall')[0] as Find<'parkedCall'>;
    const agent = changesOf(replay('agents-login-queue'), 'agent')[0] as Find<'agent'>;
    const device = changesOf(replay('device-states'), 'device')[0] as Find<'device'>;
    const topics = [`live.park.${parked.value.lot}`, 'live.agent', 'live.device'] as const;
    const before = topics.map((topic) => bus.count(topic));
    const ws = viewerClient();
    const park = ws.iterate<{ parkEvents: unknown }>({
      query: `subscription($lot: String!) { parkEvents(lot: $lot) { kind entity lotName lot { name } parkedCall { space parkeeChannel leaveReason } } }`,
      variables: { lot: parked.value.lot },
    });
    const agents = ws.iterate<{ agentEvents: unknown }>({ query: 'subscription { agentEvents(server: "pbx-a") { kind server agent { id status } } }' });
    const devices = ws.iterate<{ deviceEvents: unknown }>({ query: 'subscription { deviceEvents { kind device { device state } } }' });
    const next = [park.next(), agents.next(), devices.next()] as const;
    await Promise.all(topics.map((topic, index) => bus.started(topic, before[index] ?? 0)));
    await bus.subscribed();
    publishChange(bus, 'pbx-other', agent);
    for (const change of [parked, agent, device]) publishChange(bus, 'pbx-a', change);
    expect((await next[0]).value?.data?.parkEvents).toEqual({
      kind: parked.kind,
      entity: 'PARKED_CALL',
      lotName: parked.value.lot,
      lot: null,
      parkedCall: { space: parked.value.space, parkeeChannel: parked.value.parkeeChannel, leaveReason: parked.value.leaveReason },
    });
    expect((await next[1]).value?.data?.agentEvents).toEqual({ kind: agent.kind, server: 'pbx-a', agent: { id: agent.value.id, status: agent.value.status } });
    expect((await next[2]).value?.data?.deviceEvents).toEqual({ kind: device.kind, device: { device: device.value.device, state: device.value.state } });
    await Promise.all([park.return?.(), agents.return?.(), devices.return?.()]);
  });

  it('runs every operation on a socket as the viewer its token (authorization or token) authenticated', async () => {
    const byHeader = viewerClient().iterate<{ me: { name: string; role: string } }>({ query: '{ me { name role } }' });
    expect((await byHeader.next()).value?.data).toEqual({ me: { name: 'test VIEWER', role: 'VIEWER' } });
    const byToken = client({ token: server.tokens.SUPERVISOR }).iterate<{ me: { name: string } }>({ query: '{ me { name } }' });
    expect((await byToken.next()).value?.data).toEqual({ me: { name: 'test SUPERVISOR' } });
    const refused = viewerClient().iterate({ query: '{ users(first: 1) { edges { node { id } } } }' });
    expect((await refused.next()).value?.errors).toEqual([expect.objectContaining({ extensions: { code: 'FORBIDDEN' } })]);
  });

  it('closes a socket without a token, with a malformed, an unknown or a revoked one, with 4403 and the reason', async () => {
    const revoked = await createApiToken(server.database.prisma, { name: 'soon revoked', role: 'VIEWER' });
    await server.database.prisma.apiToken.update({ where: { id: revoked.token.id }, data: { revokedAt: new Date() } });
    const closes = await Promise.all([
      closeOf({}),
      closeOf({ authorization: 'Basic dXNlcjpwYXNz' }),
      closeOf({ token: 'sbt_not-a-real-token' }),
      closeOf({ authorization: `Bearer ${revoked.secret}` }),
    ]);
    expect(closes).toEqual([
      { code: 4403, reason: expect.stringContaining('Authentication required') },
      { code: 4403, reason: 'The Authorization header must be "Bearer <token>"' },
      { code: 4403, reason: 'This API token is not valid' },
      { code: 4403, reason: 'API token soon revoked was revoked' },
    ].map((expected) => expect.objectContaining(expected)));
  });

  it('serves the same subscriptions over SSE to a VIEWER', async () => {
    const before = bus.count('live.device');
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${server.tokens.VIEWER}` },
      body: JSON.stringify({ query: 'subscription { deviceEvents(server: "pbx-sse") { kind device { device } } }' }),
    });
    expect(response.status).toBe(200);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const device = changesOf(replay('device-states'), 'device')[0] as Find<'device'>;
    const firstChunk = reader.read();
    await bus.started('live.device', before);
    await bus.subscribed();
    publishChange(bus, 'pbx-sse', device);
    let text = new TextDecoder().decode((await firstChunk).value);
    while (!text.includes('"data"')) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(text).toContain(JSON.stringify({ data: { deviceEvents: { kind: device.kind, device: { device: device.value.device } } } }));
  });

  it('refuses an SSE subscription without a token with 401 UNAUTHENTICATED', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { agentEvents { kind } }' }),
    });
    // Refused when it starts, not on each event: the stream ends at once with the error.
    const text = await response.text();
    expect({ status: response.status, text }).toEqual({ status: 401, text: expect.stringContaining('UNAUTHENTICATED') });
  });

  it('closes open sockets with 1001 when the HTTP server closes', async () => {
    const other = await startTestServer(await createPostgresDatabase());
    let closing: Promise<void> | undefined;
    try {
      const closed = new Promise<{ code: number }>((resolve) => {
        const ws = createClient({
          url: other.wsUrl,
          webSocketImpl: WebSocket,
          connectionParams: { token: other.tokens.VIEWER },
          retryAttempts: 0,
          lazy: false,
          onNonLazyError: () => undefined,
          on: { connected: () => void (closing = other.close()), closed: (event) => resolve(event as { code: number }) },
        });
        clients.push(ws);
      });
      expect((await closed).code).toBe(1001);
    } finally {
      await (closing ?? other.close());
      await other.database.drop();
    }
  });
});
