import { describe, expect, it } from 'vitest';
import { parkedCallKey } from '../../src/live/state.js';
import { reduce } from '../../src/live/reducer.js';
import { SERVER, changesOf, finalState, replay, stateAt, variantOf } from './replay.js';

describe('a parked call that times out (answered-to-park)', () => {
  const steps = replay('answered-to-park');
  const key = parkedCallKey('default', 701);

  it('shows the parked call in space 701 while parked', () => {
    expect(stateAt(steps, 36).parkedCall.get(key)).toEqual({
      server: 'pbx-test',
      lot: 'default',
      space: 701,
      parkeeChannel: 'Local/6001@customers-0000000b;1',
      parkeeUniqueid: '1795294916.22',
      parkeeLinkedid: '1795294916.22',
      parkeeCallerIdNum: '5550000',
      parkeeCallerIdName: 'Campaign A',
      parkeeConnectedLineNum: '5550000',
      parkeeConnectedLineName: 'Campaign A',
      parkerDialString: 'Local/6001@customers',
      timeout: 20,
      parkedAt: 1795294917524,
      leaveReason: null,
      retrieverChannel: null,
    });
  });

  it('agrees with the ParkedCalls list item two seconds later (ParkingTimeout 18, ParkingDuration 2)', () => {
    expect(steps.find((step) => step.line === 40)?.changes).toEqual([]);
  });

  it('ends with the lot empty and the call gone as TIMED_OUT, keeping when it was parked', () => {
    const removed = changesOf(steps, 'parkedCall').filter((change) => change.kind === 'REMOVED');
    expect(removed.map((change) => [change.line, change.value.leaveReason, change.value.parkedAt, change.value.timeout])).toEqual([
      [57, 'TIMED_OUT', 1795294917524, 20],
    ]);
    expect(finalState(steps).parkedCall.size).toBe(0);
  });
});

describe('a parked call whose caller hangs up (park-then-hangup)', () => {
  const steps = replay('park-then-hangup');
  const key = parkedCallKey('default', 701);

  it('shows the call parked, then gone as GAVE_UP when the parkee hangs up', () => {
    expect(stateAt(steps, 30).parkedCall.get(key)).toMatchObject({ parkeeChannel: 'Local/7002@customers-00000009;1', timeout: 20 });
    const removed = changesOf(steps, 'parkedCall').filter((change) => change.kind === 'REMOVED');
    expect(removed.map((change) => [change.line, change.value.leaveReason])).toEqual([[43, 'GAVE_UP']]);
    expect(finalState(steps).parkedCall.size).toBe(0);
  });

  it('sees ParkedCall before the BridgeEnter here, after it in answered-to-park, and gets the same call either way', () => {
    expect(stateAt(steps, 30).parkedCall.has(key)).toBe(true);
    expect(stateAt(steps, 30).bridge.get('6ca75608-6ff7-4d15-9946-d7964df4a5bf')?.channels).toEqual([]);
    expect(stateAt(steps, 32).bridge.get('6ca75608-6ff7-4d15-9946-d7964df4a5bf')?.channels).toEqual(['1795294895.18']);
  });
});

describe('parked calls retrieved or swapped (UnParkedCall, ParkedCallSwap, which no transcript shows)', () => {
  const steps = replay('answered-to-park');
  const key = parkedCallKey('default', 701);
  const parked = stateAt(steps, 36);

  it('removes a retrieved call as RETRIEVED, naming who retrieved it', () => {
    const unparked = variantOf(steps, 57, { event: 'UnParkedCall', retrieverchannel: 'PJSIP/201-00000007' });
    const { changes } = reduce(parked, unparked, SERVER);
    expect(changes.filter((change) => change.entity === 'parkedCall')).toEqual([
      {
        kind: 'REMOVED',
        entity: 'parkedCall',
        key,
        value: expect.objectContaining({ leaveReason: 'RETRIEVED', retrieverChannel: 'PJSIP/201-00000007', parkedAt: 1795294917524 }),
      },
    ]);
  });

  it('keeps the space parked with the new parkee on a swap', () => {
    const swap = variantOf(steps, 36, { event: 'ParkedCallSwap', parkeechannel: 'Local/6002@customers-0000000c;1', parkeeuniqueid: '1795294999.1' });
    const { state, changes } = reduce(parked, swap, SERVER);
    expect(changes.map((change) => [change.kind, change.key])).toEqual([['UPDATED', key]]);
    expect(state.parkedCall.get(key)).toMatchObject({ parkeeChannel: 'Local/6002@customers-0000000c;1', parkeeUniqueid: '1795294999.1' });
  });
});
