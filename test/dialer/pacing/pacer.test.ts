import { describe, expect, it } from 'vitest';
import { Pacer } from '../../../src/dialer/pacing/pacer.js';
import { PLAN, START, pacerWithHistory, snapshot } from './history.js';

const progressive = { ...PLAN, dialMode: 'PROGRESSIVE' as const };

describe('PROGRESSIVE', () => {
  it('places one call per free seat that no live dialing is meant for', () => {
    expect(new Pacer().callsToPlace(snapshot({ plan: progressive, seats: { free: 5, busy: 3 }, liveDialings: 2 }))).toBe(3);
  });

  it('places nothing when live dialings already cover the free seats', () => {
    expect(new Pacer().callsToPlace(snapshot({ plan: progressive, seats: { free: 2, busy: 3 }, liveDialings: 4 }))).toBe(0);
  });

  it('ignores the service level', () => {
    const plan = { ...progressive, serviceLevel: 3 };
    expect(new Pacer().callsToPlace(snapshot({ plan, seats: { free: 2, busy: 3 } }))).toBe(2);
  });
});

describe('limits', () => {
  it('never takes the plan over its concurrent calls', () => {
    const plan = { ...progressive, maxConcurrentCalls: 10 };
    expect(new Pacer().callsToPlace(snapshot({ plan, seats: { free: 6, busy: 4 }, callsUp: 7 }))).toBe(3);
  });

  it('never takes the trunk over its capacity', () => {
    expect(new Pacer().callsToPlace(snapshot({ plan: progressive, seats: { free: 6, busy: 4 }, trunkChannelsFree: 1 }))).toBe(1);
  });

  it('holds a predictive over-dial to the concurrent limit', () => {
    const unlimited = pacerWithHistory(400).callsToPlace(snapshot());
    const plan = { ...PLAN, maxConcurrentCalls: 12 };
    expect(unlimited).toBeGreaterThan(4);
    expect(pacerWithHistory(400).callsToPlace(snapshot({ plan, callsUp: 8 }))).toBe(4);
  });

  it('dials a destination without seats up to the limits, and not at all without any', () => {
    const plan = { ...progressive, maxConcurrentCalls: 5 };
    expect(new Pacer().callsToPlace(snapshot({ plan, seats: null, callsUp: 2 }))).toBe(3);
    expect(new Pacer().callsToPlace(snapshot({ plan: progressive, seats: null }))).toBe(0);
  });
});

describe('BROADCAST', () => {
  const broadcast = { ...PLAN, dialMode: 'BROADCAST' as const };

  it("fills the plan's and the trunks' room with no agent at all", () => {
    expect(new Pacer().callsToPlace(snapshot({ plan: { ...broadcast, maxConcurrentCalls: 30 }, seats: null, callsUp: 12 }))).toBe(18);
    expect(new Pacer().callsToPlace(snapshot({ plan: broadcast, seats: null, callsUp: 12, trunkChannelsFree: 7 }))).toBe(7);
  });

  it('places nothing without a limit, rather than the whole list at once', () => {
    expect(new Pacer().callsToPlace(snapshot({ plan: broadcast, seats: null }))).toBe(0);
  });

  it('is not held back by the abandon rate', () => {
    const plan = { ...broadcast, maxConcurrentCalls: 20 };
    expect(pacerWithHistory(400, 40).callsToPlace(snapshot({ plan, seats: null, callsUp: 10 }))).toBe(10);
  });
});

describe('the abandon rate', () => {
  it('is over the calls answered for an agent: a machine or a seatless answer is released, neither abandoned nor counted', () => {
    const pacer = new Pacer();
    for (const [id, end] of [['machine', 'released'], ['echo', 'released'], ['queued', 'abandoned']] as const) {
      pacer.observe({ kind: 'placed', dialingId: id, at: START });
      pacer.observe({ kind: 'answered', dialingId: id, at: START + 1000 });
      pacer.observe({ kind: end, dialingId: id, at: START + 5000 });
    }
    expect(pacer.summary()).toMatchObject({ answered: 1, abandoned: 1, abandonRate: 1, answerRate: 1 });
  });
});

