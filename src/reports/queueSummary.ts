import type { LiveStore } from '../live/store.js';
import type { Queue, QueueCaller, QueueMember } from '../live/state.js';

/**
 * One queue as a supervisor's wallboard shows it (uContact's queuesummary and campaignstatus): its agents
 * by state, counted from the live queue members, and the callers and figures Asterisk reports.
 */
export type QueueSummary = {
  server: string;
  queue: string;
  strategy: string | null;
  /**
   * Members whose device is reachable (not UNAVAILABLE or INVALID). Until the queue's members are known
   * (QueueStatus), Asterisk's own QueueSummary figure.
   */
  loggedIn: number;
  /** Logged in, not paused, device idle and not on a queue call: the next caller goes to one of these. Same fallback. */
  available: number;
  paused: number;
  /** Logged in and on a call or ringing, paused or not. */
  busy: number;
  callers: number;
  /** Asterisk's running averages, in seconds. */
  holdTime: number | null;
  talkTime: number | null;
  /** The caller waiting longest now, seconds; 0 with nobody waiting. */
  longestHoldTime: number;
  /** The service level threshold in seconds, and the share of calls answered within it (percent, as Asterisk gives it). */
  serviceLevel: number | null;
  serviceLevelPerf: number | null;
  serviceLevelPerf2: number | null;
  /** Since the queue's statistics were last reset on the PBX. */
  completed: number | null;
  abandoned: number | null;
};

// AST_DEVICE_* as queue members report them.
const DEVICE_NOT_INUSE = 1;
const DEVICE_OFFLINE = new Set([4, 5]); // INVALID, UNAVAILABLE
const DEVICE_TAKEN = new Set([2, 3, 6, 7, 8]); // INUSE, BUSY, RINGING, RINGINUSE, ONHOLD

export function summarizeQueue(queue: Queue, members: readonly QueueMember[], callers: readonly QueueCaller[], now: number): QueueSummary {
  const logged = members.filter((member) => !DEVICE_OFFLINE.has(member.status));
  const waitingSince = callers.map((caller) => caller.waitingSince).filter((since): since is number => since !== null);
  return {
    server: queue.server,
    queue: queue.name,
    strategy: queue.strategy,
    loggedIn: members.length === 0 ? (queue.loggedIn ?? 0) : logged.length,
    available: members.length === 0 ? (queue.available ?? 0) : logged.filter((member) => !member.paused && !member.inCall && member.status === DEVICE_NOT_INUSE).length,
    paused: logged.filter((member) => member.paused).length,
    busy: logged.filter((member) => member.inCall || DEVICE_TAKEN.has(member.status)).length,
    callers: queue.calls,
    holdTime: queue.holdTime,
    talkTime: queue.talkTime,
    longestHoldTime: waitingSince.length === 0 ? 0 : Math.max(0, Math.round((now - Math.min(...waitingSince)) / 1000)),
    serviceLevel: queue.serviceLevel,
    serviceLevelPerf: queue.serviceLevelPerf,
    serviceLevelPerf2: queue.serviceLevelPerf2,
    completed: queue.completed,
    abandoned: queue.abandoned,
  };
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** Every queue of one server (or all), by server and name. */
export async function queueSummaries(store: LiveStore, server: string | undefined, now = Date.now()): Promise<QueueSummary[]> {
  const [queues, members, callers] = await Promise.all([
    store.list('queue', { server }),
    store.list('queueMember', { server }),
    store.list('queueCaller', { server }),
  ]);
  const key = (item: { server: string; queue: string }) => `${item.server}\u0000${item.queue}`;
  const membersOf = groupBy(members, key);
  const callersOf = groupBy(callers, key);
  return queues
    .sort((a, b) => a.server.localeCompare(b.server) || a.name.localeCompare(b.name))
    .map((queue) => {
      const id = key({ server: queue.server, queue: queue.name });
      return summarizeQueue(queue, membersOf.get(id) ?? [], callersOf.get(id) ?? [], now);
    });
}
