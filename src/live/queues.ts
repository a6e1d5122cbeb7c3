import type { AmiEvent } from '../ami/message.js';
import { callerId, int, text } from './fields.js';
import { callerKey, type Queue, type QueueCaller } from './state.js';
import type { Tx } from './tx.js';

/**
 * Queues and their waiting callers. Queue figures are as Asterisk last reported them (QueueParams,
 * QueueSummary); only the number of callers follows each join and leave, from their Count.
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
    }
  );
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
  if (caller !== undefined) tx.put('queueCaller', key, { ...caller, abandoned: true });
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
    loggedIn: fresh.loggedIn ?? old.loggedIn,
    available: fresh.available ?? old.available,
    longestHoldTime: fresh.longestHoldTime ?? old.longestHoldTime,
  };
}

/** A resynced caller keeps the moment it joined, which the events gave exactly. */
export function carryQueueCaller(old: QueueCaller, fresh: QueueCaller): QueueCaller {
  return { ...fresh, waitingSince: old.waitingSince ?? fresh.waitingSince };
}
