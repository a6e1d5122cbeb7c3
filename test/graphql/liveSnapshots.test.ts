import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createBus, publishChange, type LiveBus } from '../../src/bus/bus.js';
import type { Change, Pbx } from '../../src/live/state.js';
import { MemoryLiveStore } from '../../src/live/storeMemory.js';
import { replay, SERVER, type Step } from '../live/replay.js';
import { createPostgresDatabase } from '../support/database.js';
import { postgresAvailable } from '../support/fixture.js';
import { startTestServer, type TestServer } from '../support/server.js';

type Summary = { server: string; queue: string; callers: number; longestHoldSince: string | null; agents: Record<string, number> };
type PbxData = { server: string; connected: boolean; currentCalls: number | null };

const QUEUE_SUMMARY_EVENTS = `subscription { queueSummaryEvents(server: "${SERVER}") { server queue callers longestHoldSince agents { idle ringing onCall wrapUp paused loggedOff } } }`;
const PBX_EVENTS = 'subscription($server: String) { pbxEvents(server: $server) { server connected currentCalls } }';

/** The live snapshots a wallboard follows: each answer first as things are, then again as they change. */
describe.skipIf(!postgresAvailable)('queueSummaryEvents, pbxEvents and trunkStatusEvents over graphql-ws', () => {
  let server: TestServer;
  let bus: LiveBus;
  let store: MemoryLiveStore;
  const clients: Client[] = [];

  beforeAll(async () => {
    if (!postgresAvailable) return;
    bus = createBus();
    store = new MemoryLiveStore();
    server = await startTestServer(await createPostgresDatabase(), { bus, store });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
  });
  afterAll(async () => {
    if (!server) return;
    await server.close();
    await server.database.drop();
  });

  function viewer(): Client {
    const client = createClient({ url: server.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${server.tokens.VIEWER}` }, retryAttempts: 0 });
    clients.push(client);
    return client;
  }

  /** As the ingest worker does: each change into the store, then on the bus. */
  async function ingest(server: string, changes: readonly Change[]): Promise<void> {
    await store.apply(server, changes);
    for (const change of changes) publishChange(bus, server, change);
  }

  /** The next answer of a stream that `matches`, past the others. */
  async function nextMatching<T>(stream: AsyncIterator<{ data?: T | null; errors?: unknown }>, matches: (data: T) => boolean): Promise<{ passed: T[]; found: T }> {
    const passed: T[] = [];
    for (;;) {
      const { value, done } = await stream.next();
      if (done) throw new Error('the subscription ended');
      expect(value.errors).toBeUndefined();
      const data = value.data as T;
      if (matches(data)) return { passed, found: data };
      passed.push(data);
    }
  }

  it('sends every queue as it is, then a queue again when a caller joins and leaves, with when the longest wait began', async () => {
    const steps = replay('answered-to-queue');
    const joined = steps.findIndex((step) => step.state.queueCaller.size > 0);
    const left = steps.findIndex((step, index) => index > joined && step.state.queueCaller.size === 0);
    expect(joined).toBeGreaterThan(0);
    expect(left).toBeGreaterThan(joined);
    const changesOf = (from: number, to: number) => steps.slice(from, to).flatMap((step: Step) => step.changes);
    await ingest(SERVER, changesOf(0, joined));
    const queues = [...(steps[joined - 1]?.state.queue.values() ?? [])].map((queue) => queue.name).sort();

    const stream = viewer().iterate<{ queueSummaryEvents: Summary }>({ query: QUEUE_SUMMARY_EVENTS });
    const first: Summary[] = [];
    while (first.length < queues.length) first.push(((await stream.next()).value?.data as { queueSummaryEvents: Summary }).queueSummaryEvents);
    expect(first.map((summary) => summary.queue).sort()).toEqual(queues);
    for (const summary of first) expect(summary).toMatchObject({ server: SERVER, callers: 0, longestHoldSince: null });

    const caller = [...(steps[joined]?.state.queueCaller.values() ?? [])][0];
    await ingest(SERVER, changesOf(joined, joined + 1));
    const waiting = await nextMatching(stream, (data) => data.queueSummaryEvents.callers === 1);
    expect(waiting.found.queueSummaryEvents).toMatchObject({ queue: caller?.queue, longestHoldSince: new Date(caller?.waitingSince ?? 0).toISOString() });

    await ingest(SERVER, changesOf(joined + 1, left + 1));
    const gone = await nextMatching(stream, (data) => data.queueSummaryEvents.queue === caller?.queue && data.queueSummaryEvents.callers === 0);
    expect(gone.found.queueSummaryEvents.longestHoldSince).toBeNull();
    // Only what changed is sent: no answer repeats the one before it for its queue.
    const sent = [...first, waiting.found.queueSummaryEvents, ...gone.passed.map((data) => data.queueSummaryEvents), gone.found.queueSummaryEvents];
    const last = new Map<string, string>();
    for (const summary of sent) {
      const shown = JSON.stringify(summary);
      expect(last.get(summary.queue)).not.toBe(shown);
      last.set(summary.queue, shown);
    }
    await stream.return?.();
  });

  const pbxNamed = (server: string): Pbx => ({
    server,
    amiVersion: '11.0.0',
    asteriskVersion: '22.0.0',
    systemName: null,
    maxCalls: null,
    startedAt: null,
    reloadedAt: null,
    currentCalls: 2,
    processedCalls: null,
    fullyBooted: true,
    uptime: 60,
    sinceReload: 60,
    bootReportedAt: Date.now(),
    lastReloadAt: null,
    lastReloadModule: null,
    shuttingDown: false,
    connected: true,
  });

  it("sends each trunk's endpoint state on each PBX, then again as it changes, and Trunk.status answers the same", async () => {
    const pbxServer = 'pbx-trunks';
    const device = (state: string): Change => ({ kind: 'UPDATED', entity: 'device', key: 'PJSIP/carrier', value: { server: pbxServer, device: 'PJSIP/carrier', state } });
    const { prisma } = server.database;
    const carrier = await prisma.trunk.create({ data: { name: 'Carrier', endpoint: 'carrier' } });
    await prisma.trunk.create({ data: { name: 'Local out', dialStringTemplate: 'Local/{number}@outbound' } });
    await ingest(pbxServer, [{ kind: 'CREATED', entity: 'pbx', key: pbxServer, value: pbxNamed(pbxServer) }, device('NOT_INUSE')]);
    const stream = viewer().iterate<{ trunkStatusEvents: unknown }>({
      query: 'subscription($server: String) { trunkStatusEvents(server: $server) { server trunk { name } device deviceState reachable } }',
      variables: { server: pbxServer },
    });
    const next = async () => (await stream.next()).value?.data?.trunkStatusEvents;
    expect([await next(), await next()]).toEqual([
      { server: pbxServer, trunk: { name: 'Carrier' }, device: 'PJSIP/carrier', deviceState: 'NOT_INUSE', reachable: true },
      { server: pbxServer, trunk: { name: 'Local out' }, device: null, deviceState: null, reachable: null },
    ]);
    await ingest(pbxServer, [device('UNAVAILABLE')]);
    expect(await next()).toEqual({ server: pbxServer, trunk: { name: 'Carrier' }, device: 'PJSIP/carrier', deviceState: 'UNAVAILABLE', reachable: false });
    await stream.return?.();
    const { data } = await server.graphql('query($id: ID!) { node(id: $id) { ... on Trunk { status { server deviceState reachable } } } }', { id: encodeGlobalID('Trunk', carrier.id) }, server.tokens.VIEWER);
    expect(data).toEqual({ node: { status: expect.arrayContaining([{ server: pbxServer, deviceState: 'UNAVAILABLE', reachable: false }]) } });
  });

  it('sends each PBX as it says it is, then again when its session drops and comes back', async () => {
    const pbx = pbxNamed('pbx-status');
    await ingest(pbx.server, [{ kind: 'CREATED', entity: 'pbx', key: pbx.server, value: pbx }]);
    const stream = viewer().iterate<{ pbxEvents: PbxData }>({ query: PBX_EVENTS, variables: { server: pbx.server } });
    expect((await stream.next()).value?.data?.pbxEvents).toEqual({ server: pbx.server, connected: true, currentCalls: 2 });
    await ingest(pbx.server, [{ kind: 'UPDATED', entity: 'pbx', key: pbx.server, value: { ...pbx, connected: false } }]);
    expect((await stream.next()).value?.data?.pbxEvents).toEqual({ server: pbx.server, connected: false, currentCalls: 2 });
    await ingest(pbx.server, [{ kind: 'UPDATED', entity: 'pbx', key: pbx.server, value: { ...pbx, currentCalls: 4 } }]);
    expect((await stream.next()).value?.data?.pbxEvents).toEqual({ server: pbx.server, connected: true, currentCalls: 4 });
    await stream.return?.();
  });
});
