import { describe, expect, it } from 'vitest';
import { parseFrame, type AmiEvent } from '../../src/ami/message.js';
import { reduce, reduceEvents } from '../../src/live/reducer.js';
import { emptyLiveState, ENTITY_NAMES } from '../../src/live/state.js';
import { TRANSCRIPT_NAMES } from '../support/transcripts.js';
import { SERVER, finalState, replay, stateAt } from './replay.js';

describe('replaying every transcript', () => {
  it.each(TRANSCRIPT_NAMES)('%s leaves no channel, call, waiting caller or parked call behind', (name) => {
    const state = finalState(replay(name));
    expect([...state.channel.values()]).toEqual([]);
    expect([...state.call.values()]).toEqual([]);
    expect([...state.queueCaller.values()]).toEqual([]);
    expect([...state.parkedCall.values()]).toEqual([]);
  });

  it.each(TRANSCRIPT_NAMES)('%s: every event fed a second time changes nothing', (name) => {
    for (const step of replay(name)) {
      const again = reduce(step.state, step.event, SERVER);
      expect({ line: step.line, changes: again.changes }).toEqual({ line: step.line, changes: [] });
      expect(again.state).toBe(step.state);
    }
  });

  it.each(TRANSCRIPT_NAMES)('%s reduced as one batch gives the state and the changes of reducing its events one by one', (name) => {
    const steps = replay(name);
    const batch = reduceEvents(emptyLiveState(), steps.map((step) => step.event), SERVER);
    expect(batch.changes).toEqual(steps.flatMap((step) => step.changes));
    const last = finalState(steps);
    for (const entity of ENTITY_NAMES) expect(new Map<string, unknown>(batch.state[entity])).toEqual(new Map<string, unknown>(last[entity]));
  });

  it.each(TRANSCRIPT_NAMES)('%s: each change is the stored value, and every object names its server', (name) => {
    for (const step of replay(name)) {
      for (const change of step.changes) {
        expect(change.value.server).toBe(SERVER);
        const stored = step.state[change.entity].get(change.key);
        if (change.kind === 'REMOVED') expect(stored).toBeUndefined();
        else expect(stored).toEqual(change.value);
      }
    }
  });
});

describe('purity', () => {
  it('leaves the state it was given untouched', () => {
    const steps = replay('answered-to-queue');
    const whileQueued = stateAt(steps, 45);
    const before = ENTITY_NAMES.map((entity) => [...whileQueued[entity]]);
    expect(finalState(steps).queueCaller.size).toBe(0);
    expect(ENTITY_NAMES.map((entity) => [...whileQueued[entity]])).toEqual(before);
    expect(whileQueued.queueCaller.size).toBe(1);
  });

  it('returns the same state object, and no change, for an event it has nothing to do with', () => {
    const state = emptyLiveState();
    const event = parseFrame('Event: UserEvent\r\nUserEvent: CALLSTATUS\r\nV: SALE\r\n\r\n') as AmiEvent;
    expect(reduce(state, event, SERVER)).toEqual({ state, changes: [] });
    expect(reduce(state, event, SERVER).state).toBe(state);
  });

  it('shows no user event as a change (user-events)', () => {
    const userEvents = replay('user-events').filter((step) => step.event.event === 'UserEvent');
    expect(userEvents.map((step) => step.line)).toEqual([32, 34, 36]);
    expect(userEvents.flatMap((step) => step.changes)).toEqual([]);
  });
});
