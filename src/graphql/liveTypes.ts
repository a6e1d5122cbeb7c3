import type {
  Agent,
  Call,
  Channel,
  DeviceState,
  OutboundRegistration,
  ParkedCall,
  ParkingLot,
  Pbx,
  Queue,
  QueueCaller,
  QueueMember,
} from '../live/state.js';
import { sinceReloadAt, uptimeAt } from '../live/pbx.js';
import type { LiveStore } from '../live/store.js';
import { builder } from './builder.js';

/**
 * The live objects of src/live/state.ts as GraphQL types: plain object refs over the reducer's own values,
 * times as DateTime (Asterisk's epoch milliseconds), state numbers next to their names.
 */

type Sortable = string | number | null;

/** items sorted by the keys given, in order (nulls first), without modifying items: the same input gives the same order. */
export function sortedBy<T>(items: readonly T[], key: (item: T) => readonly Sortable[]): T[] {
  const keyed = items.map((item) => ({ item, key: key(item) }));
  keyed.sort((a, b) => {
    for (let index = 0; index < a.key.length; index += 1) {
      const left = a.key[index] ?? null;
      const right = b.key[index] ?? null;
      if (left === right) continue;
      if (left === null) return -1;
      if (right === null) return 1;
      if (typeof left === 'number' && typeof right === 'number') return left - right;
      return String(left) < String(right) ? -1 : 1;
    }
    return 0;
  });
  return keyed.map((entry) => entry.item);
}

export const sortChannels = (channels: readonly Channel[]): Channel[] =>
  sortedBy(channels, (c) => [c.server, c.createdAt, c.uniqueid]);
export const sortMembers = (members: readonly QueueMember[]): QueueMember[] =>
  sortedBy(members, (m) => [m.server, m.queue, m.interface]);
export const sortCallers = (callers: readonly QueueCaller[]): QueueCaller[] =>
  sortedBy(callers, (c) => [c.server, c.queue, c.position, c.uniqueid]);
export const sortParkedCalls = (calls: readonly ParkedCall[]): ParkedCall[] =>
  sortedBy(calls, (p) => [p.server, p.lot, p.space]);

const time = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

export const LiveChangeKind = builder.enumType('LiveChangeKind', {
  description: 'What happened to a live object.',
  values: ['CREATED', 'UPDATED', 'REMOVED'] as const,
});

export const ChannelRef = builder.objectRef<Channel>('Channel').implement({
  description: 'A channel as the PBX reports it now.',
  fields: (t) => ({
    server: t.exposeString('server', { description: 'The PBX server it is on.' }),
    uniqueid: t.exposeString('uniqueid'),
    linkedid: t.exposeString('linkedid', { description: 'The uniqueid of the first channel of its call.' }),
    name: t.exposeString('name', { description: 'e.g. PJSIP/1001-00000007.' }),
    state: t.exposeInt('state', { description: 'AST_STATE number: 0 Down, 4 Ring, 5 Ringing, 6 Up, 7 Busy...' }),
    stateDesc: t.exposeString('stateDesc', { description: 'The state as Asterisk names it (Up, Ringing...).' }),
    callerIdNum: t.exposeString('callerIdNum', { description: "'' when Asterisk says <unknown>." }),
    callerIdName: t.exposeString('callerIdName'),
    connectedLineNum: t.exposeString('connectedLineNum'),
    connectedLineName: t.exposeString('connectedLineName'),
    context: t.exposeString('context'),
    exten: t.exposeString('exten'),
    priority: t.exposeInt('priority'),
    application: t.exposeString('application'),
    applicationData: t.exposeString('applicationData'),
    bridgeId: t.exposeString('bridgeId', { nullable: true }),
    hangupCause: t.exposeInt('hangupCause', { nullable: true, description: 'Q.850 cause, once the channel hung up.' }),
    hangupCauseText: t.exposeString('hangupCauseText', { nullable: true }),
    createdAt: t.field({ type: 'DateTime', nullable: true, resolve: (c) => time(c.createdAt) }),
    answeredAt: t.field({ type: 'DateTime', nullable: true, resolve: (c) => time(c.answeredAt) }),
    accountCode: t.exposeString('accountCode'),
    language: t.exposeString('language'),
  }),
});

/** The stored channels of one call, in the order they appeared (those already gone are left out). */
async function channelsOf(store: LiveStore, call: Call): Promise<Channel[]> {
  const found = await Promise.all(call.channels.map((uniqueid) => store.get('channel', call.server, uniqueid)));
  return found.filter((channel): channel is Channel => channel !== undefined);
}

