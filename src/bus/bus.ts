import { createPubSub, type PubSub, type PubSubEvent } from 'graphql-yoga';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { Change } from '../live/state.js';
import { liveEvent, topicsOf, type LiveEvent, type LiveTopic } from './topics.js';

/** Every topic carries LiveEvents; the topic is the whole routing key (no yoga `id` suffix). */
export type LiveTopicArgs = { [T in LiveTopic]: [LiveEvent] };

type LiveEventOnTopic = PubSubEvent<LiveTopicArgs, LiveTopic>;

/** Yoga's PubSub over live topics, the same for Redis and in process, plus what a transport needs. */
export type LiveBus = PubSub<LiveTopicArgs> & {
  /**
   * Resolves once every subscription started so far (a subscription starts when its iterator is first
   * pulled) is active on the transport: Redis subscribes asynchronously, and a publish before that is lost.
   */
  subscribed(): Promise<void>;
  /** Closes the Redis clients; nothing for the in-process bus. */
  close(): Promise<void>;
};

export type BusOptions = {
  /** Redis pub/sub, so every process sees every publish; in process when absent. */
  redisUrl?: string;
  log?: Logger;
};

export function createBus(options: BusOptions = {}): LiveBus {
  if (options.redisUrl === undefined) {
    return { ...createPubSub<LiveTopicArgs>(), subscribed: async () => {}, close: async () => {} };
  }
  const log = options.log;
  const client = (role: string) => {
    // Auto-pipelining sends the many small PUBLISHes of a busy PBX in few socket writes.
    const redis = new Redis(options.redisUrl as string, { connectionName: `switchboard-bus-${role}`, enableAutoPipelining: true });
    // ioredis reconnects on its own; without a listener it would print the error to the console.
    redis.on('error', (error: Error) => log?.warn({ err: error, role }, 'bus redis client error'));
    return redis;
  };
  const publishClient = client('publish');
  const subscribeClient = client('subscribe');
  const target = createRedisEventTarget<LiveEventOnTopic>({ publishClient, subscribeClient });
  const pubsub = createPubSub<LiveTopicArgs>({
    eventTarget: {
      addEventListener: target.addEventListener.bind(target),
      removeEventListener: target.removeEventListener.bind(target),
      // The package leaves its PUBLISH promise floating: once Redis gives up, the rejection would end the
      // process. Published the same way (JSON), but a failure is logged and the change dropped.
      dispatchEvent(event) {
        publishClient
          .publish(event.type, JSON.stringify(event.detail))
          .catch((error: unknown) => log?.warn({ err: error, topic: event.type }, 'bus publish failed'));
        return true;
      },
    },
  });
  return {
    ...pubsub,
    // Redis answers commands on one connection in order, so this PING returns after every earlier SUBSCRIBE.
    subscribed: async () => void (await subscribeClient.ping()),
    async close() {
      await Promise.allSettled([publishClient.quit(), subscribeClient.quit()]);
    },
  };
}

/** Publishes one change of server on every topic it belongs to. */
export function publishChange(bus: LiveBus, server: string, change: Change): void {
  const event = liveEvent(server, change);
  for (const topic of topicsOf(change)) bus.publish(topic, event);
}
