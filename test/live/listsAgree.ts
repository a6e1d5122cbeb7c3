import { field, type AmiEvent } from '../../src/ami/message.js';
import { memberKey, type LiveState } from '../../src/live/state.js';
import { stateBefore, type Step } from './replay.js';

/**
 * A PBX's own lists (QueueStatus, QueueSummary, Agents) taken in the middle of a session, against what the reducer
 * had built from the events alone just before each list item: the figures no event carries (a member in a call,
 * calls completed, available members) must follow the events as app_queue keeps them. Figures the reducer does not
 * know yet (never listed before) are left out; every other one must agree. Used on the recordings (the reducer
 * against Asterisk) and on the simulator's sessions (the simulator's lists against its own events).
 */
export type Compared = { line: number; what: string; asterisk: Record<string, unknown>; reducer: Record<string, unknown> };

const number = (event: AmiEvent, key: string) => Number(field(event, key));

/** The fields of `known` the reducer has a value for, beside Asterisk's, or null when it knows nothing of the object. */
function known(fields: Record<string, unknown>, reducer: Record<string, unknown> | undefined): { asterisk: Record<string, unknown>; reducer: Record<string, unknown> } | null {
  if (reducer === undefined) return null;
  const kept = Object.keys(fields).filter((key) => reducer[key] !== null);
  return { asterisk: Object.fromEntries(kept.map((key) => [key, fields[key]])), reducer: Object.fromEntries(kept.map((key) => [key, reducer[key]])) };
}

function compare(event: AmiEvent, before: LiveState): Omit<Compared, 'line'> | null {
  const queue = field(event, 'queue');
  switch (event.event) {
    case 'QueueMember': {
      const member = before.queueMember.get(memberKey(queue, field(event, 'location')));
      const pair = known({ inCall: field(event, 'incall') === '1', callsTaken: number(event, 'callstaken'), status: number(event, 'status'), paused: field(event, 'paused') === '1' }, member);
      return pair && { what: `member ${queue} ${field(event, 'location')}`, ...pair };
    }
    case 'QueueParams': {
      const fields = { calls: number(event, 'calls'), completed: number(event, 'completed'), abandoned: number(event, 'abandoned'), holdTime: number(event, 'holdtime'), talkTime: number(event, 'talktime') };
      const pair = known(fields, before.queue.get(queue));
      return pair && { what: `params ${queue}`, ...pair };
    }
    case 'QueueSummary': {
      const fields = { loggedIn: number(event, 'loggedin'), available: number(event, 'available'), calls: number(event, 'callers'), holdTime: number(event, 'holdtime'), talkTime: number(event, 'talktime') };
      const pair = known(fields, before.queue.get(queue));
      return pair && { what: `summary ${queue}`, ...pair };
    }
    case 'Agents': {
      const agent = before.agent.get(field(event, 'agent'));
      const status = { AGENT_LOGGEDOFF: 'LOGGED_OFF', AGENT_IDLE: 'IDLE', AGENT_ONCALL: 'ON_CALL' }[field(event, 'status')];
      const pair = known({ status }, agent);
      return pair && { what: `agent ${field(event, 'agent')}`, ...pair };
    }
    default:
      return null;
  }
}

/** Every queue, member and agent list item of a replay, beside what the reducer had built before it. */
export function listComparisons(steps: readonly Step[]): Compared[] {
  return steps.flatMap((step) => {
    const compared = compare(step.event, stateBefore(steps, step.line));
    return compared === null || Object.keys(compared.asterisk).length === 0 ? [] : [{ line: step.line, ...compared }];
  });
}

