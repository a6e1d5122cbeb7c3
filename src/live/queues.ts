import type { AmiEvent } from '../ami/message.js';
import { callerId, int, text } from './fields.js';
import { callerKey, type Queue, type QueueCaller, type QueueDay } from './state.js';
import type { Tx } from './tx.js';

/**
 * Queues and their waiting callers. Queue figures are as Asterisk last reported them (QueueParams,
 * QueueSummary), then kept up as app_queue keeps its own: the number of callers from each join and leave's
 * Count; completed calls and the talk time at each AgentComplete, the hold time at each AgentConnect, abandoned
 * calls at each QueueCallerAbandon (update_queue, recalc_holdtime); logged-in and available members from the
 * members (queueMembers.ts). A figure Asterisk never reported stays unknown: there is nothing to count from.
 */

function queueOrNew(tx: Tx, name: string): Queue {
  return (
    tx.get('queue', name) ?? {
      server: tx.server,
      name,
      strategy: null,
      max: null,
      calls: 0,
      holdTime: null,
      talkTime: null,
      completed: null,
      abandoned: null,
      serviceLevel: null,
      serviceLevelPerf: null,
      serviceLevelPerf2: null,
      weight: null,
      loggedIn: null,
      available: null,
      longestHoldTime: null,
      today: null,
    }
  );
}

/** The local day (the process's time zone) of an instant, YYYY-MM-DD. */
export function localDay(ms: number): string {
  const date = new Date(ms);
  const two = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
}

/** The queue's day with one more call of `kind` at `at`: a new day starts from nothing. Unknown times count nothing. */
function countedToday(queue: Queue, at: number | null, kind: 'answered' | 'abandoned'): QueueDay | null {
  if (at === null) return queue.today;
  const day = localDay(at);
  const today = queue.today?.day === day ? queue.today : { day, answered: 0, abandoned: 0 };
  return { ...today, [kind]: today[kind] + 1 };
}

/** A QueueParams list item (QueueStatus). */
export function onQueueParams(tx: Tx, event: AmiEvent): void {
  const queue = queueOrNew(tx, text(event, 'queue'));
  tx.put('queue', queue.name, {
    ...queue,
    strategy: text(event, 'strategy'),
    max: int(event, 'max'),
    calls: int(event, 'calls'),
    holdTime: int(event, 'holdtime'),
    talkTime: int(event, 'talktime'),
    completed: int(event, 'completed'),
    abandoned: int(event, 'abandoned'),
    serviceLevel: int(event, 'servicelevel'),
    serviceLevelPerf: int(event, 'servicelevelperf'),
    serviceLevelPerf2: int(event, 'servicelevelperf2'),
    weight: int(event, 'weight'),
  });
}

/** A QueueSummary list item. */
export function onQueueSummary(tx: Tx, event: AmiEvent): void {
  const queue = queueOrNew(tx, text(event, 'queue'));
  tx.put('queue', queue.name, {
    ...queue,
    loggedIn: int(event, 'loggedin'),
    available: int(event, 'available'),
    calls: int(event, 'callers'),
    holdTime: int(event, 'holdtime'),
    talkTime: int(event, 'talktime'),
    longestHoldTime: int(event, 'longestholdtime'),
  });
}

function setCalls(tx: Tx, name: string, calls: number): void {
  const queue = tx.get('queue', name);
  if (queue !== undefined) tx.put('queue', name, { ...queue, calls });
}

/** What a join and a QueueEntry item both say of a waiting caller. */
function callerSeen(tx: Tx, event: AmiEvent) {
  return {
    server: tx.server,
    queue: text(event, 'queue'),
    uniqueid: text(event, 'uniqueid'),
    channel: text(event, 'channel'),
    position: int(event, 'position'),
    callerIdNum: callerId(event, 'calleridnum'),
    callerIdName: callerId(event, 'calleridname'),
    connectedLineNum: callerId(event, 'connectedlinenum'),
    connectedLineName: callerId(event, 'connectedlinename'),
  };
}

export function onQueueCallerJoin(tx: Tx, event: AmiEvent): void {
  const queue = text(event, 'queue');
  const uniqueid = text(event, 'uniqueid');
  const existing = tx.get('queueCaller', callerKey(queue, uniqueid));
  tx.put('queueCaller', callerKey(queue, uniqueid), {
    ...callerSeen(tx, event),
    waitingSince: existing?.waitingSince ?? tx.at(event),
    // The event's Priority is the dialplan priority; the queue priority comes only with QueueEntry.
    priority: existing?.priority ?? null,
    abandoned: false,
  });
  setCalls(tx, queue, int(event, 'count'));
}

