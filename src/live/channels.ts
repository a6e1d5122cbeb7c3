import type { AmiEvent } from '../ami/message.js';
import { bridgeById, enterBridge } from './bridges.js';
import { joinCall, leaveCall } from './calls.js';
import { callerId, clockSeconds, int, text, timestampMs } from './fields.js';
import { countChannel } from './pbx.js';
import type { Channel } from './state.js';
import type { Tx } from './tx.js';

/**
 * Channels: created by Newchannel (or a CoreShowChannel list item), kept current from the channel snapshot
 * every event carries, removed by Hangup with its cause. An event about an unknown channel never creates
 * it: Asterisk sends some after the Hangup (answered-to-queue.jsonl line 89, a NewConnectedLine for
 * Local/101@agents-00000001;1 after its Hangup), and they must not bring it back.
 */

const UP = 6;

/**
 * The channel snapshots an event carries under a prefix besides its own unprefixed one, by event name in
 * lower case, as Asterisk documents them (`<channel_snapshot prefix="..."/>` in its manager event docs).
 * Every other event carries the unprefixed one at most, so each event is read for the snapshots it can hold.
 */
const PREFIXED_SNAPSHOTS: ReadonlyMap<string, readonly string[]> = new Map([
  ['agentcalled', ['dest']],
  ['agentcomplete', ['dest']],
  ['agentconnect', ['dest']],
  ['agentdump', ['dest']],
  ['agentringnoanswer', ['dest']],
  ['attendedtransfer', ['origtransferer', 'secondtransferer', 'transferee', 'transfertarget', 'localone', 'localtwo']],
  ['blindtransfer', ['transferer', 'transferee']],
  ['chanspystart', ['spyer', 'spyee']],
  ['chanspystop', ['spyer', 'spyee']],
  ['dialbegin', ['dest']],
  ['dialend', ['dest']],
  ['dialstate', ['dest']],
  ['localbridge', ['localone', 'localtwo']],
  ['localoptimizationbegin', ['localone', 'localtwo', 'source']],
  ['localoptimizationend', ['localone', 'localtwo']],
  ['parkedcall', ['parkee']],
  ['parkedcallgiveup', ['parkee', 'parker']],
  ['parkedcallswap', ['parkee', 'parker']],
  ['parkedcalltimeout', ['parkee', 'parker']],
  ['pickup', ['target']],
  ['unparkedcall', ['parkee', 'parker', 'retriever']],
]);

/** What a channel snapshot (Asterisk's ast_manager_build_channel_state_string) says of a channel. */
type SnapshotFields = Pick<
  Channel,
  | 'name'
  | 'linkedid'
  | 'state'
  | 'stateDesc'
  | 'callerIdNum'
  | 'callerIdName'
  | 'connectedLineNum'
  | 'connectedLineName'
  | 'context'
  | 'exten'
  | 'priority'
  | 'accountCode'
  | 'language'
>;

/** The message keys of one prefix's snapshot, built once: every event is checked against them. */
function keysOf(prefix: string) {
  return {
    uniqueid: `${prefix}uniqueid`,
    name: `${prefix}channel`,
    linkedid: `${prefix}linkedid`,
    state: `${prefix}channelstate`,
    stateDesc: `${prefix}channelstatedesc`,
    callerIdNum: `${prefix}calleridnum`,
    callerIdName: `${prefix}calleridname`,
    connectedLineNum: `${prefix}connectedlinenum`,
    connectedLineName: `${prefix}connectedlinename`,
    context: `${prefix}context`,
    exten: `${prefix}exten`,
    priority: `${prefix}priority`,
    accountCode: `${prefix}accountcode`,
    language: `${prefix}language`,
  } as const;
}

type SnapshotKeys = ReturnType<typeof keysOf>;

const PLAIN = keysOf('');

/** Where an event's channel snapshots are: see snapshotsOf. */
export type SnapshotPlaces = readonly SnapshotKeys[];

/** The snapshots an event of this name (in lower case) can carry: its own, then its prefixed ones. */
export function snapshotsOf(name: string): SnapshotPlaces {
  return [PLAIN, ...(PREFIXED_SNAPSHOTS.get(name) ?? []).map(keysOf)];
}

function snapshot(event: AmiEvent, keys: SnapshotKeys): SnapshotFields {
  return {
    name: text(event, keys.name),
    linkedid: text(event, keys.linkedid),
    state: int(event, keys.state),
    stateDesc: text(event, keys.stateDesc),
    callerIdNum: callerId(event, keys.callerIdNum),
    callerIdName: callerId(event, keys.callerIdName),
    connectedLineNum: callerId(event, keys.connectedLineNum),
    connectedLineName: callerId(event, keys.connectedLineName),
    context: text(event, keys.context),
    exten: text(event, keys.exten),
    priority: int(event, keys.priority),
    accountCode: text(event, keys.accountCode),
    language: text(event, keys.language),
  };
}

