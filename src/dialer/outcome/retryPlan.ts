import type { MemberNumber, Plan } from '../../generated/prisma/client.js';
import type { CallOutcome, MemberStatus } from '../../generated/prisma/enums.js';
import { hasTriesLeft, type NumberRules, type RuledNumber } from '../../outbound/numberTypes.js';

export type RetryRules = Pick<Plan, 'retryDelaySec' | 'retryAbandoned'> & NumberRules & {
  /** Whether a MACHINE answer is tried again. */
  retryMachine: boolean;
};

/** The attempt that just ended: its number slot, its try number (1 on the number's first) and its end. */
export type EndedAttempt = {
  slot: number;
  tryCount: number;
  endedAt: Date;
  /** Answered, but with less talk than the plan's minTalkSec (Webitel minBillSec): not a success, retried like an unreached call. */
  shortCall?: boolean;
  /** A machine took the plan's whole machineMessage: what the call was for reached the member. */
  messageLeft?: boolean;
};

/** A member's number as the decision sees it: stopped ones (settleMember) have no tries left; its type, if any, sets its limit. */
export type NumberState = Pick<MemberNumber, 'slot' | 'tryCount'> & RuledNumber & { stopped?: boolean };

export type RetryPlan = {
  /** The dialed number's tries to store: this attempt's try number, or one fewer when it does not count. */
  numberTries: number;
  /** Whether the dialed number will be dialed again (the member goes on and this number has tries left). */
  numberRetried: boolean;
  /** DONE once the member was reached or every number has used its tries; IDLE to be dialed again. */
  memberStatus: Extract<MemberStatus, 'IDLE' | 'DONE'>;
  /** The member's next attempt: null once DONE; right away after a cancelled attempt, else after the retry delay. */
  nextAttemptAt: Date | null;
};

/** Whether any of the member's numbers may still be dialed, this attempt's try counted, each under its type's limit or its slot's. */
export function anyTriesLeft(rules: NumberRules, numbers: readonly NumberState[]): boolean {
  return numbers.some((number) => !number.stopped && hasTriesLeft(rules, number));
}

/**
 * A person took the call: calling again would be a nuisance, unless the talk was too short to count, or the
 * plan retries calls abandoned before an agent took them (Webitel retryAbandoned) or answered by a machine
 * that was not left the plan's message.
 */
function reachedSomeone(outcome: CallOutcome, rules: RetryRules, attempt: EndedAttempt): boolean {
  if (outcome === 'ANSWERED') return !attempt.shortCall;
  if (outcome === 'ABANDONED') return !rules.retryAbandoned;
  return outcome === 'MACHINE' && (attempt.messageLeft === true || !rules.retryMachine);
}

/**
 * Whether and when a member is dialed again after an attempt, as jade counts tries per number slot
 * (trycnt_N against max_retry_cnt_N) and waits retry_delay between tries. A cancelled attempt (the dialer
 * hung it up) does not count. `numbers` are the member's numbers with their stored tries.
 */
export function retryPlan(outcome: CallOutcome, rules: RetryRules, numbers: readonly NumberState[], attempt: EndedAttempt): RetryPlan {
  const counts = outcome !== 'CANCELLED';
  const numberTries = counts ? attempt.tryCount : attempt.tryCount - 1;
  const reached = reachedSomeone(outcome, rules, attempt);
  const dialed = numbers.find((number) => number.slot === attempt.slot);
  const numberHasTriesLeft = dialed?.stopped !== true && hasTriesLeft(rules, { slot: attempt.slot, type: dialed?.type ?? null, tryCount: numberTries });
  const othersHaveTriesLeft = anyTriesLeft(rules, numbers.filter((number) => number.slot !== attempt.slot));
  if (reached || !(numberHasTriesLeft || othersHaveTriesLeft)) return { numberTries, numberRetried: false, memberStatus: 'DONE', nextAttemptAt: null };
  const delayMs = counts ? rules.retryDelaySec * 1000 : 0;
  return { numberTries, numberRetried: numberHasTriesLeft, memberStatus: 'IDLE', nextAttemptAt: new Date(attempt.endedAt.getTime() + delayMs) };
}