export const CallRef = builder.objectRef<Call>('Call').implement({
  description: 'A call: the channels that share a linkedid.',
  fields: (t) => ({
    server: t.exposeString('server'),
    linkedid: t.exposeString('linkedid'),
    channelIds: t.exposeStringList('channels', { description: 'Uniqueids of its channels, in the order they appeared.' }),
    channels: t.field({ type: [ChannelRef], resolve: (call, _args, context) => channelsOf(context.store, call) }),
    createdAt: t.field({ type: 'DateTime', nullable: true, resolve: (c) => time(c.createdAt) }),
  }),
});

export const QueueMemberRef = builder.objectRef<QueueMember>('QueueMember').implement({
  description: 'An interface that answers calls of a queue.',
  fields: (t) => ({
    server: t.exposeString('server'),
    queue: t.exposeString('queue'),
    interface: t.exposeString('interface', { description: 'e.g. Local/1001@agents or Agent:1001.' }),
    name: t.exposeString('name'),
    stateInterface: t.exposeString('stateInterface'),
    membership: t.exposeString('membership', { description: 'static, dynamic or realtime.' }),
    penalty: t.exposeInt('penalty'),
    callsTaken: t.exposeInt('callsTaken'),
    lastCall: t.field({ type: 'DateTime', nullable: true, resolve: (m) => time(m.lastCall) }),
    lastPause: t.field({ type: 'DateTime', nullable: true, resolve: (m) => time(m.lastPause) }),
    loginTime: t.field({ type: 'DateTime', nullable: true, resolve: (m) => time(m.loginTime) }),
    inCall: t.exposeBoolean('inCall'),
    status: t.exposeInt('status', { description: 'AST_DEVICE_* number: 1 NOT_INUSE, 2 INUSE, 5 UNAVAILABLE, 6 RINGING...' }),
    statusName: t.exposeString('statusName', { description: 'The device state by name (NOT_INUSE, INUSE...).' }),
    paused: t.exposeBoolean('paused'),
    pausedReason: t.exposeString('pausedReason'),
    wrapUpSec: t.exposeInt('wrapUpTime'),
  }),
});

export const QueueCallerRef = builder.objectRef<QueueCaller>('QueueCaller').implement({
  description: 'A caller waiting in a queue.',
  fields: (t) => ({
    server: t.exposeString('server'),
    queue: t.exposeString('queue'),
    uniqueid: t.exposeString('uniqueid'),
    channel: t.exposeString('channel'),
    position: t.exposeInt('position', { description: 'From 1, the next to be answered.' }),
    callerIdNum: t.exposeString('callerIdNum'),
    callerIdName: t.exposeString('callerIdName'),
    connectedLineNum: t.exposeString('connectedLineNum'),
    connectedLineName: t.exposeString('connectedLineName'),
    waitingSince: t.field({ type: 'DateTime', nullable: true, resolve: (c) => time(c.waitingSince) }),
    priority: t.exposeInt('priority', { nullable: true }),
    abandoned: t.exposeBoolean('abandoned', { description: 'Set on the REMOVED event of a caller who hung up waiting.' }),
  }),
});

export const QueueRef = builder.objectRef<Queue>('Queue').implement({
  description: 'A queue with its parameters (QueueParams) and figures (QueueSummary), as last reported.',
  fields: (t) => ({
    server: t.exposeString('server'),
    name: t.exposeString('name'),
    strategy: t.exposeString('strategy', { nullable: true }),
    max: t.exposeInt('max', { nullable: true }),
    calls: t.exposeInt('calls', { description: 'Callers waiting.' }),
    holdSec: t.exposeInt('holdTime', { nullable: true, description: 'The average hold, as app_queue keeps it.' }),
    talkSec: t.exposeInt('talkTime', { nullable: true, description: 'The average talk, as app_queue keeps it.' }),
    completed: t.exposeInt('completed', { nullable: true }),
    abandoned: t.exposeInt('abandoned', { nullable: true }),
    serviceLevelSec: t.exposeInt('serviceLevel', { nullable: true, description: 'The service level threshold.' }),
    serviceLevelPerf: t.exposeFloat('serviceLevelPerf', { nullable: true }),
    serviceLevelPerf2: t.exposeFloat('serviceLevelPerf2', { nullable: true }),
    weight: t.exposeInt('weight', { nullable: true }),
    loggedIn: t.exposeInt('loggedIn', { nullable: true }),
    available: t.exposeInt('available', { nullable: true }),
    longestHoldSec: t.exposeInt('longestHoldTime', { nullable: true }),
    members: t.field({
      type: [QueueMemberRef],
      resolve: async (queue, _args, context) =>
        sortMembers((await context.store.list('queueMember', { server: queue.server })).filter((m) => m.queue === queue.name)),
    }),
    callers: t.field({
      type: [QueueCallerRef],
      description: 'By position.',
      resolve: async (queue, _args, context) =>
        sortCallers((await context.store.list('queueCaller', { server: queue.server })).filter((c) => c.queue === queue.name)),
    }),
  }),
});

