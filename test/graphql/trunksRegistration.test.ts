import { encodeGlobalID } from '@pothos/plugin-relay';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startSimulator, type Simulator } from '../../src/ami/simulator/index.js';
import { changePublisher, createBus, type LiveBus } from '../../src/bus/bus.js';
import { MemoryLiveStore } from '../../src/live/storeMemory.js';
import { startWorker, type Worker } from '../../src/live/worker.js';
import { createLogger } from '../../src/logger.js';
import { createPostgresDatabase } from '../support/database.js';
import { postgresAvailable } from '../support/fixture.js';
import { startTestServer, type TestServer } from '../support/server.js';

const SERVER = 'pbx-registrations';
const CREDENTIALS = { username: 'switchboard', secret: 'registration-secret' };

type Registration = { name: string; status: string | null; statusChangedAt: string | null; serverUri: string };
type TrunkStatus = { trunk: { name: string }; deviceState: string | null; reachable: boolean | null; registration: Registration | null };

const TRUNK_STATUS_EVENTS = `subscription($server: String) { trunkStatusEvents(server: $server) {
  trunk { name } deviceState reachable registration { name status statusChangedAt serverUri } } }`;

/** A trunk's outbound registration as the simulated PBX's registrar answers it, through its worker, over GraphQL. */
describe.skipIf(!postgresAvailable)('a trunk status with its outbound registration', () => {
  let simulator: Simulator;
  let worker: Worker;
  let bus: LiveBus;
  let api: TestServer;
  let client: Client;

  beforeAll(async () => {
    if (!postgresAvailable) return;
    simulator = await startSimulator(CREDENTIALS);
    // Linked to its endpoint by the endpoint option, as pjsip.conf's wizard writes it, and one named as its endpoint.
    simulator.pbx.registrations.configure({ name: 'carrier-reg', serverUri: 'sip:sip.carrier.example', clientUri: 'sip:5551000@sip.carrier.example', endpoint: 'carrier' });
    simulator.pbx.registrations.configure({ name: 'backup', serverUri: 'sip:backup.example', clientUri: 'sip:5552000@backup.example' }, 'Rejected');
    const store = new MemoryLiveStore();
    bus = createBus();
    worker = await startWorker({ servers: [{ name: SERVER, host: simulator.host, port: simulator.port, ...CREDENTIALS }], store, publish: changePublisher(bus), log: createLogger('silent') });
    api = await startTestServer(await createPostgresDatabase(), { store, bus });
    client = createClient({ url: api.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${api.tokens.VIEWER}` }, retryAttempts: 0 });
  });
  afterAll(async () => {
    if (!api) return;
    await client.dispose();
    await api.close();
    await worker.stop();
    await simulator.close();
    await bus.close();
    await api.database.drop();
  });

  it("follows the registration Rejected, then Registered again, in Trunk.status and trunkStatusEvents, without changing the trunk's reach", async () => {
    const { prisma } = api.database;
    const carrier = await prisma.trunk.create({ data: { name: 'Carrier', endpoint: 'carrier' } });
    await prisma.trunk.create({ data: { name: 'Backup', endpoint: 'backup' } });
    await prisma.trunk.create({ data: { name: 'Local out', dialStringTemplate: 'Local/{number}@outbound' } });
    const stream = client.iterate<{ trunkStatusEvents: TrunkStatus }>({ query: TRUNK_STATUS_EVENTS, variables: { server: SERVER } })[Symbol.asyncIterator]();
    const latest = new Map<string, TrunkStatus>();
    /** Reads the stream until the trunk's latest status `holds`. */
    const until = async (trunk: string, holds: (status: TrunkStatus) => boolean): Promise<TrunkStatus> => {
      for (let status = latest.get(trunk); status === undefined || !holds(status); status = latest.get(trunk)) {
        const { value, done } = await stream.next();
        if (done) throw new Error('the subscription ended');
        expect(value.errors).toBeUndefined();
        const next = value.data?.trunkStatusEvents;
        if (next !== undefined) latest.set(next.trunk.name, next);
      }
      return latest.get(trunk) as TrunkStatus;
    };
    const statusOf = async () => {
      const { data, errors } = await api.graphql<{ node: { status: { server: string; registration: { status: string } | null }[] } }>(
        'query($id: ID!) { node(id: $id) { ... on Trunk { status { server registration { status } } } } }',
        { id: encodeGlobalID('Trunk', carrier.id) },
        api.tokens.VIEWER,
      );
      expect(errors).toBeUndefined();
      return data?.node.status.find((status) => status.server === SERVER)?.registration?.status;
    };

    const registered = await until('Carrier', (status) => status.registration?.status === 'REGISTERED');
    expect(registered).toEqual({ trunk: { name: 'Carrier' }, deviceState: null, reachable: null, registration: { name: 'carrier-reg', status: 'REGISTERED', statusChangedAt: null, serverUri: 'sip:sip.carrier.example' } });
    expect((await until('Backup', (status) => status.registration !== null)).registration).toMatchObject({ name: 'backup', status: 'REJECTED' });
    expect((await until('Local out', () => true)).registration).toBeNull();
    expect(await statusOf()).toBe('REGISTERED');

    simulator.pbx.registrations.answer('carrier-reg', 'Rejected');
    const rejected = await until('Carrier', (status) => status.registration?.status === 'REJECTED');
    expect(rejected).toMatchObject({ reachable: null, registration: { statusChangedAt: expect.any(String) } });
    expect(await statusOf()).toBe('REJECTED');

    simulator.pbx.registrations.answer('carrier-reg', 'Registered');
    await until('Carrier', (status) => status.registration?.status === 'REGISTERED');
    expect(await statusOf()).toBe('REGISTERED');
    await stream.return?.();
  });
});
