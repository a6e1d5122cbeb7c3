import { Table } from './table.js';

/**
 * The live state of one PBX server as the reducer keeps it. Every object carries its server; times are
 * epoch milliseconds (null when Asterisk did not say); caller ids use '' where Asterisk writes `<unknown>`.
 */

export type Channel = {
  readonly server: string;
  readonly uniqueid: string;
  readonly linkedid: string;
  readonly name: string;
  /** AST_STATE number: 0 Down, 4 Ring, 5 Ringing, 6 Up, 7 Busy... */
  readonly state: number;
  readonly stateDesc: string;
  readonly callerIdNum: string;
  readonly callerIdName: string;
  readonly connectedLineNum: string;
  readonly connectedLineName: string;
  readonly context: string;
  readonly exten: string;
  readonly priority: number;
  readonly application: string;
  readonly applicationData: string;
  readonly bridgeId: string | null;
  readonly hangupCause: number | null;
  readonly hangupCauseText: string | null;
  readonly createdAt: number | null;
  readonly answeredAt: number | null;
  readonly accountCode: string;
  readonly language: string;
};

/** A call: the channels sharing a linkedid, in the order they appeared. */
export type Call = {
  readonly server: string;
  readonly linkedid: string;
  readonly channels: readonly string[];
  readonly createdAt: number | null;
};

export type Bridge = {
  readonly server: string;
  readonly id: string;
  /** '' when only a CoreShowChannel BridgeId told us the bridge exists. */
  readonly type: string;
  readonly technology: string;
  readonly creator: string;
  readonly name: string;
  /** Uniqueids of the channels in the bridge, in the order they entered. */
  readonly channels: readonly string[];
  readonly createdAt: number | null;
};

/** Params from QueueParams (null until one is seen) and figures from QueueSummary, as last reported. */
export type Queue = {
  readonly server: string;
  readonly name: string;
  readonly strategy: string | null;
  readonly max: number | null;
  /** Callers waiting: QueueParams Calls, QueueSummary Callers, and the Count of every join and leave. */
  readonly calls: number;
  readonly holdTime: number | null;
  readonly talkTime: number | null;
  readonly completed: number | null;
  readonly abandoned: number | null;
  readonly serviceLevel: number | null;
  readonly serviceLevelPerf: number | null;
  readonly serviceLevelPerf2: number | null;
  readonly weight: number | null;
  readonly loggedIn: number | null;
  readonly available: number | null;
  readonly longestHoldTime: number | null;
  /** Calls answered and abandoned today, counted from the events as they come; null until the first one. */
  readonly today: QueueDay | null;
};

/**
 * A queue's calls of one day, local midnight to midnight in the processes' time zone (TZ): Asterisk's own figures
 * run from its last queue reset, which a wallboard cannot tell apart from a day.
 */
export type QueueDay = {
  /** YYYY-MM-DD. */
  readonly day: string;
  readonly answered: number;
  readonly abandoned: number;
};

export type QueueMember = {
  readonly server: string;
  readonly queue: string;
  readonly interface: string;
  readonly name: string;
  readonly stateInterface: string;
  /** 'static', 'dynamic' or 'realtime'. */
  readonly membership: string;
  readonly penalty: number;
  readonly callsTaken: number;
  readonly lastCall: number | null;
  readonly lastPause: number | null;
  readonly loginTime: number | null;
  readonly inCall: boolean;
  /** The member's device state number (AST_DEVICE_*) and its name. */
  readonly status: number;
  readonly statusName: string;
  readonly paused: boolean;
  readonly pausedReason: string;
  readonly wrapUpTime: number;
};

export type QueueCaller = {
  readonly server: string;
  readonly queue: string;
  readonly uniqueid: string;
  readonly channel: string;
  readonly position: number;
  readonly callerIdNum: string;
  readonly callerIdName: string;
  readonly connectedLineNum: string;
  readonly connectedLineName: string;
  readonly waitingSince: number | null;
  readonly priority: number | null;
  /** Set by QueueCallerAbandon, which Asterisk sends just before the caller's QueueCallerLeave. */
  readonly abandoned: boolean;
};