/** A QueueEntry list item (QueueStatus): Wait is how long the caller has waited, in seconds. */
export function onQueueEntry(tx: Tx, event: AmiEvent): void {
  const queue = text(event, 'queue');
  const uniqueid = text(event, 'uniqueid');
  const existing = tx.get('queueCaller', callerKey(queue, uniqueid));
  const at = tx.at(event);
  tx.put('queueCaller', callerKey(queue, uniqueid), {
    ...callerSeen(tx, event),
    waitingSince: existing?.waitingSince ?? (at === null ? null : at - int(event, 'wait') * 1000),
    priority: int(event, 'priority'),
    abandoned: existing?.abandoned ?? false,
  });
}

export function onQueueCallerAbandon(tx: Tx, event: AmiEvent): void {
  const key = callerKey(text(event, 'queue'), text(event, 'uniqueid'));
  const caller = tx.get('queueCaller', key);
  if (caller === undefined || caller.abandoned) return;
  tx.put('queueCaller', key, { ...caller, abandoned: true });
  const queue = tx.get('queue', caller.queue);
  if (queue === undefined) return;
  const today = countedToday(queue, tx.at(event), 'abandoned');
  tx.put('queue', queue.name, { ...queue, today, abandoned: queue.abandoned === null ? null : queue.abandoned + 1 });
}

/** app_queue's exponential average of hold and talk times: the first call's own, then a quarter of each new one. */
function averaged(old: number | null, next: number, first: boolean): number | null {
  if (first) return next;
  return old === null ? null : (old * 3 + next) >> 2;
}

/** A member took a caller (AgentConnect, once per call: queueMembers.ts): its wait goes into the queue's hold time. */
export function countConnected(tx: Tx, name: string, holdTime: number): void {
  const queue = tx.get('queue', name);
  if (queue?.completed == null || queue.abandoned === null) return;
  tx.put('queue', name, { ...queue, holdTime: averaged(queue.holdTime, holdTime, queue.completed + queue.abandoned === 0) });
}

/** A member's call completed (AgentComplete, once per call, at `at`): one more completed call, its talk time averaged in. */
export function countCompleted(tx: Tx, name: string, talkTime: number, at: number | null): void {
  const queue = tx.get('queue', name);
  if (queue === undefined) return;
  const today = countedToday(queue, at, 'answered');
  if (queue.completed === null) return tx.put('queue', name, { ...queue, today });
  const completed = queue.completed + 1;
  tx.put('queue', name, { ...queue, today, completed, talkTime: averaged(queue.talkTime, talkTime, completed === 1) });
}

/** The caller leaves (answered, abandoned or timed out); those behind move up one place, as app_queue renumbers them. */
export function onQueueCallerLeave(tx: Tx, event: AmiEvent): void {
  const queue = text(event, 'queue');
  const caller = tx.get('queueCaller', callerKey(queue, text(event, 'uniqueid')));
  if (caller === undefined) return;
  tx.remove('queueCaller', callerKey(queue, caller.uniqueid));
  for (const other of [...tx.all('queueCaller')]) {
    if (other.queue === queue && other.position > caller.position) {
      tx.put('queueCaller', callerKey(queue, other.uniqueid), { ...other, position: other.position - 1 });
    }
  }
  setCalls(tx, queue, int(event, 'count'));
}

/** A resynced queue keeps the figures only the other list gives (QueueParams vs QueueSummary). */
export function carryQueue(old: Queue, fresh: Queue): Queue {
  return {
    ...fresh,
    strategy: fresh.strategy ?? old.strategy,
    max: fresh.max ?? old.max,
    holdTime: fresh.holdTime ?? old.holdTime,
    talkTime: fresh.talkTime ?? old.talkTime,
    completed: fresh.completed ?? old.completed,
    abandoned: fresh.abandoned ?? old.abandoned,
    serviceLevel: fresh.serviceLevel ?? old.serviceLevel,
    serviceLevelPerf: fresh.serviceLevelPerf ?? old.serviceLevelPerf,
    serviceLevelPerf2: fresh.serviceLevelPerf2 ?? old.serviceLevelPerf2,
    weight: fresh.weight ?? old.weight,
    // No list tells it: only the events counted it.
    today: old.today,
    loggedIn: fresh.loggedIn ?? old.loggedIn,
    available: fresh.available ?? old.available,
    longestHoldTime: fresh.longestHoldTime ?? old.longestHoldTime,
  };
}

/** A resynced caller keeps the moment it joined, which the events gave exactly. */
export function carryQueueCaller(old: QueueCaller, fresh: QueueCaller): QueueCaller {
  return { ...fresh, waitingSince: old.waitingSince ?? fresh.waitingSince };
}
