import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/ami/simulator/index.js';
import { changePublisher, createBus } from '../../src/bus/bus.js';
import type { LiveStore } from '../../src/live/store.js';
import { MemoryLiveStore } from '../../src/live/storeMemory.js';
import { RedisLiveStore } from '../../src/live/storeRedis.js';
import { startWorker } from '../../src/live/worker.js';
import { createLogger } from '../../src/logger.js';
import { collect, redisAvailable } from '../bus/transports.js';
import { REDIS_URL } from '../support/services.js';
import { startStallProxy } from '../support/stallProxy.js';

const SERVER = 'pbx-registrations';
const CREDENTIALS = { username: 'admin', secret: 'labsecret' };
const CARRIER = { name: 'carrier', serverUri: 'sip:sip.carrier.example', clientUri: 'sip:5551000@sip.carrier.example', endpoint: 'carrier' };
const OLD = { name: 'old-carrier', serverUri: 'sip:old.example', clientUri: 'sip:5559000@old.example' };

/** The registrations a PBX holds follow it over a reconnect, in either live store: the worker, the simulator and a real socket. */
describe.each([
  { adapter: 'memory', available: true },
  { adapter: 'Redis', available: redisAvailable },
] as const)('outbound registrations across a reconnect, in the $adapter store', ({ adapter, available }) => {
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  function newStore(): LiveStore {
    if (adapter === 'memory') return new MemoryLiveStore();
    const prefix = `test-registrations-${randomUUID()}`;
    closers.push(async () => {
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    });
    return new RedisLiveStore({ redisUrl: REDIS_URL, prefix });
  }

  /** The simulator with CARRIER and OLD registered, behind a proxy, followed by a worker into a new store. */
  async function following() {
    const simulator = await startSimulator(CREDENTIALS);
    closers.push(() => simulator.close());
    simulator.pbx.registrations.configure(CARRIER);
    simulator.pbx.registrations.configure(OLD);
    const proxy = await startStallProxy(simulator);
    closers.push(() => proxy.close());
    const store = newStore();
    closers.push(() => store.close());
    const bus = createBus();
    closers.push(() => bus.close());
    const events = await collect(bus, ['live.registration', 'live.pbx']);
    closers.push(() => events.stop());
    const worker = await startWorker({
      servers: [{ name: SERVER, host: proxy.host, port: proxy.port, ...CREDENTIALS }],
      store,
      publish: changePublisher(bus),
      log: createLogger('silent'),
      ami: { backoff: { initialMs: 1, maxMs: 1 } },
    });
    closers.push(() => worker.stop());
    await events.until(2, (event) => event.entity === 'registration' && event.kind === 'CREATED');
    return { simulator, proxy, store, events };
  }

  it.skipIf(!available)('drops a registration removed while disconnected, and takes the status it changed to meanwhile', async () => {
    const { simulator, proxy, store, events } = await following();
    expect((await store.list('registration', { server: SERVER })).map((registration) => [registration.name, registration.status]).sort()).toEqual([
      ['carrier', 'Registered'],
      ['old-carrier', 'Registered'],
    ]);

    // Stalled, the reconnect cannot log in: what happens to the PBX now is heard of only through the resync.
    proxy.stall();
    proxy.drop();
    await events.until(1, (event) => event.entity === 'pbx' && !event.value.connected);
    simulator.pbx.registrations.remove(OLD.name);
    simulator.pbx.registrations.answer(CARRIER.name, 'Rejected');
    proxy.resume();

    const [removed] = await events.until(1, (event) => event.entity === 'registration' && event.kind === 'REMOVED');
    expect(removed).toMatchObject({ server: SERVER, key: OLD.name, value: { status: 'Registered' } });
    // The ingest publishes a resync's changes once it has written them.
    expect(await store.list('registration', { server: SERVER })).toEqual([
      { server: SERVER, name: 'carrier', endpoint: 'carrier', serverUri: CARRIER.serverUri, clientUri: CARRIER.clientUri, status: 'Rejected', statusChangedAt: null },
    ]);
  });

  it.skipIf(!available)('lists the registrations again when a Registry names one it does not know: one added since', async () => {
    const { simulator, store, events } = await following();
    const added = { name: 'added', serverUri: 'sip:added.example', clientUri: 'sip:5553000@added.example' };
    simulator.pbx.registrations.configure(added, 'Unregistered');
    simulator.pbx.registrations.answer(added.name, 'Rejected');
    const [created] = await events.until(1, (event) => event.entity === 'registration' && event.key === added.name);
    expect(created).toMatchObject({ kind: 'CREATED', value: { status: 'Rejected', statusChangedAt: null } });
    expect((await store.get('registration', SERVER, added.name))?.status).toBe('Rejected');
  });
});