export type ParkingLot = {
  readonly server: string;
  readonly name: string;
  readonly startSpace: number;
  readonly stopSpace: number;
  /** Seconds a call may stay parked. */
  readonly timeout: number;
};

export type ParkedCallLeaveReason = 'RETRIEVED' | 'TIMED_OUT' | 'GAVE_UP';

export type ParkedCall = {
  readonly server: string;
  readonly lot: string;
  readonly space: number;
  readonly parkeeChannel: string;
  readonly parkeeUniqueid: string;
  readonly parkeeLinkedid: string;
  readonly parkeeCallerIdNum: string;
  readonly parkeeCallerIdName: string;
  readonly parkeeConnectedLineNum: string;
  readonly parkeeConnectedLineName: string;
  readonly parkerDialString: string;
  /** Seconds the call may stay parked in all (Asterisk's remaining ParkingTimeout plus ParkingDuration). */
  readonly timeout: number;
  readonly parkedAt: number | null;
  /** Null while parked; on the REMOVED change, how the call left the lot. */
  readonly leaveReason: ParkedCallLeaveReason | null;
  readonly retrieverChannel: string | null;
};

export type AgentStatus = 'LOGGED_OFF' | 'IDLE' | 'ON_CALL';

/** An app_agent_pool agent (agents.conf), reached through AgentRequest; its device is `Agent:<id>`. */
export type Agent = {
  readonly server: string;
  readonly id: string;
  readonly name: string;
  readonly status: AgentStatus;
  readonly loginTime: number | null;
  /** The channel the agent logged in on (it stays up as the agent's session). */
  readonly channel: string | null;
  readonly channelUniqueid: string | null;
  /** The channel bridged with the agent's session (Asterisk's BRIDGEPEER), while ON_CALL. */
  readonly talkingTo: string | null;
  readonly callStarted: number | null;
  /** The queue call offered to (ringing) or connected to the agent, with its caller's channel. */
  readonly queue: string | null;
  readonly callerChannel: string | null;
  readonly callerUniqueid: string | null;
  readonly ringing: boolean;
  /** The `Agent:<id>` device state: INUSE from a call being offered until wrap-up ends, UNAVAILABLE logged off. */
  readonly deviceState: string | null;
  /** Logged in, not on a call, not ringing, and the device still INUSE: app_agent_pool's wrap-up time. */
  readonly wrapUp: boolean;
};

export type DeviceState = {
  readonly server: string;
  readonly device: string;
  /** NOT_INUSE, INUSE, BUSY, INVALID, UNAVAILABLE, RINGING, RINGINUSE, ONHOLD or UNKNOWN. */
  readonly state: string;
};

export type ExtensionState = {
  readonly server: string;
  readonly exten: string;
  readonly context: string;
  readonly hint: string;
  /** AST_EXTENSION_* bits: 0 Idle, 1 InUse, 2 Busy, 4 Unavailable, 8 Ringing, 16 Hold (9 InUse&Ringing...). */
  readonly status: number;
  readonly statusText: string;
};

/** What Asterisk says of a PJSIP outbound registration: Registered, Unregistered or Rejected (temporarily or for good). */
export type RegistrationStatus = 'Registered' | 'Unregistered' | 'Rejected';

/** A PJSIP outbound registration (a `type=registration` object of pjsip.conf): how the PBX registers with a carrier. */
export type OutboundRegistration = {
  readonly server: string;
  /** The object's name. */
  readonly name: string;
  /** Its `endpoint` option: the endpoint that takes the calls the carrier sends through it; null when unset. */
  readonly endpoint: string | null;
  readonly serverUri: string;
  readonly clientUri: string;
  /** Null when Asterisk holds no state for it (its list item carries no Status). */
  readonly status: RegistrationStatus | null;
  /** When a Registry event gave the status it has; null when only a list said so. */
  readonly statusChangedAt: number | null;
};