/** Whether an event's snapshot says anything new about a channel, read without building objects (most say nothing). */
function differs(channel: Channel, event: AmiEvent, keys: SnapshotKeys): boolean {
  const linkedid = text(event, keys.linkedid);
  return (
    channel.name !== text(event, keys.name) ||
    (linkedid !== '' && channel.linkedid !== linkedid) ||
    channel.state !== int(event, keys.state) ||
    channel.stateDesc !== text(event, keys.stateDesc) ||
    channel.callerIdNum !== callerId(event, keys.callerIdNum) ||
    channel.callerIdName !== callerId(event, keys.callerIdName) ||
    channel.connectedLineNum !== callerId(event, keys.connectedLineNum) ||
    channel.connectedLineName !== callerId(event, keys.connectedLineName) ||
    channel.context !== text(event, keys.context) ||
    channel.exten !== text(event, keys.exten) ||
    channel.priority !== int(event, keys.priority) ||
    channel.accountCode !== text(event, keys.accountCode) ||
    channel.language !== text(event, keys.language)
  );
}

/** Stores a channel's new state, moving it between calls if its linkedid changed. */
function store(tx: Tx, previous: Channel, next: Channel): void {
  tx.put('channel', next.uniqueid, next);
  if (previous.linkedid !== next.linkedid) {
    leaveCall(tx, previous);
    joinCall(tx, next);
  }
}

function updateFromSnapshot(tx: Tx, event: AmiEvent, keys: SnapshotKeys): void {
  const uniqueid = event[keys.uniqueid];
  if (typeof uniqueid !== 'string' || event[keys.state] === undefined) return;
  const previous = tx.get('channel', uniqueid);
  if (previous === undefined) return;
  if (!differs(previous, event, keys)) return;
  const fields = snapshot(event, keys);
  const answered = previous.answeredAt === null && previous.state !== UP && fields.state === UP;
  store(tx, previous, {
    ...previous,
    ...fields,
    linkedid: fields.linkedid || previous.linkedid,
    answeredAt: answered ? timestampMs(event) : previous.answeredAt,
  });
}

/** Brings every known channel an event carries a snapshot of up to date. */
export function applySnapshots(tx: Tx, event: AmiEvent, places: SnapshotPlaces): void {
  for (const keys of places) updateFromSnapshot(tx, event, keys);
}

function create(tx: Tx, event: AmiEvent, createdAt: number | null): Channel {
  const fields = snapshot(event, PLAIN);
  const channel: Channel = {
    server: tx.server,
    uniqueid: text(event, 'uniqueid'),
    ...fields,
    linkedid: fields.linkedid || text(event, 'uniqueid'),
    application: '',
    applicationData: '',
    bridgeId: null,
    hangupCause: null,
    hangupCauseText: null,
    createdAt,
    answeredAt: fields.state === UP ? timestampMs(event) : null,
  };
  tx.put('channel', channel.uniqueid, channel);
  joinCall(tx, channel);
  return channel;
}

export function onNewchannel(tx: Tx, event: AmiEvent): void {
  if (tx.get('channel', text(event, 'uniqueid'))) return;
  create(tx, event, tx.at(event));
  countChannel(tx, 1);
}

export function onNewexten(tx: Tx, event: AmiEvent): void {
  const channel = tx.get('channel', text(event, 'uniqueid'));
  if (channel === undefined) return;
  tx.put('channel', channel.uniqueid, {
    ...channel,
    application: text(event, 'application'),
    applicationData: text(event, 'appdata'),
  });
}

/** A CoreShowChannels item: creates the channel when unknown, with its age from Duration when now is known. */
export function onCoreShowChannel(tx: Tx, event: AmiEvent): void {
  const uniqueid = text(event, 'uniqueid');
  const at = tx.at(event);
  const age = clockSeconds(event, 'duration');
  const channel = tx.get('channel', uniqueid) ?? create(tx, event, at !== null && age !== null ? at - age * 1000 : null);
  tx.put('channel', uniqueid, {
    ...channel,
    application: text(event, 'application'),
    applicationData: text(event, 'applicationdata'),
  });
  const bridgeId = text(event, 'bridgeid');
  if (bridgeId !== '') enterBridge(tx, bridgeById(tx, bridgeId), uniqueid);
}

export function onRename(tx: Tx, event: AmiEvent): void {
  const channel = tx.get('channel', text(event, 'uniqueid'));
  if (channel !== undefined) tx.put('channel', channel.uniqueid, { ...channel, name: text(event, 'newname') });
}

export function onHangup(tx: Tx, event: AmiEvent): void {
  const channel = tx.get('channel', text(event, 'uniqueid'));
  if (channel === undefined) return;
  if (channel.bridgeId !== null) {
    const bridge = tx.get('bridge', channel.bridgeId);
    if (bridge !== undefined) {
      tx.put('bridge', bridge.id, { ...bridge, channels: bridge.channels.filter((id) => id !== channel.uniqueid) });
    }
  }
  tx.remove('channel', channel.uniqueid, {
    ...channel,
    hangupCause: int(event, 'cause'),
    hangupCauseText: text(event, 'cause-txt'),
  });
  countChannel(tx, -1);
  leaveCall(tx, channel);
}

/** A resynced channel keeps the times the events gave it: list items only allow an estimate, or nothing. */
export function carryChannel(old: Channel, fresh: Channel): Channel {
  return { ...fresh, createdAt: old.createdAt ?? fresh.createdAt, answeredAt: fresh.answeredAt ?? old.answeredAt };
}
