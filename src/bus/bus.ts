import { setMaxListeners } from 'node:events';
import { createPubSub, type PubSub, type PubSubEvent } from 'graphql-yoga';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { ChangePublisher } from '../live/ingest.js';
import type { Change } from '../live/state.js';
import type { CampaignProgress } from '../outbound/campaignProgress.js';
import type { CampaignTopic } from './campaignTopics.js';
import type { CredentialSubject } from '../auth/credentialWatch.js';
import type { CredentialsTopic } from './credentialChanges.js';
import { liveEvent, topicsOf, type LiveEvent, type LiveTopic } from './topics.js';

/**
 * Live topics carry LiveEvents, campaign topics CampaignProgress, the credentials topic what changed; the
 * topic is the whole routing key (no yoga `id` suffix).
 */
export type BusTopicArgs = { [T in LiveTopic]: [LiveEvent] } & { [T in CampaignTopic]: [CampaignProgress] } & { [T in CredentialsTopic]: [CredentialSubject] };

type BusPayload = LiveEvent | CampaignProgress | CredentialSubject;
type BusEvent = PubSubEvent<BusTopicArgs, LiveTopic | CampaignTopic | CredentialsTopic>;
type BusListener = ((event: BusEvent) => void) | { handleEvent(event: BusEvent): void };

/** Yoga's PubSub over live topics, the same for Redis and in process, plus what a transport needs. */
export type LiveBus = PubSub<BusTopicArgs> & {
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
    const target = createLocalEventTarget();
    const pubsub = createPubSub<BusTopicArgs>({ eventTarget: target });
    return {
      ...pubsub,
      // Most topics have nobody listening in this process (a caller id, a queue no wallboard shows): skip building their events.
      publish: (topic, ...args) => {
        if (target.listens(topic)) pubsub.publish(topic, ...args);
      },
      subscribed: async () => {},
      close: async () => {},
    };
  }
  const log = options.log;
  const client = (role: string) => {
    const redis = new Redis(options.redisUrl as string, { connectionName: `switchboard-bus-${role}` });
    // ioredis reconnects on its own; without a listener it would print the error to the console.
    redis.on('error', (error: Error) => log?.warn({ err: error, role }, 'bus redis client error'));
    return redis;
  };
  const publishClient = client('publish');
  const subscribeClient = client('subscribe');
  const target = createBatchingEventTarget(publishClient, subscribeClient, log);
  return {
    ...createPubSub<BusTopicArgs>({ eventTarget: target }),
    // Redis answers commands on one connection in order, so this PING returns after every earlier SUBSCRIBE.
    subscribed: async () => void (await subscribeClient.ping()),
    async close() {
      target.flush();
      await Promise.allSettled([publishClient.quit(), subscribeClient.quit()]);
    },
  };
}

/**
 * Live events over Redis pub/sub, one channel per topic, through @graphql-yoga/redis-event-target. A message
 * is what one tick published on a topic: one event as its JSON, several as a JSON array of them in order.
 * A busy PBX changes hundreds of objects per batch of events; one PUBLISH per topic per tick instead of one
 * per change and topic is what lets the worker keep up. The package subscribes and parses; each listener
 * is handed the events of a message one by one.
 */
function createBatchingEventTarget(publishClient: Redis, subscribeClient: Redis, log: Logger | undefined) {
  const target = createRedisEventTarget<PubSubEvent<Record<string, [BusPayload | BusPayload[]]>, string>>({ publishClient, subscribeClient });
  // Each listener's wrapper, by topic, so removing it removes what was added.
  const unwrapped = new Map<string, Map<BusListener, (message: CustomEvent<BusPayload | BusPayload[]>) => void>>();
  const unsent = new Map<string, string[]>();
  let lastDetail: unknown;
  let lastJson = '';

  const flush = () => {
    for (const [topic, jsons] of unsent) {
      publishClient
        .publish(topic, jsons.length === 1 ? (jsons[0] as string) : `[${jsons.join(',')}]`)
        // A failed publish is logged and its changes dropped: a floating rejection would end the process.
        .catch((error: unknown) => log?.warn({ err: error, topic, events: jsons.length }, 'bus publish failed'));
    }
    unsent.clear();
  };

  return {
    /** Sends what was published and not sent yet, at once (close calls it before quitting). */
    flush,
    addEventListener(topic: string, listener: BusListener | null) {
      const wrappers = unwrapped.get(topic) ?? new Map<BusListener, (message: CustomEvent<BusPayload | BusPayload[]>) => void>();
      if (listener === null || wrappers.has(listener)) return;
      const each = (message: CustomEvent<BusPayload | BusPayload[]>) => {
        for (const detail of Array.isArray(message.detail) ? message.detail : [message.detail]) {
          const event = new CustomEvent(topic, { detail }) as BusEvent;
          // A subscriber that throws (a slow client's buffer overflowing) must not cost the others this event.
          try {
            if (typeof listener === 'function') listener(event);
            else listener.handleEvent(event);
          } catch (error) {
            log?.warn({ err: error, topic }, 'a bus subscriber failed to take an event; it is lost to it');
          }
        }
      };
      wrappers.set(listener, each);
      unwrapped.set(topic, wrappers);
      target.addEventListener(topic, each as EventListener);
    },
    removeEventListener(topic: string, listener: BusListener | null) {
      const wrappers = unwrapped.get(topic);
      const each = listener === null ? undefined : wrappers?.get(listener);
      if (listener === null || wrappers === undefined || each === undefined) return;
      wrappers.delete(listener);
      if (wrappers.size === 0) unwrapped.delete(topic);
      target.removeEventListener(topic, each as EventListener);
    },
    dispatchEvent(event: BusEvent) {
      // publishChange hands the same event to each of its topics in a row: serialised once for all of them.
      if (event.detail !== lastDetail) {
        lastDetail = event.detail;
        lastJson = JSON.stringify(event.detail);
      }
      let jsons = unsent.get(event.type);
      if (jsons === undefined) {
        if (unsent.size === 0) queueMicrotask(flush);
        unsent.set(event.type, (jsons = []));
      }
      jsons.push(lastJson);
      return true;
    },
  };
}

/** An EventTarget for the in-process bus that can tell whether anyone listens to a topic. */
function createLocalEventTarget() {
  const target = new EventTarget();
  // One listener per subscription: fifty wallboards on one topic are what it is for, not a leak to warn of.
  setMaxListeners(Infinity, target);
  const listening = new Map<string, Set<BusListener>>();
  return {
    listens: (topic: string) => listening.has(topic),
    addEventListener(topic: string, listener: BusListener | null) {
      if (listener === null) return;
      const listeners = listening.get(topic) ?? new Set<BusListener>();
      listening.set(topic, listeners.add(listener));
      target.addEventListener(topic, listener as EventListener);
    },
    removeEventListener(topic: string, listener: BusListener | null) {
      if (listener === null) return;
      const listeners = listening.get(topic);
      listeners?.delete(listener);
      if (listeners?.size === 0) listening.delete(topic);
      target.removeEventListener(topic, listener as EventListener);
    },
    dispatchEvent: (event: BusEvent) => target.dispatchEvent(event),
  };
}

/** Publishes one change of server on every topic it belongs to. */
export function publishChange(bus: LiveBus, server: string, change: Change): void {
  const event = liveEvent(server, change);
  for (const topic of topicsOf(change)) bus.publish(topic, event);
}

/** What the ingest publishes through: this bus, on each change's topics. */
export function changePublisher(bus: LiveBus): ChangePublisher {
  return (server, change) => publishChange(bus, server, change);
}
