import type { AmiEvent } from '../ami/message.js';
import { bool, epochSecondsMs, int, text } from './fields.js';
import { DEVICE_STATE_NAMES, memberKey, type QueueMember } from './state.js';
import type { Tx } from './tx.js';

/**
 * Queue members. Every member event (QueueMemberAdded, ...Status, ...Pause, ...Penalty, ...Ringinuse,
 * ...Removed) carries the whole member, so each one simply replaces it. The QueueMember list item of
 * QueueStatus names two fields differently: Name for MemberName, Location for Interface.
 */

function member(tx: Tx, event: AmiEvent, listItem: boolean): QueueMember {
  const status = int(event, 'status');
  return {
    server: tx.server,
    queue: text(event, 'queue'),
    interface: text(event, listItem ? 'location' : 'interface'),
    name: text(event, listItem ? 'name' : 'membername'),
    stateInterface: text(event, 'stateinterface'),
    membership: text(event, 'membership'),
    penalty: int(event, 'penalty'),
    callsTaken: int(event, 'callstaken'),
    lastCall: epochSecondsMs(event, 'lastcall'),
    lastPause: epochSecondsMs(event, 'lastpause'),
    loginTime: epochSecondsMs(event, 'logintime'),
    inCall: bool(event, 'incall'),
    status,
    statusName: DEVICE_STATE_NAMES[status] ?? 'UNKNOWN',
    paused: bool(event, 'paused'),
    // Asterisk 12 called it Reason; 13.x and later PausedReason.
    pausedReason: text(event, 'pausedreason') || text(event, 'reason'),
    wrapUpTime: int(event, 'wrapuptime'),
  };
}

export function onQueueMember(tx: Tx, event: AmiEvent): void {
  const next = member(tx, event, event.event === 'QueueMember');
  tx.put('queueMember', memberKey(next.queue, next.interface), next);
}

export function onQueueMemberRemoved(tx: Tx, event: AmiEvent): void {
  const last = member(tx, event, false);
  tx.remove('queueMember', memberKey(last.queue, last.interface), last);
}

/** The app_agent_pool agent a queue member reaches (state interface `Agent:<id>`), if it is one. */
export function agentIdOfMember(tx: Tx, queue: string, iface: string): string | null {
  const stateInterface = tx.get('queueMember', memberKey(queue, iface))?.stateInterface ?? '';
  // Asterisk 22 has no Agent/ channel; before 12 chan_agent members were `Agent/<id>`.
  const match = /^Agent:(.+)$/.exec(stateInterface) ?? /^Agent\/(.+)$/.exec(iface);
  return match?.[1] ?? null;
}
