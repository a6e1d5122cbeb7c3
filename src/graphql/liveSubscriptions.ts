import { filter, pipe } from 'graphql-yoga';
import { topics, type LiveEvent, type LiveTopic } from '../bus/topics.js';
import { builder } from './builder.js';
import type { Context } from './context.js';
import {
  AgentRef,
  ChannelRef,
  DeviceRef,
  LiveChangeKind,
  ParkedCallRef,
  ParkingLotRef,
  PbxStatusRef,
  QueueCallerRef,
  QueueMemberRef,
  QueueRef,
  sortedBy,
} from './liveTypes.js';
import { changedItems } from './liveSnapshots.js';

/**
 * Live changes as they happen, over graphql-ws (ws://.../graphql) or SSE (yoga's own): each event says
 * what happened (CREATED, UPDATED, REMOVED), on which server, and carries the full object as it is now (its
 * last state when REMOVED).
 */

type EventOf<E extends LiveEvent['entity']> = Extract<LiveEvent, { entity: E }>;
type ChannelEvent = EventOf<'channel'>;
type QueueEvent = EventOf<'queue' | 'queueMember' | 'queueCaller'>;
type ParkEvent = EventOf<'parkingLot' | 'parkedCall'>;
type AgentEvent = EventOf<'agent'>;
type DeviceEvent = EventOf<'device'>;

/** The events of a topic for the entities wanted, of one server when server is given. */
function eventsOf<T extends LiveEvent>(
  context: Context,
  topic: LiveTopic,
  wanted: (event: LiveEvent) => event is T,
  server: string | null | undefined,
): AsyncIterable<T> {
  return pipe(
    context.bus.subscribe(topic),
    filter((event: LiveEvent): event is T => wanted(event) && (server == null || event.server === server)),
  );
}

const isEntity =
  <E extends LiveEvent['entity']>(...entities: E[]) =>
  (event: LiveEvent): event is EventOf<E> =>
    (entities as string[]).includes(event.entity);

builder.subscriptionType({});

const SERVER_DESCRIPTION = "Only this PBX server's events; every server's when absent.";

const ChannelEventFilter = builder.inputType('ChannelEventFilter', {
  fields: (t) => ({
    server: t.string({ description: SERVER_DESCRIPTION }),
    callerIdNum: t.string({ description: 'Only channels with this caller id number (from the change that gave them the number on).' }),
  }),
});

const ChannelEventRef = builder.objectRef<ChannelEvent>('ChannelEvent').implement({
  fields: (t) => ({
    kind: t.field({ type: LiveChangeKind, resolve: (event) => event.kind }),
    server: t.exposeString('server'),
    channel: t.field({ type: ChannelRef, resolve: (event) => event.value }),
  }),
});

const QueueEventEntity = builder.enumType('QueueEventEntity', {
  description: 'What changed: the queue itself, one of its members or one of its callers.',
  values: ['QUEUE', 'MEMBER', 'CALLER'] as const,
});

const QUEUE_ENTITIES = { queue: 'QUEUE', queueMember: 'MEMBER', queueCaller: 'CALLER' } as const;

const QueueEventRef = builder.objectRef<QueueEvent>('QueueEvent').implement({
  description: 'A change of a queue, of one of its members or of one of its callers: the field named by entity is set.',
  fields: (t) => ({
    kind: t.field({ type: LiveChangeKind, resolve: (event) => event.kind }),
    server: t.exposeString('server'),
    entity: t.field({ type: QueueEventEntity, resolve: (event) => QUEUE_ENTITIES[event.entity] }),
    queueName: t.string({ resolve: (event) => (event.entity === 'queue' ? event.value.name : event.value.queue) }),
    queue: t.field({ type: QueueRef, nullable: true, resolve: (event) => (event.entity === 'queue' ? event.value : null) }),
    member: t.field({ type: QueueMemberRef, nullable: true, resolve: (event) => (event.entity === 'queueMember' ? event.value : null) }),
    caller: t.field({ type: QueueCallerRef, nullable: true, resolve: (event) => (event.entity === 'queueCaller' ? event.value : null) }),
  }),
});

const ParkEventEntity = builder.enumType('ParkEventEntity', {
  description: 'What changed: the parking lot itself or a call parked in it.',
  values: ['LOT', 'PARKED_CALL'] as const,
});