export const ParkedCallLeaveReasonRef = builder.enumType('ParkedCallLeaveReason', {
  values: ['RETRIEVED', 'TIMED_OUT', 'GAVE_UP'] as const,
});

export const ParkedCallRef = builder.objectRef<ParkedCall>('ParkedCall').implement({
  fields: (t) => ({
    server: t.exposeString('server'),
    lot: t.exposeString('lot'),
    space: t.exposeInt('space'),
    parkeeChannel: t.exposeString('parkeeChannel'),
    parkeeUniqueid: t.exposeString('parkeeUniqueid'),
    parkeeLinkedid: t.exposeString('parkeeLinkedid'),
    parkeeCallerIdNum: t.exposeString('parkeeCallerIdNum'),
    parkeeCallerIdName: t.exposeString('parkeeCallerIdName'),
    parkeeConnectedLineNum: t.exposeString('parkeeConnectedLineNum'),
    parkeeConnectedLineName: t.exposeString('parkeeConnectedLineName'),
    parkerDialString: t.exposeString('parkerDialString'),
    timeoutSec: t.exposeInt('timeout', { description: 'How long the call may stay parked in all.' }),
    parkedAt: t.field({ type: 'DateTime', nullable: true, resolve: (p) => time(p.parkedAt) }),
    leaveReason: t.field({
      type: ParkedCallLeaveReasonRef,
      nullable: true,
      description: 'Null while parked; on the REMOVED event, how the call left the lot.',
      resolve: (p) => p.leaveReason,
    }),
    retrieverChannel: t.exposeString('retrieverChannel', { nullable: true }),
  }),
});

export const ParkingLotRef = builder.objectRef<ParkingLot>('ParkingLot').implement({
  fields: (t) => ({
    server: t.exposeString('server'),
    name: t.exposeString('name'),
    startSpace: t.exposeInt('startSpace'),
    stopSpace: t.exposeInt('stopSpace'),
    timeoutSec: t.exposeInt('timeout', { description: 'How long a call may stay parked.' }),
    calls: t.field({
      type: [ParkedCallRef],
      description: 'The calls parked in it now, by space.',
      resolve: async (lot, _args, context) =>
        sortParkedCalls((await context.store.list('parkedCall', { server: lot.server })).filter((p) => p.lot === lot.name)),
    }),
  }),
});

export const AgentStatusRef = builder.enumType('AgentStatus', { values: ['LOGGED_OFF', 'IDLE', 'ON_CALL'] as const });

export const AgentRef = builder.objectRef<Agent>('Agent').implement({
  description: 'An app_agent_pool agent; its device is Agent:<id>.',
  fields: (t) => ({
    server: t.exposeString('server'),
    id: t.exposeString('id'),
    name: t.exposeString('name'),
    status: t.field({ type: AgentStatusRef, resolve: (a) => a.status }),
    loginTime: t.field({ type: 'DateTime', nullable: true, resolve: (a) => time(a.loginTime) }),
    channel: t.exposeString('channel', { nullable: true, description: 'The channel the agent logged in on.' }),
    channelUniqueid: t.exposeString('channelUniqueid', { nullable: true }),
    talkingTo: t.exposeString('talkingTo', { nullable: true, description: 'The channel bridged with the agent, while ON_CALL.' }),
    callStarted: t.field({ type: 'DateTime', nullable: true, resolve: (a) => time(a.callStarted) }),
    queue: t.exposeString('queue', { nullable: true, description: 'The queue whose call is offered to or connected to the agent.' }),
    callerChannel: t.exposeString('callerChannel', { nullable: true }),
    callerUniqueid: t.exposeString('callerUniqueid', { nullable: true }),
    ringing: t.exposeBoolean('ringing'),
    deviceState: t.exposeString('deviceState', { nullable: true, description: 'The Agent:<id> device state.' }),
    wrapUp: t.exposeBoolean('wrapUp', { description: 'In app_agent_pool wrap-up time.' }),
  }),
});

