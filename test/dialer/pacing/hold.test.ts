import { describe, expect, it } from 'vitest';
import { pacingHold, type PacingState } from '../../../src/dialer/pacing/hold.js';
import { Pacer } from '../../../src/dialer/pacing/pacer.js';
import type { PacingSnapshot } from '../../../src/dialer/pacing/snapshot.js';
import { PLAN, snapshot } from './history.js';

const progressive = { ...PLAN, dialMode: 'PROGRESSIVE' as const, maxConcurrentCalls: 10 };
const state: PacingState = { overAbandonLimit: false, boostPercent: 100, queue: 'sales' };

/** The reason given for a snapshot on which the pacer indeed places no call. */
function reasonFor(paced: PacingSnapshot): string | undefined {
  expect(new Pacer().callsToPlace(paced)).toBe(0);
  return pacingHold(paced, state)?.reason;
}

describe('which limit holds the pacing at no call', () => {
  it('names each limit a supervisor can act on', () => {
    expect(reasonFor(snapshot({ plan: { ...progressive, maxConcurrentCalls: null }, seats: null }))).toBe('NO_CALL_LIMIT');
    expect(reasonFor(snapshot({ plan: progressive, seats: { free: 5, busy: 0 }, callsUp: 10 }))).toBe('CALL_LIMIT');
    expect(reasonFor(snapshot({ plan: progressive, seats: { free: 5, busy: 0 }, trunkChannelsFree: 0 }))).toBe('TRUNK_FULL');
    expect(reasonFor(snapshot({ plan: progressive, seats: { free: 0, busy: 0 } }))).toBe('NO_AGENTS');
    expect(reasonFor(snapshot({ plan: progressive, seats: { free: 2, busy: 3 }, liveDialings: 2 }))).toBe('NO_FREE_SEAT');
    expect(reasonFor(snapshot({ plan: { ...progressive, dialMode: 'PREVIEW' }, seats: { free: 2, busy: 0 } }))).toBe('PREVIEW');
  });

  it('names the boost and the abandon limit before the seats they hold back', () => {
    const busy = snapshot({ plan: { ...progressive, dialMode: 'PREDICTIVE' }, seats: { free: 0, busy: 4 } });
    expect(pacingHold(busy, { ...state, overAbandonLimit: true })?.reason).toBe('ABANDON_LIMIT');
    expect(pacingHold(snapshot({ plan: progressive, seats: { free: 3, busy: 0 } }), { ...state, boostPercent: 0 })?.reason).toBe('BOOSTED_TO_ZERO');
  });

  it('says the figures behind it', () => {
    expect(pacingHold(snapshot({ plan: progressive, seats: { free: 2, busy: 3 }, liveDialings: 2 }), state)?.detail).toBe('queue sales: 2 free agent(s), 2 call(s) already ringing for them');
    expect(pacingHold(snapshot({ plan: progressive, seats: { free: 5, busy: 0 }, callsUp: 10 }), state)?.detail).toBe("10 of the plan's 10 concurrent calls are up");
  });

  it('finds none when the pacing places calls', () => {
    expect(pacingHold(snapshot({ plan: progressive, seats: { free: 3, busy: 0 } }), state)).toBeNull();
  });
});
