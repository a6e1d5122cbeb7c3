import { describe, expect, it } from 'vitest';
import { memberNext, type NextRules } from '../../../src/dialer/outcome/memberNext.js';
import type { AttemptFacts } from '../../../src/dialer/attempts.js';
import { matchRescheduleRule, type UsableRescheduleRule } from '../../../src/outbound/rescheduleRules.js';

const plan: NextRules = { retryDelaySec: 60, maxRetries: [3, 3, 3, 3, 3, 3, 3, 3], numberTypes: [], retryMachine: false, retryAbandoned: false, minTalkSec: 0, waitForResult: false, waitForResultSec: 300 };
const answeredAt = new Date('2026-11-22T10:00:00Z');
const at = (seconds: number) => new Date(answeredAt.getTime() + seconds * 1000);
const call = { answeredAt, bridgedAt: null, endedAt: at(30), messageLeft: false };
const unanswered = { answeredAt: null, bridgedAt: null, endedAt: at(30), messageLeft: false };
const numbers = [{ slot: 1, tryCount: 1, stopped: false }];
const attempt = { slot: 1, tryCount: 1 };
const facts = (outcome: AttemptFacts['outcome'], completionCode: string | null = null, rules: UsableRescheduleRule[] = []): AttemptFacts => ({ outcome, completionCode, rules });
const rule = (id: string, fields: Partial<UsableRescheduleRule>): UsableRescheduleRule => ({ id, outcome: null, completionCode: null, maxAttempts: 1, retryAfterSec: 600, used: 0, ...fields });

describe('matching reschedule rules', () => {
  const rules = [rule('busy', { outcome: 'BUSY' }), rule('callback', { outcome: 'ANSWERED', completionCode: 'CallBack' }), rule('any', {})];

  it('takes the first rule whose outcome and completion code (any case) fit, a null matching anything', () => {
    expect(matchRescheduleRule(rules, 'BUSY', null)?.id).toBe('busy');
    expect(matchRescheduleRule(rules, 'ANSWERED', 'CALLBACK')?.id).toBe('callback');
    expect(matchRescheduleRule(rules, 'ANSWERED', 'SALE')?.id).toBe('any');
    expect(matchRescheduleRule(rules.slice(0, 2), 'ANSWERED', null)).toBeNull();
  });
});

describe('what becomes of the member after an attempt', () => {
  it('lets a matching rule reschedule before the plan, and records the rule and its seconds', () => {
    const next = memberNext(plan, call, numbers, attempt, facts('ANSWERED', 'callback', [rule('r1', { completionCode: 'CALLBACK', retryAfterSec: 900 })]));
    expect(next).toEqual({ status: 'IDLE', nextAttemptAt: at(930), rescheduleRuleId: 'r1', rescheduleSec: 900, resultDueAt: null });
  });

  it('finishes the member once the rule has used its attempts, still naming the rule', () => {
    const next = memberNext(plan, unanswered, numbers, attempt, facts('BUSY', null, [rule('r1', { outcome: 'BUSY', maxAttempts: 2, used: 2 })]));
    expect(next).toEqual({ status: 'DONE', nextAttemptAt: null, rescheduleRuleId: 'r1', rescheduleSec: null, resultDueAt: null });
  });

  it('does not let a rule retry a member whose numbers have no tries left', () => {
    const next = memberNext(plan, unanswered, [{ slot: 1, tryCount: 3, stopped: false }], { slot: 1, tryCount: 3 }, facts('BUSY', null, [rule('r1', { outcome: 'BUSY' })]));
    expect(next.status).toBe('DONE');
  });

  it("lets a rule retry while any number has tries left by its own slot's limit, not slot 1's", () => {
    const slots = { ...plan, maxRetries: [1, 3, 0, 0, 0, 0, 0, 0] };
    const busy = facts('BUSY', null, [rule('r1', { outcome: 'BUSY', maxAttempts: 5 })]);
    const tried = (second: number) => [
      { slot: 1, tryCount: 1, stopped: false },
      { slot: 2, tryCount: second, stopped: false },
    ];
    expect(memberNext(slots, unanswered, tried(2), { slot: 2, tryCount: 2 }, busy).status).toBe('IDLE');
    expect(memberNext(slots, unanswered, tried(3), { slot: 2, tryCount: 3 }, busy).status).toBe('DONE');
  });

  it("falls back to the plan's retry delay, in rescheduleSec, and asks no rule about the dialer's own cancels", () => {
    expect(memberNext(plan, unanswered, numbers, attempt, facts('NO_ANSWER'))).toMatchObject({ status: 'IDLE', rescheduleSec: 60, rescheduleRuleId: null });
    expect(memberNext(plan, unanswered, numbers, attempt, facts('CANCELLED', null, [rule('r1', {})]))).toMatchObject({ rescheduleRuleId: null, rescheduleSec: 0 });
  });

  it('retries an answered call with less talk than minTalkSec like an unreached one, counting talk from the bridge', () => {
    const strict = { ...plan, minTalkSec: 20 };
    expect(memberNext(strict, call, numbers, attempt, facts('ANSWERED')).status).toBe('DONE');
    expect(memberNext(strict, { ...call, bridgedAt: at(15) }, numbers, attempt, facts('ANSWERED'))).toMatchObject({ status: 'IDLE', rescheduleSec: 60 });
    expect(memberNext(strict, { ...call, endedAt: at(19) }, numbers, attempt, facts('ANSWERED')).status).toBe('IDLE');
  });

  it('asks no rule about a machine that took the whole message: it was reached, and is not left the message twice', () => {
    const machineRule = [rule('again', { outcome: 'MACHINE', retryAfterSec: 7200 })];
    expect(memberNext(plan, { ...call, messageLeft: true }, numbers, attempt, facts('MACHINE', null, machineRule))).toMatchObject({ status: 'DONE', rescheduleRuleId: null });
    expect(memberNext(plan, call, numbers, attempt, facts('MACHINE', null, machineRule))).toMatchObject({ status: 'IDLE', rescheduleRuleId: 'again', rescheduleSec: 7200 });
  });

  it('retries an abandoned call only when the plan says so', () => {
    expect(memberNext(plan, call, numbers, attempt, facts('ABANDONED')).status).toBe('DONE');
    expect(memberNext({ ...plan, retryAbandoned: true }, call, numbers, attempt, facts('ABANDONED')).status).toBe('IDLE');
  });

  it('with waitForResult, makes a connected member wait for its result, and no other', () => {
    const waiting = { ...plan, waitForResult: true, waitForResultSec: 120 };
    expect(memberNext(waiting, call, numbers, attempt, facts('ANSWERED')).resultDueAt).toEqual(at(150));
    expect(memberNext(waiting, unanswered, numbers, attempt, facts('BUSY')).resultDueAt).toBeNull();
  });

  it('never counts a stopped number as one with tries left', () => {
    const next = memberNext(plan, unanswered, [{ slot: 1, tryCount: 1, stopped: false }, { slot: 2, tryCount: 0, stopped: true }], { slot: 1, tryCount: 1 }, facts('BUSY'));
    expect(next.status).toBe('IDLE');
    const stopped = memberNext(plan, unanswered, [{ slot: 1, tryCount: 1, stopped: true }, { slot: 2, tryCount: 0, stopped: true }], { slot: 1, tryCount: 1 }, facts('BUSY'));
    expect(stopped.status).toBe('DONE');
  });
});
