import { describe, expect, it } from 'vitest';
import { field, type AmiEvent } from '../../src/ami/message.js';
import { memberKey, type LiveState } from '../../src/live/state.js';
import { TRANSCRIPT_NAMES } from '../support/transcripts.js';
import { replay, stateBefore } from './replay.js';

/**
 * Asterisk's own lists (QueueStatus, QueueSummary, Agents) taken in the middle of each recorded session, against
 * what the reducer had built from the events alone just before each list item: the figures no event carries
 * (a member in a call, calls completed, available members) must follow the events as app_queue keeps them.
 * Figures the reducer does not know yet (never listed before) are left out; every other one must agree.
 */
type Compared = { line: number; what: string; asterisk: Record<string, unknown>; reducer: Record<string, unknown> };

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
      const status = { AGENT_LOGGEDOFF: 'LOGGEDOFF', AGENT_IDLE: 'IDLE', AGENT_ONCALL: 'ONCALL' }[field(event, 'status')];
      const pair = known({ status }, agent);
      return pair && { what: `agent ${field(event, 'agent')}`, ...pair };
    }
    default:
      return null;
  }
}

function comparisons(name: (typeof TRANSCRIPT_NAMES)[number]): Compared[] {
  const steps = replay(name);
  return steps.flatMap((step) => {
    const compared = compare(step.event, stateBefore(steps, step.line));
    return compared === null || Object.keys(compared.asterisk).length === 0 ? [] : [{ line: step.line, ...compared }];
  });
}

describe("the events alone keep what Asterisk's own lists say", () => {
  it.each(TRANSCRIPT_NAMES)('%s: every queue, member and agent list item agrees with the state built before it', (name) => {
    for (const compared of comparisons(name)) expect({ ...compared, reducer: compared.asterisk }).toEqual(compared);
  });

  it('covers what no event says: a member in a call and after it, completed calls and their averages, available members', () => {
    const ackcall = comparisons('agents-ackcall-accept').filter((compared) => compared.what === 'member helpdesk Local/1002@agent-request/n');
    // During the call (InCall 1, with no event saying so), and in the wrap-up after it (InCall 0, one call taken).
    expect(ackcall.map((compared) => [compared.asterisk.inCall, compared.asterisk.callsTaken])).toContainEqual([true, 0]);
    expect(ackcall.map((compared) => [compared.asterisk.inCall, compared.asterisk.callsTaken])).toContainEqual([false, 1]);
    const waiting = comparisons('queue-wait-for-agent');
    expect(waiting.find((compared) => compared.what === 'params sales' && compared.asterisk.completed === 4)?.asterisk).toEqual({ calls: 0, completed: 4, abandoned: 0, holdTime: 2, talkTime: 5 });
    expect(waiting.filter((compared) => compared.what === 'summary sales').map((compared) => compared.asterisk.available)).toEqual([0, 0, 2]);
  });
});
