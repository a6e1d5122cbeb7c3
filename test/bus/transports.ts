import { afterEach } from 'vitest';
import { createBus, type LiveBus } from '../../src/bus/bus.js';
import type { LiveEvent, LiveTopic } from '../../src/bus/topics.js';
import { REDIS_URL, serviceAvailable } from '../support/services.js';

/** False when no Redis answers (and none is required): the Redis cases skip. */
export const redisAvailable = await serviceAvailable('Redis', REDIS_URL);

export const BUS_TRANSPORTS = [
  { transport: 'in process', redisUrl: undefined, available: true },
  { transport: 'Redis', redisUrl: REDIS_URL, available: redisAvailable },
] as const;

/** Buses for one test, closed after it. */
export function useBuses(redisUrl: string | undefined): () => LiveBus {
  const open: LiveBus[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((bus) => bus.close()));
  });
  return () => {
    const bus = createBus({ redisUrl });
    open.push(bus);
    return bus;
  };
}

/** A started subscription: its events arrive in `next()` order; `stop()` unsubscribes. */
export type Subscription = { next(): Promise<LiveEvent>; stop(): Promise<void> };

/** Subscribes to topic and waits until the transport delivers to it. */
export async function subscribe(bus: LiveBus, topic: LiveTopic): Promise<Subscription> {
  const iterator = bus.subscribe(topic)[Symbol.asyncIterator]();
  const pending: Promise<IteratorResult<LiveEvent>>[] = [iterator.next()];
  await bus.subscribed();
  return {
    async next() {
      const result = await (pending.shift() ?? iterator.next());
      if (result.done) throw new Error(`subscription to ${topic} ended`);
      return result.value;
    },
    async stop() {
      await iterator.return?.();
    },
  };
}

/** Every event published on some topics, gathered in arrival order until `stop()`. */
export type Collector = {
  readonly events: LiveEvent[];
  /** Resolves once `matches` holds for at least count events gathered so far (or to come). */
  until(count: number, matches?: (event: LiveEvent) => boolean): Promise<LiveEvent[]>;
  stop(): Promise<void>;
};

export async function collect(bus: LiveBus, topics: readonly LiveTopic[]): Promise<Collector> {
  const events: LiveEvent[] = [];
  const waiters = new Set<() => void>();
  const iterators = topics.map((topic) => bus.subscribe(topic)[Symbol.asyncIterator]());
  const pump = async (iterator: (typeof iterators)[number]) => {
    for (let result = await iterator.next(); !result.done; result = await iterator.next()) {
      events.push(result.value);
      for (const waiter of [...waiters]) waiter();
    }
  };
  const pumps = iterators.map(pump);
  await bus.subscribed();
  return {
    events,
    until: (count, matches = () => true) =>
      new Promise((resolve) => {
        const check = () => {
          const matching = events.filter(matches);
          if (matching.length < count) return;
          waiters.delete(check);
          resolve(matching);
        };
        waiters.add(check);
        check();
      }),
    async stop() {
      await Promise.all(iterators.map((iterator) => iterator.return?.()));
      await Promise.all(pumps);
    },
  };
}