describe('PREVIEW', () => {
  it('places nothing by itself, whatever the free seats', () => {
    const plan = { ...PLAN, dialMode: 'PREVIEW' as const };
    expect(pacerWithHistory(400).callsToPlace(snapshot({ plan, seats: { free: 10, busy: 0 } }))).toBe(0);
  });
});

describe('PREDICTIVE warm-up', () => {
  // The history has 408 finished attempts: 400 and the 8 calls the busy seats are on.
  it("follows jade's rule (free seats - live dialings + service level) until warmUpAttempts attempts finished", () => {
    const plan = { ...PLAN, serviceLevel: 1, warmUpAttempts: 409 };
    expect(pacerWithHistory(400).callsToPlace(snapshot({ plan, liveDialings: 1 }))).toBe(2);
  });

  it('predicts from the attempt that completes the warm-up', () => {
    const plan = { ...PLAN, serviceLevel: 1, warmUpAttempts: 408 };
    expect(pacerWithHistory(400).callsToPlace(snapshot({ plan, liveDialings: 1 }))).toBeGreaterThan(2);
  });

  it('places nothing while no seat is staffed, whatever the service level', () => {
    const plan = { ...PLAN, serviceLevel: 2 };
    expect(new Pacer().callsToPlace(snapshot({ plan, seats: { free: 0, busy: 0 } }))).toBe(0);
  });
});

describe('PREDICTIVE', () => {
  it('places more than jade rule once warmed up, for seats about to free', () => {
    expect(pacerWithHistory(400).callsToPlace(snapshot())).toBeGreaterThan(2);
  });

  it("never places fewer than jade's rule", () => {
    const plan = { ...PLAN, serviceLevel: 30 };
    expect(pacerWithHistory(400).callsToPlace(snapshot({ plan }))).toBe(32);
  });

  it('places fewer calls while others are ringing', () => {
    const idle = pacerWithHistory(400).callsToPlace(snapshot());
    const pacer = pacerWithHistory(400);
    for (let index = 0; index < 6; index++) pacer.observe({ kind: 'placed', dialingId: `ringing-${index}`, at: snapshot().now - 1000 });
    expect(pacer.callsToPlace(snapshot({ liveDialings: 6 }))).toBeLessThan(idle - 3);
  });

  it('backs off as the abandon rate nears the maximum', () => {
    // 108 answered: 3 % allows 3 abandons.
    const counts = [0, 2, 3, 4].map((abandoned) => pacerWithHistory(400, abandoned).callsToPlace(snapshot()));
    expect(counts[1]).toBeLessThan(counts[0] as number);
    expect(counts[2]).toBeLessThan(counts[1] as number);
    expect(counts[3]).toBeLessThanOrEqual(counts[2] as number);
  });
});

describe('PREDICTIVE over its maximum abandon rate', () => {
  it('places only calls that have a free seat waiting, whatever the service level, until the rate is back under', () => {
    const plan = { ...PLAN, serviceLevel: 3 };
    // 108 answered: 3 % is 3.24 abandons, so 4 is over the maximum.
    const over = pacerWithHistory(400, 4);
    // Two free seats, nothing ringing: two calls, as PROGRESSIVE would place (the service level of 3 ignored).
    expect(over.callsToPlace(snapshot({ plan }))).toBe(2);
    expect(over.callsToPlace(snapshot({ plan, liveDialings: 2 }))).toBe(0);
    expect(pacerWithHistory(400, 3).callsToPlace(snapshot({ plan }))).toBeGreaterThan(over.callsToPlace(snapshot({ plan })));
  });
});

describe('summary', () => {
  it("reports the run's answer and abandon rates", () => {
    const summary = pacerWithHistory(400, 4).summary();
    expect(summary).toMatchObject({ finishedAttempts: 408, answered: 108, abandoned: 4 });
    expect(summary.abandonRate).toBeCloseTo(4 / 108);
    expect(summary.answerRate).toBeCloseTo(108 / 408);
  });
});
