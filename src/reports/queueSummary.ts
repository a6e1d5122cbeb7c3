import type { LiveStore } from '../live/store.js';
import { memberLoggedIn } from '../live/queueMembers.js';
import { localDay } from '../live/queues.js';
import type { Agent, Queue, QueueCaller, QueueMember } from '../live/state.js';

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
  /** When the caller waiting longest joined (epoch ms), so a screen counts the wait up itself; null with nobody waiting. */
  longestHoldSince: number | null;
  /** The service level threshold in seconds, and the share of calls answered within it (percent, as Asterisk gives it). */
  serviceLevel: number | null;
  serviceLevelPerf: number | null;
  serviceLevelPerf2: number | null;
  /** Since the queue's statistics were last reset on the PBX. */
  completed: number | null;
  abandoned: number | null;
  /** Since local midnight (the processes' time zone), as the events counted them. */
  answeredToday: number;
  abandonedToday: number;
  /** Every member in exactly one state, as a wallboard or uContact's campaign status counts them. */
  agents: AgentStateCounts;
};

/**
 * The queue's members by what they are doing, each counted once, first match wins: logged off (device unavailable or
 * invalid), on a call (a queue call, or their device taken by another), ringing (offered a call), in wrap-up (an
 * app_agent_pool agent's, or a member's own Wrapuptime since its last call), paused, else idle. An agent member
 * (state interface `Agent:<id>`) is read from its agent: the Agents list says IDLE while its device stays INUSE.
 */
export type AgentStateCounts = { idle: number; ringing: number; onCall: number; wrapUp: number; paused: number; loggedOff: number };

type AgentState = keyof AgentStateCounts;

// AST_DEVICE_* as queue members report them.
const DEVICE_NOT_INUSE = 1;
const DEVICE_TAKEN = new Set([2, 3, 6, 7, 8]); // INUSE, BUSY, RINGING, RINGINUSE, ONHOLD
const DEVICE_RINGING = new Set([6, 7]); // RINGING, RINGINUSE
const DEVICE_IN_A_CALL = new Set([2, 3, 8]); // INUSE, BUSY, ONHOLD

function stateOf(member: QueueMember, agent: Agent | undefined, now: number): AgentState {
  if (!memberLoggedIn(member)) return 'loggedOff';
  if (agent !== undefined && agent.status !== 'LOGGED_OFF') {
    if (agent.status === 'ON_CALL' || member.inCall) return 'onCall';
    if (agent.ringing) return 'ringing';
    if (agent.wrapUp) return 'wrapUp';
  } else {
    if (member.inCall || DEVICE_IN_A_CALL.has(member.status)) return 'onCall';
    if (DEVICE_RINGING.has(member.status)) return 'ringing';
    if (member.wrapUpTime > 0 && member.lastCall !== null && now < member.lastCall + member.wrapUpTime * 1000) return 'wrapUp';
  }
  return member.paused ? 'paused' : 'idle';
}

/** The members by state; `agents` are the server's app_agent_pool agents, by id. */
export function countAgentStates(members: readonly QueueMember[], agents: ReadonlyMap<string, Agent>, now: number): AgentStateCounts {
  const counts: AgentStateCounts = { idle: 0, ringing: 0, onCall: 0, wrapUp: 0, paused: 0, loggedOff: 0 };
  for (const member of members) {
    const agentId = /^Agent:(.+)$/.exec(member.stateInterface)?.[1];
    counts[stateOf(member, agentId === undefined ? undefined : agents.get(agentId), now)] += 1;
  }
  return counts;
}

export function summarizeQueue(queue: Queue, members: readonly QueueMember[], callers: readonly QueueCaller[], now: number, agents: ReadonlyMap<string, Agent> = new Map()): QueueSummary {
  const logged = members.filter(memberLoggedIn);
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
    longestHoldSince: waitingSince.length === 0 ? null : Math.min(...waitingSince),
    serviceLevel: queue.serviceLevel,
    serviceLevelPerf: queue.serviceLevelPerf,
    serviceLevelPerf2: queue.serviceLevelPerf2,
    completed: queue.completed,
    abandoned: queue.abandoned,
    answeredToday: queue.today?.day === localDay(now) ? queue.today.answered : 0,
    abandonedToday: queue.today?.day === localDay(now) ? queue.today.abandoned : 0,
    agents: countAgentStates(members, agents, now),
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
  const [queues, members, callers, agents] = await Promise.all([
    store.list('queue', { server }),
    store.list('queueMember', { server }),
    store.list('queueCaller', { server }),
    store.list('agent', { server }),
  ]);
  const key = (item: { server: string; queue: string }) => `${item.server}\u0000${item.queue}`;
  const membersOf = groupBy(members, key);
  const callersOf = groupBy(callers, key);
  return queues
    .sort((a, b) => a.server.localeCompare(b.server) || a.name.localeCompare(b.name))
    .map((queue) => {
      const id = key({ server: queue.server, queue: queue.name });
      const serverAgents = new Map(agents.filter((agent) => agent.server === queue.server).map((agent) => [agent.id, agent]));
      return summarizeQueue(queue, membersOf.get(id) ?? [], callersOf.get(id) ?? [], now, serverAgents);
    });
}
