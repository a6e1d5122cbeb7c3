import { describe, expect, it } from 'vitest';
import { numberPatternProblem } from '../../src/outbound/numberPattern.js';

describe("a trunk's number pattern", () => {
  it('takes the patterns routes are written with', () => {
    for (const pattern of ['^9\\d{8}$', '^(\\+351|00351)?9[1236]\\d{7}$', '^\\+?1\\d{10}$', '^[2-5]', '.*', '^0(800|808)\\d{6}$', '^\\d{3,}$', '^(?:44|33)\\d+$', '^a{2}b?$']) {
      expect([pattern, numberPatternProblem(pattern)]).toEqual([pattern, null]);
    }
  });

  it('refuses what is not a regular expression, with the reason', () => {
    expect(numberPatternProblem('^(9\\d+$')).toMatch(/^is not a valid regular expression/);
    expect(numberPatternProblem('x'.repeat(201))).toBe('must be at most 200 characters');
  });

  it('refuses what can take exponential time, back-references and lookarounds', () => {
    for (const pattern of ['^(\\d+)+$', '^(a|aa)*$', '(\\d*)*x', '^(a?){30}a{30}$', '((ab)+)+', '^(?:\\d|\\d\\d){2,}$']) {
      expect([pattern, numberPatternProblem(pattern)]).toEqual([pattern, expect.stringMatching(/exponential time/)]);
    }
    expect(numberPatternProblem('^(\\d)\\1$')).toBe('must not use back-references');
    expect(numberPatternProblem('^(?=9)\\d+$')).toBe('must not use lookaheads or lookbehinds');
    expect(numberPatternProblem('^\\d*\\d*\\d*\\d*\\d*x$')).toBe('must use *, + or {n,} at most 4 times');
  });
});
