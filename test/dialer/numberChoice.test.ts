import { describe, expect, it } from 'vitest';
import { chooseNumber } from '../../src/dialer/numberChoice.js';

const numbers = [
  { slot: 1, number: 'home', priority: 0, tryCount: 1 },
  { slot: 2, number: 'mobile', priority: 5, tryCount: 1 },
  { slot: 3, number: 'work', priority: 0, tryCount: 0 },
];

describe("choosing a member's next number", () => {
  it('BY_PRIORITY takes the least-tried number, then the highest priority, then the first slot', () => {
    expect(chooseNumber(numbers, [3, 3, 3], 'BY_PRIORITY')?.number).toBe('work');
    expect(chooseNumber(numbers.slice(0, 2), [3, 3, 3], 'BY_PRIORITY')?.number).toBe('mobile');
  });

  it('TOP_DOWN keeps to the highest-priority number until its tries are used up', () => {
    expect(chooseNumber(numbers, [3, 3, 3], 'TOP_DOWN')?.number).toBe('mobile');
    expect(chooseNumber(numbers, [3, 1, 3], 'TOP_DOWN')?.number).toBe('home');
  });

  it('offers nothing once every number has used its tries', () => {
    expect(chooseNumber(numbers, [1, 1, 0], 'BY_PRIORITY')).toBeNull();
  });
});
