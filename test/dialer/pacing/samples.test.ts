import { describe, expect, it } from 'vitest';
import { SlidingSamples } from '../../../src/dialer/pacing/samples.js';

describe('SlidingSamples', () => {
  it('gives the share of samples above a value', () => {
    const samples = new SlidingSamples(10, 0.25);
    for (const value of [2, 4, 6, 8]) samples.add(value);
    expect(samples.survival(1)).toBe(1);
    expect(samples.survival(5)).toBe(0.5);
    expect(samples.survival(8)).toBe(0);
    expect(samples.mean).toBe(5);
  });

  it('keeps only the last samples', () => {
    const samples = new SlidingSamples(2, 1);
    for (const value of [100, 1, 3]) samples.add(value);
    expect(samples.mean).toBe(2);
    expect(samples.survival(50)).toBe(0);
  });

  it('lets nothing end before the first sample', () => {
    expect(new SlidingSamples(10, 1).survival(1000)).toBe(1);
  });
});
