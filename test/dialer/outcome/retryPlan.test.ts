import { describe, expect, it } from 'vitest';
import { retryPlan, type RetryRules } from '../../../src/dialer/outcome/retryPlan.js';

const rules: RetryRules = { retryDelaySec: 60, maxRetries: [2, 1, 5, 5, 5, 5, 5, 5], numberTypes: [], retryMachine: false, retryAbandoned: false };
const endedAt = new Date('2026-05-04T10:00:00Z');
const oneMinuteLater = new Date('2026-05-04T10:01:00Z');

describe('after an attempt that did not reach anyone', () => {
  it("holds a number of a type the plan defines to its type's maxTries, and finishes the member when none of its numbers has tries left", () => {
    const typed: RetryRules = { ...rules, numberTypes: [{ code: 'mobile', maxTries: 3, priority: 0, windows: [{ weekdays: [], start: '18:00', end: '22:00' }] }, { code: 'home', maxTries: 1, priority: 0, windows: [] }] };
    // Slot 1 allows 2 tries; its mobile type allows 3.
    const mobile = retryPlan('BUSY', typed, [{ slot: 1, tryCount: 1, type: 'mobile' }, { slot: 2, tryCount: 1, type: 'home' }], { slot: 1, tryCount: 2, endedAt });
    expect(mobile).toMatchObject({ numberRetried: true, memberStatus: 'IDLE' });
    const spent = retryPlan('BUSY', typed, [{ slot: 1, tryCount: 2, type: 'mobile' }, { slot: 2, tryCount: 1, type: 'home' }], { slot: 1, tryCount: 3, endedAt });
    expect(spent).toMatchObject({ numberRetried: false, memberStatus: 'DONE' });
  });

  it('counts the try and dials the member again after the retry delay', () => {
    const plan = retryPlan('BUSY', rules, [{ slot: 1, tryCount: 0 }, { slot: 2, tryCount: 0 }], { slot: 1, tryCount: 1, endedAt });
    expect(plan).toEqual({ numberTries: 1, numberRetried: true, memberStatus: 'IDLE', nextAttemptAt: oneMinuteLater });
  });

  it("stops dialing a number at its slot's maximum, but goes on with the member's other numbers", () => {
    const plan = retryPlan('NO_ANSWER', rules, [{ slot: 1, tryCount: 1 }, { slot: 2, tryCount: 0 }], { slot: 1, tryCount: 2, endedAt });
    expect(plan).toEqual({ numberTries: 2, numberRetried: false, memberStatus: 'IDLE', nextAttemptAt: oneMinuteLater });
  });

  it('finishes the member once every number has used its tries', () => {
    const plan = retryPlan('UNALLOCATED', rules, [{ slot: 1, tryCount: 2 }, { slot: 2, tryCount: 0 }], { slot: 2, tryCount: 1, endedAt });
    expect(plan).toEqual({ numberTries: 1, numberRetried: false, memberStatus: 'DONE', nextAttemptAt: null });
  });

  it('counts a FAILED originate like any other try', () => {
    expect(retryPlan('FAILED', rules, [{ slot: 2, tryCount: 0 }], { slot: 2, tryCount: 1, endedAt }).memberStatus).toBe('DONE');
  });

  it('counts nothing for an attempt the dialer cancelled, and dials again at once', () => {
    const plan = retryPlan('CANCELLED', rules, [{ slot: 2, tryCount: 0 }], { slot: 2, tryCount: 1, endedAt });
    expect(plan).toEqual({ numberTries: 0, numberRetried: true, memberStatus: 'IDLE', nextAttemptAt: endedAt });
  });
});

describe('after an attempt that reached someone', () => {
  it('finishes the member when a person answered, even with an agent-less abandon', () => {
    for (const outcome of ['ANSWERED', 'ABANDONED'] as const) {
      expect(retryPlan(outcome, rules, [{ slot: 1, tryCount: 0 }], { slot: 1, tryCount: 1, endedAt })).toMatchObject({ numberTries: 1, memberStatus: 'DONE' });
    }
  });

  it('retries a machine only when the rules say so', () => {
    const attempt = { slot: 1, tryCount: 1, endedAt };
    expect(retryPlan('MACHINE', rules, [{ slot: 1, tryCount: 0 }], attempt).memberStatus).toBe('DONE');
    expect(retryPlan('MACHINE', { ...rules, retryMachine: true }, [{ slot: 1, tryCount: 0 }], attempt)).toMatchObject({ memberStatus: 'IDLE', nextAttemptAt: oneMinuteLater });
  });

  it('finishes a member whose machine took the whole message, even when machines are retried', () => {
    const attempt = { slot: 1, tryCount: 1, endedAt, messageLeft: true };
    expect(retryPlan('MACHINE', { ...rules, retryMachine: true }, [{ slot: 1, tryCount: 1 }], attempt)).toMatchObject({ memberStatus: 'DONE', nextAttemptAt: null });
  });
});
