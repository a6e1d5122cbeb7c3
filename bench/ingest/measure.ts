/**
 * One case of the ingest benchmark, in a process of its own so its peak RSS is its own (run by run.ts):
 * - bare: the asterisk-manager package alone, counting `managerevent` until N;
 * - memory: the worker's AsteriskManagerConnection + startIngest into a MemoryLiveStore and the in-process bus;
 * - redis: the same into a RedisLiveStore and the Redis bus (keys under a unique prefix, removed at the end).
 * The clock runs from sending `BenchStart` (after login and, for the worker, its resync) until the Nth
 * event has arrived and, for the worker, every change has been written and published. Prints one JSON line.
 */
import { parseArgs } from 'node:util';
import createManager from 'asterisk-manager';
import { Redis } from 'ioredis';
import { AsteriskManagerConnection } from '../../src/ami/asteriskManager.js';
import { changePublisher, createBus } from '../../src/bus/bus.js';
import type { LiveEvent } from '../../src/bus/topics.js';
import { startIngest } from '../../src/live/ingest.js';
import { ENTITY_NAMES, type EntityName } from '../../src/live/state.js';
import type { LiveStore } from '../../src/live/store.js';
import { MemoryLiveStore } from '../../src/live/storeMemory.js';
import { RedisLiveStore } from '../../src/live/storeRedis.js';
import { createLogger } from '../../src/logger.js';
import { SECRET, START_ACTION, USERNAME } from './stream.js';

export type CaseName = 'bare' | 'memory' | 'redis';

export type Measurement = {
  case: CaseName;
  events: number;
  seconds: number;
  peakRssMb: number;
  /** RSS once connected (and resynced), before the stream. */
  readyRssMb: number;
  /** Objects in the live state at the end, by entity (worker cases only). */
  state?: Partial<Record<EntityName, number>>;
};

const { values } = parseArgs({
  options: {
    case: { type: 'string' },
    port: { type: 'string' },
    events: { type: 'string' },
    'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379' },
  },
});
const name = values.case as CaseName;
const port = Number(values.port);
const total = Number(values.events);
const host = '127.0.0.1';
const SERVER = 'bench';
const mb = (bytes: number) => bytes / 2 ** 20;

async function bare(): Promise<Measurement> {
  const manager = createManager(undefined, host, USERNAME, SECRET, true);
  manager.on('error', () => {});
  await new Promise<void>((resolve, reject) =>
    manager.connect(port, host, () => manager.login((error) => (error ? reject(new Error(String(error.message))) : resolve()))),
  );
  const readyRssMb = mb(process.memoryUsage().rss);
  let count = 0;
  const done = new Promise<number>((resolve) =>
    manager.on('managerevent', () => {
      if (++count === total) resolve(performance.now());
    }),
  );
  const started = performance.now();
  manager.action({ action: START_ACTION, actionid: 'bench-start' });
  const ended = await done;
  return { case: 'bare', events: count, seconds: (ended - started) / 1000, peakRssMb: process.resourceUsage().maxRSS / 1024, readyRssMb };
}

async function worker(redis: boolean): Promise<Measurement> {
  const log = createLogger('silent');
  const redisUrl = values['redis-url'] as string;
  const prefix = `bench-ingest-${process.pid}`;
  const store: LiveStore = redis ? new RedisLiveStore({ redisUrl, prefix, log }) : new MemoryLiveStore();
  const bus = createBus(redis ? { redisUrl, log } : { log });
  const connection = new AsteriskManagerConnection({ name: SERVER, host, port, username: USERNAME, secret: SECRET }, { log });
  const ingest = startIngest({ connection, server: SERVER, store, publish: changePublisher(bus), log });
  // A subscriber on live.pbx: the end marker published after the last event comes back through it, so every
  // publish before it has gone through the bus (Redis delivers one connection's publishes in order).
  const marker = `bench-end-${process.pid}`;
  const subscription = bus.subscribe('live.pbx')[Symbol.asyncIterator]();
  const markerSeen = (async () => {
    for (;;) {
      const next = await subscription.next();
      if (next.done || next.value.key === marker) return;
    }
  })();
  await bus.subscribed();
  let count = 0;
  let lastEvent!: () => void;
  const arrived = new Promise<void>((resolve) => (lastEvent = resolve));
  connection.on('event', () => {
    if (++count === total) lastEvent();
  });
  try {
    await connection.start();
    await ingest.idle(); // the resync of the connect, against empty lists
    const readyRssMb = mb(process.memoryUsage().rss);
    const started = performance.now();
    void connection.action({ action: START_ACTION }).catch(() => {});
    await arrived;
    await ingest.idle();
    bus.publish('live.pbx', { server: SERVER, kind: 'UPDATED', entity: 'pbx', key: marker, value: {} } as unknown as LiveEvent);
    await markerSeen;
    const ended = performance.now();
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    const state = await store.load(SERVER);
    const sizes: Partial<Record<EntityName, number>> = {};
    for (const entity of ENTITY_NAMES) sizes[entity] = state[entity].size;
    return { case: name, events: count, seconds: (ended - started) / 1000, peakRssMb, readyRssMb, state: sizes };
  } finally {
    await subscription.return?.();
    await connection.close();
    await ingest.stop();
    await store.close();
    await bus.close();
    if (redis) {
      const client = new Redis(redisUrl);
      const keys = await client.keys(`${prefix}:*`);
      if (keys.length > 0) await client.del(...keys);
      await client.quit();
    }
  }
}

let measurement: Measurement;
if (name === 'bare') measurement = await bare();
else if (name === 'memory' || name === 'redis') measurement = await worker(name === 'redis');
else throw new Error(`--case must be bare, memory or redis, got ${String(name)}`);
console.log(JSON.stringify(measurement));
// The package keeps its socket (and reconnect timers) alive: end here.
process.exit(0);
