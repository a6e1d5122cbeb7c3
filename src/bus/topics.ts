import type { Change, ChangeKind, Entities, EntityName } from '../live/state.js';

/**
 * What subscribers receive for one change of the live state: the server it happened on, what happened
 * (CREATED, UPDATED, REMOVED), and the full object (its last state when REMOVED).
 */
export type LiveEvent = {
  [E in EntityName]: {
    readonly server: string;
    readonly kind: ChangeKind;
    readonly entity: E;
    readonly key: string;
    readonly value: Entities[E];
  };
}[EntityName];

/**
 * Topic names, in the spirit of jade's websocket topics: one per entity for everything, and narrower ones
 * per caller id, queue and parking lot so a wallboard for one queue hears nothing of the others.
 */
export type LiveTopic =
  | 'live.channel'
  | `live.channel.callerid.${string}`
  | 'live.call'
  | 'live.bridge'
  | 'live.queue'
  | `live.queue.${string}`
  | 'live.park'
  | `live.park.${string}`
  | 'live.agent'
  | 'live.device'
  | 'live.extension'
  | 'live.registration'
  | 'live.pbx';

export const topics = {
  channels: 'live.channel',
  channelsOfCallerId: (number: string): LiveTopic => `live.channel.callerid.${number}`,
  calls: 'live.call',
  bridges: 'live.bridge',
  queues: 'live.queue',
  /** Changes of the queue itself, its members and its callers. */
  queue: (name: string): LiveTopic => `live.queue.${name}`,
  parking: 'live.park',
  /** Changes of the lot itself and its parked calls. */
  parkingLot: (lot: string): LiveTopic => `live.park.${lot}`,
  agents: 'live.agent',
  devices: 'live.device',
  extensions: 'live.extension',
  registrations: 'live.registration',
  pbx: 'live.pbx',
} as const satisfies Record<string, LiveTopic | ((name: string) => LiveTopic)>;

export function liveEvent(server: string, change: Change): LiveEvent {
  return { server, ...change } as LiveEvent;
}

/**
 * Every topic a change is published on. A channel is published under its caller id as it is now, so a
 * subscriber to a number hears a channel from the change that gave it that number on.
 */
export function topicsOf(change: Change): LiveTopic[] {
  switch (change.entity) {
    case 'channel':
      return change.value.callerIdNum === ''
        ? [topics.channels]
        : [topics.channels, topics.channelsOfCallerId(change.value.callerIdNum)];
    case 'call':
      return [topics.calls];
    case 'bridge':
      return [topics.bridges];
    case 'queue':
      return [topics.queues, topics.queue(change.value.name)];
    case 'queueMember':
    case 'queueCaller':
      return [topics.queues, topics.queue(change.value.queue)];
    case 'parkingLot':
      return [topics.parking, topics.parkingLot(change.value.name)];
    case 'parkedCall':
      return [topics.parking, topics.parkingLot(change.value.lot)];
    case 'agent':
      return [topics.agents];
    case 'device':
      return [topics.devices];
    case 'extension':
      return [topics.extensions];
    case 'registration':
      return [topics.registrations];
    case 'pbx':
      return [topics.pbx];
  }
}
