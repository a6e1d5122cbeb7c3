import { describe, expect, it } from 'vitest';
import { chooseNumber } from '../../src/dialer/numberChoice.js';
import type { NumberTypeRule } from '../../src/outbound/numberTypes.js';

const numbers = [
  { slot: 1, number: 'home', priority: 0, tryCount: 1 },
  { slot: 2, number: 'mobile', priority: 5, tryCount: 1 },
  { slot: 3, number: 'work', priority: 0, tryCount: 0 },
];

const slotsOnly = (maxRetries: number[]) => ({ maxRetries, numberTypes: [] });

describe("choosing a member's next number", () => {
  it('BY_PRIORITY takes the least-tried number, then the highest priority, then the first slot', () => {
    expect(chooseNumber(numbers, slotsOnly([3, 3, 3]), 'BY_PRIORITY')?.number).toBe('work');
    expect(chooseNumber(numbers.slice(0, 2), slotsOnly([3, 3, 3]), 'BY_PRIORITY')?.number).toBe('mobile');
  });

  it('TOP_DOWN keeps to the highest-priority number until its tries are used up', () => {
    expect(chooseNumber(numbers, slotsOnly([3, 3, 3]), 'TOP_DOWN')?.number).toBe('mobile');
    expect(chooseNumber(numbers, slotsOnly([3, 1, 3]), 'TOP_DOWN')?.number).toBe('home');
  });

  it('offers nothing once every number has used its tries', () => {
    expect(chooseNumber(numbers, slotsOnly([1, 1, 0]), 'BY_PRIORITY')).toBeNull();
  });

  describe('with number types', () => {
    const type = (code: string, maxTries: number, priority: number): NumberTypeRule => ({ code, maxTries, priority, windows: [] });
    const typed = [
      { slot: 1, number: 'mobile', priority: 9, tryCount: 0, type: 'mobile' },
      { slot: 2, number: 'home', priority: 0, tryCount: 0, type: 'home' },
      { slot: 3, number: 'fax', priority: 0, tryCount: 0, type: 'fax' },
    ];
    const rules = { maxRetries: [3, 3, 3], numberTypes: [type('mobile', 2, 1), type('home', 1, 10)] };

    it("ranks by the type's priority before the number's own, under both strategies", () => {
      expect(chooseNumber(typed, rules, 'TOP_DOWN')?.number).toBe('home');
      expect(chooseNumber(typed, rules, 'BY_PRIORITY')?.number).toBe('home');
    });

    it("counts tries against the type's maxTries, and the slot's for a type the plan does not define", () => {
      const tried = typed.map((number) => ({ ...number, tryCount: 1 }));
      expect(chooseNumber(tried, rules, 'TOP_DOWN')?.number).toBe('mobile');
      expect(chooseNumber(tried.map((number) => (number.type === 'mobile' ? { ...number, tryCount: 2 } : number)), rules, 'TOP_DOWN')?.number).toBe('fax');
      expect(chooseNumber(tried.map((number) => ({ ...number, tryCount: 3 })), rules, 'TOP_DOWN')).toBeNull();
    });
  });
});
