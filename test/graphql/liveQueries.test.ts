import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEvent } from '../../src/ami/message.js';
import { reduce } from '../../src/live/reducer.js';
import { emptyLiveState, type Change, type LiveState } from '../../src/live/state.js';
import { MemoryLiveStore } from '../../src/live/storeMemory.js';
import { createPostgresDatabase } from '../support/database.js';
import { postgresAvailable } from '../support/fixture.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { receivedMessages, type TranscriptName } from '../support/transcripts.js';

const store = new MemoryLiveStore();

/**
 * Reduces a transcript's events as server into the store (each reduction's changes applied as the ingest
 * worker does), stopping after the first event that leaves a state `stop` accepts; the state reached.
 */
async function load(name: TranscriptName, server: string, stop: (state: LiveState) => boolean = () => false): Promise<LiveState> {
  let state = emptyLiveState();
  for (const message of receivedMessages(name)) {
    if (!isEvent(message)) continue;
    const reduction = reduce(state, message, server);
    state = reduction.state;
    await store.apply(server, reduction.changes);
    if (stop(state)) break;
  }
  return state;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe.skipIf(!postgresAvailable)('live queries: what the live store holds, by server, sorted', () => {
  let server: TestServer;
  const states: Record<string, LiveState> = {};

  beforeAll(async () => {
    if (!postgresAvailable) return;
    // A caller waiting in a queue with its channels up; a call parked; agents; device states: one server each.
    states.queue = await load('answered-to-queue', 'pbx-queue', (state) => state.queueCaller.size > 0);
    states.park = await load('answered-to-park', 'pbx-park', (state) => state.parkedCall.size > 0);
    const lot: Change = {
      kind: 'CREATED',
      entity: 'parkingLot',
      key: 'default',
      value: { server: 'pbx-park', name: 'default', startSpace: 701, stopSpace: 720, timeout: 45 },
    };
    await store.apply('pbx-park', [lot]);
    states.agents = await load('agents-login-queue', 'pbx-agents');
    states.devices = await load('device-states', 'pbx-devices');
    server = await startTestServer(await createPostgresDatabase(), { store });
  });
  afterAll(async () => {
    if (!server) return;
    await server.close();
    await server.database.drop();
  });

  const viewer = (query: string, variables?: Record<string, unknown>) => server.graphql(query, variables, server.tokens.VIEWER);

  it('lists the channels of one server, or of all, sorted by server and creation time', async () => {
    const expected = [...(states.queue as LiveState).channel.values()];
    expect(expected.length).toBeGreaterThan(1);
    const { data, errors } = await viewer(
      `query($server: String) { channels(server: $server) { server uniqueid linkedid name state stateDesc callerIdNum callerIdName
        context exten priority bridgeId createdAt answeredAt } }`,
      { server: 'pbx-queue' },
    );
    expect(errors).toBeUndefined();
    const channels = (data as { channels: { uniqueid: string; createdAt: string | null }[] }).channels;
    expect(channels).toHaveLength(expected.length);
    expect(new Set(channels.map((c) => c.uniqueid))).toEqual(new Set(expected.map((c) => c.uniqueid)));
    const times = channels.map((c) => c.createdAt ?? '');
    expect(times).toEqual([...times].sort());
    for (const channel of expected) {
      expect(channels).toContainEqual({
        server: 'pbx-queue',
        uniqueid: channel.uniqueid,
        linkedid: channel.linkedid,
        name: channel.name,
        state: channel.state,
        stateDesc: channel.stateDesc,
        callerIdNum: channel.callerIdNum,
        callerIdName: channel.callerIdName,
        context: channel.context,
        exten: channel.exten,
        priority: channel.priority,
        bridgeId: channel.bridgeId,
        createdAt: iso(channel.createdAt),
        answeredAt: iso(channel.answeredAt),
      });
    }
    const all = await viewer('{ channels { server uniqueid } }');
    const servers = (all.data as { channels: { server: string }[] }).channels.map((c) => c.server);
    const count = Object.values(states).reduce((sum, state) => sum + state.channel.size, 0);
    expect(servers).toHaveLength(count);
    expect(servers).toEqual([...servers].sort());
    const again = await viewer('{ channels { server uniqueid } }');
    expect(again.data).toEqual(all.data);
  });

  it('groups channels into calls', async () => {
    const { data, errors } = await viewer('{ calls(server: "pbx-queue") { linkedid channelIds channels { uniqueid linkedid } } }');
    expect(errors).toBeUndefined();
    const calls = (data as { calls: { linkedid: string; channelIds: string[]; channels: { linkedid: string }[] }[] }).calls;
    expect(calls.map((c) => c.linkedid)).toEqual([...(states.queue as LiveState).call.values()].map((c) => c.linkedid));
    for (const call of calls) {
      expect(call.channels.length).toBeGreaterThan(0);
      expect(call.channels.every((channel) => channel.linkedid === call.linkedid)).toBe(true);
    }
  });

  it('answers a queue with its members and its waiting callers', async () => {
    const state = states.queue as LiveState;
    const [queue] = [...state.queue.values()];
    const [caller] = [...state.queueCaller.values()];
    expect(queue && caller).toBeTruthy();
    const { data, errors } = await viewer(
      `query($name: String!) { queue(name: $name) { server name strategy calls members { interface name status statusName paused inCall }
        callers { uniqueid channel position callerIdNum waitingSince } } }`,
      { name: queue?.name },
    );
    expect(errors).toBeUndefined();
    const members = [...state.queueMember.values()]
      .sort((a, b) => (a.interface < b.interface ? -1 : 1))
      .map((m) => ({ interface: m.interface, name: m.name, status: m.status, statusName: m.statusName, paused: m.paused, inCall: m.inCall }));
    expect(data).toEqual({
      queue: {
        server: 'pbx-queue',
        name: queue?.name,
        strategy: queue?.strategy,
        calls: queue?.calls,
        members,
        callers: [
          {
            uniqueid: caller?.uniqueid,
            channel: caller?.channel,
            position: caller?.position,
            callerIdNum: caller?.callerIdNum,
            waitingSince: iso(caller?.waitingSince ?? null),
          },
        ],
      },
    });
    const missing = await viewer('{ queue(name: "no-such-queue") { name } elsewhere: queue(name: "sales", server: "pbx-park") { name } }');
    expect(missing.data).toEqual({ queue: null, elsewhere: null });
    const queues = await viewer('{ queues { server name } }');
    const names = (queues.data as { queues: { server: string; name: string }[] }).queues.map((q) => `${q.server}/${q.name}`);
    expect(names).toEqual([...names].sort());
    expect(names).toContain(`pbx-queue/${queue?.name}`);
  });

  it('lists parking lots with their calls, and parked calls by lot', async () => {
    const [parked] = [...(states.park as LiveState).parkedCall.values()];
    expect(parked).toBeDefined();
    const { data, errors } = await viewer(
      `query($lot: String) { parkingLots { name startSpace stopSpace timeoutSec calls { space } }
        parkedCalls(lot: $lot) { server lot space parkeeChannel parkeeCallerIdNum timeoutSec parkedAt leaveReason } }`,
      { lot: parked?.lot },
    );
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      parkingLots: [{ name: 'default', startSpace: 701, stopSpace: 720, timeoutSec: 45, calls: parked?.lot === 'default' ? [{ space: parked.space }] : [] }],
      parkedCalls: [
        {
          server: 'pbx-park',
          lot: parked?.lot,
          space: parked?.space,
          parkeeChannel: parked?.parkeeChannel,
          parkeeCallerIdNum: parked?.parkeeCallerIdNum,
          timeoutSec: parked?.timeout,
          parkedAt: iso(parked?.parkedAt ?? null),
          leaveReason: null,
        },
      ],
    });
    const other = await viewer('{ parkedCalls(lot: "no-such-lot") { space } }');
    expect(other.data).toEqual({ parkedCalls: [] });
  });

  it('lists agents, devices and what each PBX says of itself', async () => {
    const { data, errors } = await viewer(
      `{ agents { server id name status loginTime wrapUp } devices(server: "pbx-devices") { device state }
        pbxStatus(server: "pbx-agents") { server asteriskVersion currentCalls callsUp fullyBooted uptimeSec lastReloadAt } }`,
    );
    expect(errors).toBeUndefined();
    const agents = [...(states.agents as LiveState).agent.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(agents.length).toBe(2);
    expect((data as { agents: unknown[] }).agents).toEqual(
      agents.map((a) => ({ server: 'pbx-agents', id: a.id, name: a.name, status: a.status, loginTime: iso(a.loginTime), wrapUp: a.wrapUp })),
    );
    const devices = [...(states.devices as LiveState).device.values()].map((d) => ({ device: d.device, state: d.state }));
    expect((data as { devices: unknown[] }).devices).toEqual(devices.sort((a, b) => (a.device < b.device ? -1 : 1)));
    const [pbx] = [...(states.agents as LiveState).pbx.values()];
    expect((data as { pbxStatus: unknown[] }).pbxStatus).toEqual([
      {
        server: 'pbx-agents',
        asteriskVersion: pbx?.asteriskVersion,
        currentCalls: pbx?.currentCalls,
        callsUp: (states.agents as LiveState).call.size,
        fullyBooted: pbx?.fullyBooted,
        uptimeSec: pbx?.uptime,
        lastReloadAt: iso(pbx?.lastReloadAt ?? null),
      },
    ]);
  });

  it("links a PBX server's row and a campaign to what that PBX says of itself, and to nothing while no worker has heard from it", async () => {
    const { prisma } = server.database;
    const heard = await prisma.pbxServer.create({ data: { name: 'pbx-agents', host: '127.0.0.1', username: 'u', secret: 's' } });
    const unheard = await prisma.pbxServer.create({ data: { name: 'pbx-unheard', host: '127.0.0.1', username: 'u', secret: 's' } });
    const plan = await prisma.plan.create({ data: { name: 'P' } });
    const destination = await prisma.destination.create({ data: { name: 'D', type: 'APPLICATION', application: 'Queue', data: 'sales' } });
    const dialList = await prisma.dialList.create({ data: { name: 'L' } });
    const campaign = (pbxServer: string | null) => prisma.campaign.create({ data: { name: `C ${pbxServer}`, planId: plan.id, destinationId: destination.id, dialListId: dialList.id, pbxServer } });
    await Promise.all([campaign('pbx-agents'), campaign('pbx-unheard'), campaign(null)]);
    try {
      const { data, errors } = await viewer(`{ pbxServers(first: 10) { edges { node { name status { server uptimeSec } } } }
        campaigns(first: 10) { edges { node { pbxServer pbx { server asteriskVersion } } } } }`);
      expect(errors).toBeUndefined();
      const [pbx] = [...(states.agents as LiveState).pbx.values()];
      const servers = (data as { pbxServers: { edges: { node: unknown }[] } }).pbxServers.edges.map((edge) => edge.node);
      expect(servers).toEqual(expect.arrayContaining([{ name: 'pbx-agents', status: { server: 'pbx-agents', uptimeSec: pbx?.uptime } }, { name: 'pbx-unheard', status: null }]));
      const campaigns = (data as { campaigns: { edges: { node: unknown }[] } }).campaigns.edges.map((edge) => edge.node);
      expect(campaigns).toEqual(
        expect.arrayContaining([
          { pbxServer: 'pbx-agents', pbx: { server: 'pbx-agents', asteriskVersion: pbx?.asteriskVersion } },
          { pbxServer: 'pbx-unheard', pbx: null },
          { pbxServer: null, pbx: null },
        ]),
      );
    } finally {
      await prisma.campaign.deleteMany({});
      await prisma.pbxServer.deleteMany({ where: { id: { in: [heard.id, unheard.id] } } });
    }
  });

  it('answers the live fields without a token with 401 UNAUTHENTICATED, as the rest of the API', async () => {
    for (const query of ['{ channels { name } }', '{ queue(name: "sales") { name } }', '{ pbxStatus { server } }', '{ agents { id } }']) {
      const response = await server.graphql(query, {}, null);
      expect(response.status, query).toBe(401);
      expect(response.errors?.map((e) => e.extensions?.code), query).toEqual(['UNAUTHENTICATED']);
    }
  });
});
