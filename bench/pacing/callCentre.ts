import type { DialingObservation } from '../../src/dialer/pacing/observations.js';
import type { PacingPlan, PacingSnapshot } from '../../src/dialer/pacing/snapshot.js';
import { EventQueue } from './eventQueue.js';
import type { CallCentreModel } from './model.js';
import { Random } from './random.js';

/** What the simulation drives: the production Pacer, or a baseline with the same two entry points. */
export interface Dialer {
  observe(observation: DialingObservation): void;
  callsToPlace(snapshot: PacingSnapshot): number;
}

/** One simulated day's totals. */
export interface DayFigures {
  loggedSec: number;
  /** Agents' talk and wrap-up inside the day. */
  handlingSec: number;
  answered: number;
  abandoned: number;
  connected: number;
  /** Idle seconds of agents between the end of one call's wrap-up and their next call. */
  waitBetweenCallsSec: number;
  waitsBetweenCalls: number;
}

type Event =
  | { kind: 'tick' }
  | { kind: 'ringEnd'; call: string; answered: boolean }
  | { kind: 'seatWaitOver'; call: string }
  | { kind: 'talkEnd'; call: string }
  | { kind: 'seatFree'; agent: Agent; call: string };

interface Agent {
  /** When the agent's last call ended, or null before the first. */
  freeSince: number | null;
}

/** The engine's tick: between dialing events the dialer is asked again at least this often. */
const TICK_MS = 1000;
/** 09:00 UTC of the day before the first, so the dialer sees plausible epoch times. */
const DAY_ZERO = Date.UTC(2026, 0, 5, 9);

/** Runs one day of the model against `dialer`, asking it after every event and every tick. */
export function simulateDay(model: CallCentreModel, dialer: Dialer, plan: PacingPlan, seed: number): DayFigures {
  const random = new Random(seed);
  const start = DAY_ZERO + seed * 86_400_000;
  const end = start + model.dayHours * 3_600_000;
  const events = new EventQueue<Event>();
  const agents: Agent[] = Array.from({ length: model.agents }, () => ({ freeSince: null }));
  // Longest idle first, as a queue with strategy leastrecent hands calls out.
  const freeAgents: Agent[] = [...agents];
  const waiting: string[] = [];
  const waitingSet = new Set<string>();
  let ringing = 0;
  let talking = 0;
  let callCount = 0;
  const day: DayFigures = {
    loggedSec: model.agents * model.dayHours * 3600,
    handlingSec: 0,
    answered: 0,
    abandoned: 0,
    connected: 0,
    waitBetweenCallsSec: 0,
    waitsBetweenCalls: 0,
  };

  const connect = (call: string, agent: Agent, now: number): void => {
    dialer.observe({ kind: 'connected', dialingId: call, at: now });
    const talkMs = random.exponential(model.meanTalkSec) * 1000;
    const freeAt = now + talkMs + model.wrapUpSec * 1000;
    if (now < end) {
      day.connected++;
      day.handlingSec += (Math.min(freeAt, end) - now) / 1000;
      if (agent.freeSince !== null) {
        day.waitBetweenCallsSec += (now - agent.freeSince) / 1000;
        day.waitsBetweenCalls++;
      }
    }
    talking++;
    events.push(now + talkMs, { kind: 'talkEnd', call });
    events.push(freeAt, { kind: 'seatFree', agent, call });
  };

  const place = (now: number): void => {
    const call = `call-${++callCount}`;
    dialer.observe({ kind: 'placed', dialingId: call, at: now });
    ringing++;
    if (random.next() < model.answerProbability) {
      events.push(now + random.uniform(...model.answerRingSec) * 1000, { kind: 'ringEnd', call, answered: true });
    } else if (random.next() < model.noAnswerShare) {
      events.push(now + model.dialTimeoutSec * 1000, { kind: 'ringEnd', call, answered: false });
    } else {
      events.push(now + random.uniform(...model.busyRingSec) * 1000, { kind: 'ringEnd', call, answered: false });
    }
  };

  const handle = (event: Event, now: number): void => {
    switch (event.kind) {
      case 'tick':
        if (now + TICK_MS < end) events.push(now + TICK_MS, event);
        return;
      case 'ringEnd': {
        ringing--;
        if (!event.answered) {
          dialer.observe({ kind: 'failed', dialingId: event.call, at: now });
          return;
        }
        dialer.observe({ kind: 'answered', dialingId: event.call, at: now });
        if (now < end) day.answered++;
        const agent = freeAgents.shift();
        if (agent !== undefined) {
          connect(event.call, agent, now);
        } else {
          waiting.push(event.call);
          waitingSet.add(event.call);
          events.push(now + model.seatWaitSec * 1000, { kind: 'seatWaitOver', call: event.call });
        }
        return;
      }
      case 'seatWaitOver':
        if (!waitingSet.delete(event.call)) return;
        waiting.splice(waiting.indexOf(event.call), 1);
        dialer.observe({ kind: 'abandoned', dialingId: event.call, at: now });
        if (now - model.seatWaitSec * 1000 < end) day.abandoned++;
        return;
      case 'talkEnd':
        dialer.observe({ kind: 'hungUp', dialingId: event.call, at: now });
        talking--;
        return;
      case 'seatFree': {
        const { agent } = event;
        dialer.observe({ kind: 'seatFreed', dialingId: event.call, at: now });
        agent.freeSince = now;
        const next = waiting.shift();
        if (next === undefined) {
          freeAgents.push(agent);
        } else {
          waitingSet.delete(next);
          connect(next, agent, now);
        }
      }
    }
  };

  events.push(start, { kind: 'tick' });
  // Calls answered before the end are followed until they find an agent or are abandoned.
  const stop = end + model.seatWaitSec * 1000;
  while (events.nextAt <= stop) {
    const next = events.pop();
    if (next === undefined) break;
    handle(next.event, next.at);
    if (events.nextAt === next.at || next.at >= end) continue;
    const snapshot: PacingSnapshot = {
      now: next.at,
      plan,
      seats: { free: freeAgents.length, busy: model.agents - freeAgents.length },
      liveDialings: ringing,
      callsUp: ringing + waiting.length + talking,
      trunkChannelsFree: null,
    };
    const calls = dialer.callsToPlace(snapshot);
    for (let index = 0; index < calls; index++) place(next.at);
  }
  return day;
}
