import type { AmiEvent } from '../ami/message.js';
import { bool, epochSecondsMs, floorToSecond, int, text } from './fields.js';
import { DEVICE_STATE_NAMES, memberKey, type QueueMember } from './state.js';
import { countCompleted, countConnected } from './queues.js';
import type { Tx } from './tx.js';

/**
 * Queue members. Every member event (QueueMemberAdded, ...Status, ...Pause, ...Penalty, ...Ringinuse,
 * ...Removed) carries the whole member, so each one simply replaces it. The QueueMember list item of
 * QueueStatus names two fields differently: Name for MemberName, Location for Interface.
 *
 * What no member event says: app_queue marks a member in a call (InCall) from its AgentConnect until its
 * AgentComplete, and counts the call (CallsTaken, LastCall) at the AgentComplete, without a QueueMemberStatus
 * unless the member's device changes too, which a Local or agent member's need not (agents-ackcall-accept.jsonl:
 * QueueStatus says InCall 1 with no event saying so). The two events move them here, as app_queue does.
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
  countMembers(tx, next.queue);
}

export function onQueueMemberRemoved(tx: Tx, event: AmiEvent): void {
  const last = member(tx, event, false);
  tx.remove('queueMember', memberKey(last.queue, last.interface), last);
  countMembers(tx, last.queue);
}

/** AgentConnect: the member is in the call, and the caller's wait counts in the queue's hold time (once). */
export function onMemberConnected(tx: Tx, event: AmiEvent): void {
  const key = memberKey(text(event, 'queue'), text(event, 'interface'));
  const known = tx.get('queueMember', key);
  if (known === undefined || known.inCall) return;
  tx.put('queueMember', key, { ...known, inCall: true });
  countConnected(tx, known.queue, int(event, 'holdtime'));
}

/** AgentComplete: the member's call is over, counted for it and for the queue (once: only a member in a call completes one). */
export function onMemberCompleted(tx: Tx, event: AmiEvent): void {
  const key = memberKey(text(event, 'queue'), text(event, 'interface'));
  const known = tx.get('queueMember', key);
  if (known === undefined || !known.inCall) return;
  tx.put('queueMember', key, { ...known, inCall: false, callsTaken: known.callsTaken + 1, lastCall: floorToSecond(tx.at(event)) ?? known.lastCall });
  countCompleted(tx, known.queue, int(event, 'talktime'), tx.at(event));
}

/** AST_DEVICE_INVALID and AST_DEVICE_UNAVAILABLE: a member in either is not logged in. */
const ABSENT = new Set([4, 5]);
/** AST_DEVICE_UNKNOWN and AST_DEVICE_NOT_INUSE: app_queue's member_status_available. */
const FREE = new Set([0, 1]);

/** Whether a member counts as logged in (QueueSummary's LoggedIn): its device neither invalid nor unavailable. */
export function memberLoggedIn(member: Pick<QueueMember, 'status'>): boolean {
  return !ABSENT.has(member.status);
}

/**
 * A queue's LoggedIn and Available as QueueSummary counts them (app_queue's manager_queues_summary), after any
 * change of its members: logged in unless unavailable or invalid, available when also free and not paused.
 */
function countMembers(tx: Tx, queueName: string): void {
  const queue = tx.get('queue', queueName);
  if (queue === undefined) return;
  let loggedIn = 0;
  let available = 0;
  for (const candidate of tx.all('queueMember')) {
    if (candidate.queue !== queueName || !memberLoggedIn(candidate)) continue;
    loggedIn++;
    if (FREE.has(candidate.status) && !candidate.paused) available++;
  }
  if (queue.loggedIn !== loggedIn || queue.available !== available) tx.put('queue', queueName, { ...queue, loggedIn, available });
}

/** The app_agent_pool agent a queue member reaches (state interface `Agent:<id>`), if it is one. */
export function agentIdOfMember(tx: Tx, queue: string, iface: string): string | null {
  const stateInterface = tx.get('queueMember', memberKey(queue, iface))?.stateInterface ?? '';
  // Asterisk 22 has no Agent/ channel; before 12 chan_agent members were `Agent/<id>`.
  const match = /^Agent:(.+)$/.exec(stateInterface) ?? /^Agent\/(.+)$/.exec(iface);
  return match?.[1] ?? null;
}