export type Pbx = {
  readonly server: string;
  readonly amiVersion: string | null;
  readonly asteriskVersion: string | null;
  readonly systemName: string | null;
  readonly maxCalls: number | null;
  /** CoreStatus startup and reload moments, `YYYY-MM-DD HH:MM:SS` in the PBX's own local time. */
  readonly startedAt: string | null;
  readonly reloadedAt: string | null;
  /** Channels up (CoreStatus's CoreCurrentCalls, which counts channels), kept by each Newchannel and Hangup since. */
  readonly currentCalls: number | null;
  /** Calls that ran the dialplan, as of the last CoreStatus: the ingest asks again every minute (no event counts them). */
  readonly processedCalls: number | null;
  readonly fullyBooted: boolean;
  /** Seconds since start and since the last reload, as FullyBooted reported them on login, at bootReportedAt (epoch ms, the PBX's clock). */
  readonly uptime: number | null;
  readonly sinceReload: number | null;
  readonly bootReportedAt: number | null;
  /** The last Reload event: when (epoch ms) and which module ('All' for a full reload). */
  readonly lastReloadAt: number | null;
  readonly lastReloadModule: string | null;
  readonly shuttingDown: boolean;
  /** Whether the worker's AMI session to it is up: set by each (re)connect's resync, cleared when it drops (its other figures are then as last heard). */
  readonly connected: boolean;
};

export type Entities = {
  channel: Channel;
  call: Call;
  bridge: Bridge;
  queue: Queue;
  queueMember: QueueMember;
  queueCaller: QueueCaller;
  parkingLot: ParkingLot;
  parkedCall: ParkedCall;
  agent: Agent;
  device: DeviceState;
  extension: ExtensionState;
  registration: OutboundRegistration;
  pbx: Pbx;
};

export type EntityName = keyof Entities;

export const ENTITY_NAMES: readonly EntityName[] = [
  'channel',
  'call',
  'bridge',
  'queue',
  'queueMember',
  'queueCaller',
  'parkingLot',
  'parkedCall',
  'agent',
  'device',
  'extension',
  'registration',
  'pbx',
];

/** One table per entity, keyed as the key functions below say (the pbx table holds one entry, keyed by server). */
export type LiveState = { readonly [E in EntityName]: Table<Entities[E]> };

export type ChangeKind = 'CREATED' | 'UPDATED' | 'REMOVED';

/** What one event (or a resync) did to one object; value is the object now, or its last state when REMOVED. */
export type Change = {
  [E in EntityName]: { readonly kind: ChangeKind; readonly entity: E; readonly key: string; readonly value: Entities[E] };
}[EntityName];

export type Reduction = { readonly state: LiveState; readonly changes: readonly Change[] };

export function emptyLiveState(): LiveState {
  return {
    channel: Table.empty(),
    call: Table.empty(),
    bridge: Table.empty(),
    queue: Table.empty(),
    queueMember: Table.empty(),
    queueCaller: Table.empty(),
    parkingLot: Table.empty(),
    parkedCall: Table.empty(),
    agent: Table.empty(),
    device: Table.empty(),
    extension: Table.empty(),
    registration: Table.empty(),
    pbx: Table.empty(),
  };
}

export const memberKey = (queue: string, iface: string): string => `${queue}|${iface}`;
export const callerKey = (queue: string, uniqueid: string): string => `${queue}|${uniqueid}`;
export const parkedCallKey = (lot: string, space: number): string => `${lot}|${space}`;
export const extensionKey = (exten: string, context: string): string => `${exten}@${context}`;

/** AST_DEVICE_* numbers as QueueMember Status carries them, by name as DeviceStateChange writes them. */
export const DEVICE_STATE_NAMES: readonly string[] = [
  'UNKNOWN',
  'NOT_INUSE',
  'INUSE',
  'BUSY',
  'INVALID',
  'UNAVAILABLE',
  'RINGING',
  'RINGINUSE',
  'ONHOLD',
];
