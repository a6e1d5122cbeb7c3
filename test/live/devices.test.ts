import { describe, expect, it } from 'vitest';
import { reduce } from '../../src/live/reducer.js';
import { extensionKey, memberKey, type LiveState } from '../../src/live/state.js';
import { SERVER, changesOf, finalState, replay, stateAt, stateBefore, variantOf, type Step } from './replay.js';

const desk = memberKey('support', 'Local/104@agents/n');

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe('device and extension states (device-states)', () => {
  const steps = replay('device-states');

  it('follows Custom:desk201 through every state it was set to', () => {
    const states = changesOf(steps, 'device')
      .filter((change) => change.key === 'Custom:desk201')
      .map((change) => change.value.state);
    expect(states).toEqual(['NOT_INUSE', 'INUSE', 'RINGING', 'RINGINUSE', 'ONHOLD', 'BUSY', 'NOT_INUSE', 'UNAVAILABLE']);
  });

  it("follows hint 201's extension status: Idle from the list, then 1, 8, 9, 16, 2, 0 and 4", () => {
    expect(stateAt(steps, 9).extension.get(extensionKey('201', 'hints'))).toEqual({
      server: SERVER,
      exten: '201',
      context: 'hints',
      hint: 'Custom:desk201',
      status: 0,
      statusText: 'Idle',
    });
    const statuses = changesOf(steps, 'extension')
      .filter((change) => change.key === '201@hints')
      .map((change) => [change.value.status, change.value.statusText]);
    expect(statuses).toEqual([
      [0, 'Idle'],
      [1, 'InUse'],
      [8, 'Ringing'],
      [9, 'InUse&Ringing'],
      [16, 'Hold'],
      [2, 'Busy'],
      [0, 'Idle'],
      [4, 'Unavailable'],
    ]);
  });

  it('follows the support member whose state interface is the desk: status 0, 1, 2, 6, 7, 8, 3, 1, 5', () => {
    const statuses = changesOf(steps, 'queueMember')
      .filter((change) => change.key === desk && change.kind !== 'REMOVED')
      .map((change) => change.value.status)
      .filter((status, i, all) => status !== all[i - 1]);
    expect(statuses).toEqual([0, 1, 2, 6, 7, 8, 3, 1, 5]);
    expect(stateAt(steps, 63).queueMember.get(desk)).toMatchObject({ paused: true, pausedReason: 'wrap-up', statusName: 'BUSY' });
    expect(stateAt(steps, 78).queueMember.get(desk)).toMatchObject({ paused: false, pausedReason: '' });
    expect(finalState(steps).queueMember.has(desk)).toBe(false);
  });

  it('lands in the same state whatever order the three events of one change arrive in', () => {
    for (const [first, last] of [
      [36, 38],
      [51, 53],
      [56, 58],
      [81, 83],
    ] as const) {
      const before = stateBefore(steps, first);
      const trio = steps.filter((step) => step.line >= first && step.line <= last);
      const ends = permutations(trio).map((order) =>
        order.reduce<LiveState>((state, step: Step) => reduce(state, step.event, SERVER).state, before),
      );
      const expected = stateAt(steps, last);
      for (const end of ends) {
        expect(end.device.get('Custom:desk201')).toEqual(expected.device.get('Custom:desk201'));
        expect(end.extension.get('201@hints')).toEqual(expected.extension.get('201@hints'));
        expect(end.queueMember.get(desk)).toEqual(expected.queueMember.get(desk));
      }
    }
  });

  it('follows hint 202 through a Local/1202@customers call, but keeps no Local/ device', () => {
    const statuses = changesOf(steps, 'extension')
      .filter((change) => change.key === '202@hints')
      .map((change) => [change.line, change.value.status]);
    expect(statuses).toEqual([
      [8, 4],
      [101, 1],
      [141, 0],
    ]);
    expect([...finalState(steps).device.keys()].filter((device) => device.startsWith('Local/'))).toEqual([]);
  });

  it('reads the DeviceStateList items as device states, agreeing with what the events said', () => {
    const state = stateAt(steps, 24);
    expect(state.device.get('Agent:1001')).toEqual({ server: SERVER, device: 'Agent:1001', state: 'UNAVAILABLE' });
    expect(state.device.get('Queue:sales_avail')?.state).toBe('INUSE');
    expect(steps.filter((step) => step.line >= 123 && step.line <= 133).flatMap((step) => step.changes)).toEqual([]);
  });
});

describe('a hint that goes away', () => {
  it('removes the extension state when its status is -2 (AST_EXTENSION_REMOVED)', () => {
    const steps = replay('device-states');
    const removed = variantOf(steps, 9, { status: '-2', statustext: 'Removed' });
    const { state, changes } = reduce(stateAt(steps, 11), removed, SERVER);
    expect(changes.map((change) => [change.kind, change.key])).toEqual([['REMOVED', '201@hints']]);
    expect(state.extension.has('201@hints')).toBe(false);
  });
});