export const DeviceRef = builder.objectRef<DeviceState>('Device').implement({
  description: 'A device and its state (DeviceStateChange).',
  fields: (t) => ({
    server: t.exposeString('server'),
    device: t.exposeString('device', { description: 'e.g. PJSIP/1001, Agent:1001, Queue:sales_avail.' }),
    state: t.exposeString('state', { description: 'NOT_INUSE, INUSE, BUSY, INVALID, UNAVAILABLE, RINGING, RINGINUSE, ONHOLD or UNKNOWN.' }),
  }),
});

export const RegistrationStatusRef = builder.enumType('RegistrationStatus', {
  description: 'How the registrar last answered, as Asterisk names it.',
  values: {
    REGISTERED: { value: 'Registered' },
    UNREGISTERED: { value: 'Unregistered', description: 'Not registered yet, unregistered, or stopped.' },
    REJECTED: { value: 'Rejected', description: 'Refused, for now (it retries) or for good.' },
  } as const,
});

export const OutboundRegistrationRef = builder.objectRef<OutboundRegistration>('OutboundRegistration').implement({
  description: "A PJSIP outbound registration: how the PBX registers with a carrier so that the carrier's calls reach it.",
  fields: (t) => ({
    server: t.exposeString('server'),
    name: t.exposeString('name', { description: 'The registration object of pjsip.conf.' }),
    endpoint: t.exposeString('endpoint', { nullable: true, description: "Its endpoint option: the endpoint the carrier's calls come in on." }),
    status: t.field({ type: RegistrationStatusRef, nullable: true, description: 'Null while Asterisk holds no state for it.', resolve: (r) => r.status }),
    statusChangedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it took that status; null when only a resync said so.', resolve: (r) => time(r.statusChangedAt) }),
    serverUri: t.exposeString('serverUri'),
    clientUri: t.exposeString('clientUri'),
  }),
});

export const PbxStatusRef = builder.objectRef<Pbx>('PbxStatus').implement({
  description: 'What a PBX server says of itself (CoreSettings, CoreStatus, FullyBooted, Reload).',
  fields: (t) => ({
    server: t.exposeString('server'),
    amiVersion: t.exposeString('amiVersion', { nullable: true }),
    asteriskVersion: t.exposeString('asteriskVersion', { nullable: true }),
    systemName: t.exposeString('systemName', { nullable: true }),
    maxCalls: t.exposeInt('maxCalls', { nullable: true }),
    startedAt: t.exposeString('startedAt', { nullable: true, description: "YYYY-MM-DD HH:MM:SS in the PBX's own local time." }),
    reloadedAt: t.exposeString('reloadedAt', { nullable: true, description: "YYYY-MM-DD HH:MM:SS in the PBX's own local time." }),
    currentCalls: t.exposeInt('currentCalls', { nullable: true, description: 'Channels up now (CoreStatus counts channels, a Local call is two).' }),
    callsUp: t.int({
      description: 'Calls up now: its live channels grouped by linkedid (a Local pair and the leg it dialed are one call).',
      resolve: async (pbx, _args, context) => (await context.store.list('call', { server: pbx.server })).length,
    }),
    processedCalls: t.exposeInt('processedCalls', { nullable: true, description: 'Calls that ran the dialplan since start, asked of the PBX every minute: no event counts them.' }),
    fullyBooted: t.exposeBoolean('fullyBooted'),
    uptimeSec: t.int({ nullable: true, description: "Since start, now (by the PBX's clock at login).", resolve: (p) => uptimeAt(p, Date.now()) }),
    sinceReloadSec: t.int({ nullable: true, description: 'Since the last reload, now.', resolve: (p) => sinceReloadAt(p, Date.now()) }),
    lastReloadAt: t.field({ type: 'DateTime', nullable: true, resolve: (p) => time(p.lastReloadAt) }),
    lastReloadModule: t.exposeString('lastReloadModule', { nullable: true }),
    shuttingDown: t.exposeBoolean('shuttingDown'),
    connected: t.exposeBoolean('connected', { description: "Whether the worker's AMI session to it is up now; while it is not, the other figures are as last heard." }),
  }),
});