const ParkEventRef = builder.objectRef<ParkEvent>('ParkEvent').implement({
  description: 'A change of a parking lot or of a call parked in it: the field named by entity is set.',
  fields: (t) => ({
    kind: t.field({ type: LiveChangeKind, resolve: (event) => event.kind }),
    server: t.exposeString('server'),
    entity: t.field({ type: ParkEventEntity, resolve: (event) => (event.entity === 'parkingLot' ? 'LOT' : 'PARKED_CALL') }),
    lotName: t.string({ resolve: (event) => (event.entity === 'parkingLot' ? event.value.name : event.value.lot) }),
    lot: t.field({ type: ParkingLotRef, nullable: true, resolve: (event) => (event.entity === 'parkingLot' ? event.value : null) }),
    parkedCall: t.field({
      type: ParkedCallRef,
      nullable: true,
      description: 'On REMOVED, its leaveReason says how it left the lot.',
      resolve: (event) => (event.entity === 'parkedCall' ? event.value : null),
    }),
  }),
});

const AgentEventRef = builder.objectRef<AgentEvent>('AgentEvent').implement({
  fields: (t) => ({
    kind: t.field({ type: LiveChangeKind, resolve: (event) => event.kind }),
    server: t.exposeString('server'),
    agent: t.field({ type: AgentRef, resolve: (event) => event.value }),
  }),
});

const DeviceEventRef = builder.objectRef<DeviceEvent>('DeviceEvent').implement({
  fields: (t) => ({
    kind: t.field({ type: LiveChangeKind, resolve: (event) => event.kind }),
    server: t.exposeString('server'),
    device: t.field({ type: DeviceRef, resolve: (event) => event.value }),
  }),
});

builder.subscriptionFields((t) => ({
  channelEvents: t.field({
    type: ChannelEventRef,
    authScopes: { role: 'VIEWER' },
    description: 'Channels created, updated and hung up.',
    args: { filter: t.arg({ type: ChannelEventFilter }) },
    subscribe: (_root, args, context) => {
      const number = args.filter?.callerIdNum;
      const topic = number == null || number === '' ? topics.channels : topics.channelsOfCallerId(number);
      return eventsOf(context, topic, isEntity('channel'), args.filter?.server);
    },
    resolve: (event) => event,
  }),
  queueEvents: t.field({
    type: QueueEventRef,
    authScopes: { role: 'VIEWER' },
    description: 'Changes of one queue, its members and its callers.',
    args: { queue: t.arg.string({ required: true }), server: t.arg.string({ description: SERVER_DESCRIPTION }) },
    subscribe: (_root, args, context) =>
      eventsOf(context, topics.queue(args.queue), isEntity('queue', 'queueMember', 'queueCaller'), args.server),
    resolve: (event) => event,
  }),
  parkEvents: t.field({
    type: ParkEventRef,
    authScopes: { role: 'VIEWER' },
    description: 'Changes of one parking lot and the calls parked in it.',
    args: { lot: t.arg.string({ required: true }), server: t.arg.string({ description: SERVER_DESCRIPTION }) },
    subscribe: (_root, args, context) =>
      eventsOf(context, topics.parkingLot(args.lot), isEntity('parkingLot', 'parkedCall'), args.server),
    resolve: (event) => event,
  }),
  agentEvents: t.field({
    type: AgentEventRef,
    authScopes: { role: 'VIEWER' },
    description: 'app_agent_pool agents logging in, taking calls, wrapping up and logging off.',
    args: { server: t.arg.string({ description: SERVER_DESCRIPTION }) },
    subscribe: (_root, args, context) => eventsOf(context, topics.agents, isEntity('agent'), args.server),
    resolve: (event) => event,
  }),
  deviceEvents: t.field({
    type: DeviceEventRef,
    authScopes: { role: 'VIEWER' },
    description: 'Device state changes.',
    args: { server: t.arg.string({ description: SERVER_DESCRIPTION }) },
    subscribe: (_root, args, context) => eventsOf(context, topics.devices, isEntity('device'), args.server),
    resolve: (event) => event,
  }),
  pbxEvents: t.field({
    type: PbxStatusRef,
    authScopes: { role: 'VIEWER' },
    description: 'What each PBX says of itself as it is now, then each one again whenever that changes (its session up or down, its calls up, a reload), at most twice a second.',
    args: { server: t.arg.string({ description: SERVER_DESCRIPTION }) },
    subscribe: (_root, args, context) =>
      changedItems({
        // Its calls too: a PBX that never answered CoreStatus has no channel count to move with them.
        sources: [context.bus.subscribe(topics.pbx), context.bus.subscribe(topics.calls)],
        read: async () => sortedBy(await context.store.list('pbx', { server: args.server ?? undefined }), (pbx) => [pbx.server]),
        keyOf: (pbx) => pbx.server,
        // Its channels up change with every call: twice a second is what a screen can show, within a second of the PBX.
        minIntervalMs: 500,
      }),
    resolve: (pbx) => pbx,
  }),
}));
