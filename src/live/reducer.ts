import type { AmiEvent } from '../ami/message.js';
import * as agents from './agents.js';
import { onBridgeCreate, onBridgeDestroy, onBridgeEnter, onBridgeLeave } from './bridges.js';
import { applySnapshots, onCoreShowChannel, onHangup, onNewchannel, onNewexten, onRename, snapshotsOf, type SnapshotPlaces } from './channels.js';
import { onDeviceStateChange, onExtensionStatus } from './devices.js';
import { variableName } from './fields.js';
import * as parking from './parking.js';
import { onFullyBooted, onReload, onShutdown } from './pbx.js';
import { onMemberCompleted, onMemberConnected, onQueueMember, onQueueMemberRemoved } from './queueMembers.js';
import * as queues from './queues.js';
import { onOutboundRegistrationDetail, onRegistry } from './registrations.js';
import type { LiveState, Reduction } from './state.js';
import { Tx } from './tx.js';

type Handler = (tx: Tx, event: AmiEvent) => void;

function both(...handlers: Handler[]): Handler {
  return (tx, event) => {
    for (const handler of handlers) handler(tx, event);
  };
}

function onVarSet(tx: Tx, event: AmiEvent): void {
  if (variableName(event) === 'BRIDGEPEER') agents.onBridgePeer(tx, event);
}

/**
 * By event name in lower case: Asterisk documents `NewExten` but sends `Newexten`, and the list items of
 * the resync actions arrive under their own names (CoreShowChannel, QueueParams, QueueMember, QueueEntry,
 * Parkinglot, Agents, OutboundRegistrationDetail) or under the event's (ParkedCall, DeviceStateChange, ExtensionStatus).
 */
const HANDLERS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ['newchannel', onNewchannel],
  ['newexten', onNewexten],
  ['hangup', onHangup],
  ['rename', onRename],
  ['coreshowchannel', onCoreShowChannel],
  ['varset', onVarSet],
  ['bridgecreate', onBridgeCreate],
  ['bridgeenter', onBridgeEnter],
  ['bridgeleave', onBridgeLeave],
  ['bridgedestroy', onBridgeDestroy],
  ['queueparams', queues.onQueueParams],
  ['queuesummary', queues.onQueueSummary],
  ['queuemember', onQueueMember],
  ['queuememberadded', onQueueMember],
  ['queuememberstatus', onQueueMember],
  ['queuememberpause', onQueueMember],
  ['queuememberpaused', onQueueMember],
  ['queuememberpenalty', onQueueMember],
  ['queuememberringinuse', onQueueMember],
  ['queuememberremoved', onQueueMemberRemoved],
  ['queuecallerjoin', queues.onQueueCallerJoin],
  ['queueentry', queues.onQueueEntry],
  ['queuecallerabandon', queues.onQueueCallerAbandon],
  ['queuecallerleave', both(queues.onQueueCallerLeave, agents.onQueueCallerLeft)],
  ['agentcalled', agents.onAgentCalled],
  ['agentringnoanswer', agents.onAgentRingNoAnswer],
  ['agentconnect', both(agents.onAgentConnect, onMemberConnected)],
  ['agentcomplete', both(agents.onAgentComplete, onMemberCompleted)],
  ['agentlogin', agents.onAgentLogin],
  ['agentlogoff', agents.onAgentLogoff],
  ['agents', agents.onAgentsItem],
  ['parkinglot', parking.onParkinglot],
  ['parkedcall', parking.onParkedCall],
  ['parkedcallswap', parking.onParkedCall],
  ['unparkedcall', parking.onUnParkedCall],
  ['parkedcalltimeout', parking.onParkedCallTimeOut],
  ['parkedcallgiveup', parking.onParkedCallGiveUp],
  ['devicestatechange', onDeviceStateChange],
  ['extensionstatus', onExtensionStatus],
  ['outboundregistrationdetail', onOutboundRegistrationDetail],
  ['registry', onRegistry],
  ['fullybooted', onFullyBooted],
  ['reload', onReload],
  ['shutdown', onShutdown],
]);

/** What the reducer does with an event of one name: read its channel snapshots, then run its handler. */
type EventPlan = { readonly snapshots: SnapshotPlaces; readonly handler: Handler | null };

/** Plans by the exact names seen so far, to lower-case each name once (a finite set: AMI event names). */
const BY_EXACT_NAME = new Map<string, EventPlan>();

function planOf(name: string): EventPlan {
  let plan = BY_EXACT_NAME.get(name);
  if (plan === undefined) {
    const lower = name.toLowerCase();
    plan = { snapshots: snapshotsOf(lower), handler: HANDLERS.get(lower) ?? null };
    BY_EXACT_NAME.set(name, plan);
  }
  return plan;
}

/** Applies one event inside a reduction in progress (resync uses it for the list items). */
export function applyEvent(tx: Tx, event: AmiEvent): void {
  const plan = planOf(event.event);
  applySnapshots(tx, event, plan.snapshots);
  plan.handler?.(tx, event);
}

/**
 * The live state of server after event, and what changed. Pure: state is not modified, and an event that
 * changes nothing returns the same state object with no changes.
 */
export function reduce(state: LiveState, event: AmiEvent, server: string): Reduction {
  return reduceEvents(state, [event], server);
}

/**
 * The live state after events, in order, and every event's changes in turn: the changes of reducing them
 * one at a time, without a state and a change list per event in between (the ingest reduces its batches so).
 * `receivedAt` is when the ingest got them (see Tx).
 */
export function reduceEvents(state: LiveState, events: readonly AmiEvent[], server: string, receivedAt: number | null = null): Reduction {
  const tx = new Tx(state, server, null, receivedAt);
  for (const event of events) {
    tx.nextEvent();
    applyEvent(tx, event);
  }
  return tx.finish();
}
