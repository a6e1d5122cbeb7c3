import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from '../src/backoff.js';

describe('backoffDelay', () => {
  it('doubles the ceiling from 0.5 s up to 30 s by default', () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 6, 7, 8, 20, 2000].map((attempt) => backoffDelay(attempt, DEFAULT_BACKOFF, () => 1));
    expect(ceilings).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000, 30_000, 30_000]);
  });

  it('draws uniformly below the ceiling (full jitter)', () => {
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 0)).toBe(0);
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 0.25)).toBe(1000);
    expect(backoffDelay(10, DEFAULT_BACKOFF, () => 0.5)).toBe(15_000);
  });

  it('stays within bounds whatever the random source returns', () => {
    expect(backoffDelay(1, { initialMs: 10, maxMs: 40 }, () => 7)).toBe(20);
    expect(backoffDelay(1, { initialMs: 10, maxMs: 40 }, () => -1)).toBe(0);
  });
});
