import type { Plan } from '../../generated/prisma/client.js';
import { matchRescheduleRule } from '../../outbound/rescheduleRules.js';
import type { AttemptFacts, AttemptResult, AttemptTry, MemberNext } from '../attempts.js';
import { anyTriesLeft, retryPlan, type NumberState, type RetryRules } from './retryPlan.js';

export type NextRules = RetryRules & Pick<Plan, 'minTalkSec' | 'waitForResult' | 'waitForResultSec'>;

/**
 * What becomes of the member after an attempt: the first matching reschedule rule decides (retried after its
 * delay while it has uses left and a number has tries, else the member is done); without one, the plan's
 * retry. An answered call shorter than minTalkSec (talk counted from the bridge, or the answer when never
 * bridged) is retried like an unreached one. With waitForResult, a connected call makes the member wait for
 * settleMember until waitForResultSec have passed.
 */
export function memberNext(
  rules: NextRules,
  result: Pick<AttemptResult, 'answeredAt' | 'bridgedAt' | 'endedAt' | 'messageLeft'>,
  numbers: readonly NumberState[],
  attempt: AttemptTry,
  facts: AttemptFacts,
): MemberNext {
  const { outcome } = facts;
  const endedAt = result.endedAt.getTime();
  const talkFrom = result.bridgedAt ?? result.answeredAt;
  const shortCall = outcome === 'ANSWERED' && talkFrom !== null && endedAt - talkFrom.getTime() < rules.minTalkSec * 1000;
  const connected = outcome === 'ANSWERED' && result.answeredAt !== null;
  const resultDueAt = rules.waitForResult && connected ? new Date(endedAt + rules.waitForResultSec * 1000) : null;
  // The dialer's own hang-ups (a force stop) are not the call's result, and a machine that took the whole message
  // was reached: no rule is asked (a "MACHINE: call again" rule would leave the same message twice).
  const reachedMachine = outcome === 'MACHINE' && result.messageLeft;
  const rule = outcome === 'CANCELLED' || reachedMachine ? null : matchRescheduleRule(facts.rules, outcome, facts.completionCode);
  if (rule) {
    if (rule.used < rule.maxAttempts && anyTriesLeft(rules, numbers)) {
      return { status: 'IDLE', nextAttemptAt: new Date(endedAt + rule.retryAfterSec * 1000), rescheduleRuleId: rule.id, rescheduleSec: rule.retryAfterSec, resultDueAt };
    }
    return { status: 'DONE', nextAttemptAt: null, rescheduleRuleId: rule.id, rescheduleSec: null, resultDueAt };
  }
  const retry = retryPlan(outcome, rules, numbers, { ...attempt, endedAt: result.endedAt, shortCall, messageLeft: result.messageLeft });
  const rescheduleSec = retry.nextAttemptAt === null ? null : Math.round((retry.nextAttemptAt.getTime() - endedAt) / 1000);
  return { status: retry.memberStatus, nextAttemptAt: retry.nextAttemptAt, rescheduleRuleId: null, rescheduleSec, resultDueAt };
}
