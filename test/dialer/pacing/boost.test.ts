import { describe, expect, it } from 'vitest';
import { boostedCalls } from '../../../src/dialer/pacing/boost.js';
import { PLAN, snapshot } from './history.js';

describe('a campaign boost', () => {
  it('scales the calls the pacing asked for, 100 % leaving them as they are and 0 % placing none', () => {
    const free = snapshot({ plan: { ...PLAN, maxConcurrentCalls: null }, seats: { free: 4, busy: 0 }, callsUp: 0 });
    expect(boostedCalls(4, 100, free)).toBe(4);
    expect(boostedCalls(4, 250, free)).toBe(10);
    expect(boostedCalls(4, 50, free)).toBe(2);
    expect(boostedCalls(4, 0, free)).toBe(0);
  });

  it("never takes the campaign past its plan's concurrent limit or the trunk's capacity", () => {
    expect(boostedCalls(4, 500, snapshot({ plan: { ...PLAN, maxConcurrentCalls: 10 }, callsUp: 4 }))).toBe(6);
    expect(boostedCalls(4, 500, snapshot({ plan: { ...PLAN, maxConcurrentCalls: null }, trunkChannelsFree: 3 }))).toBe(3);
  });
});
