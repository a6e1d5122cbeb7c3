import type { MemberNumber, Plan } from '../../generated/prisma/client.js';
import type { CallOutcome, MemberStatus } from '../../generated/prisma/enums.js';

export type RetryRules = Pick<Plan, 'retryDelaySec' | 'maxRetries'> & {
  /** Whether a MACHINE answer is tried again (the plan has no field for it yet: see the report). */
  retryMachine: boolean;
};

/** The attempt that just ended: its number slot, its try number (1 on the number's first) and its end. */
export type EndedAttempt = { slot: number; tryCount: number; endedAt: Date };

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

// A person took the call: calling again would be a nuisance. Webitel retries an abandoned call only when
// told to (retryAbandoned), a setting this plan does not have.
const REACHED: ReadonlySet<CallOutcome> = new Set(['ANSWERED', 'ABANDONED']);

function hasTriesLeft(rules: RetryRules, slot: number, tries: number): boolean {
  return tries < (rules.maxRetries[slot - 1] ?? 0);
}

/**
 * Whether and when a member is dialed again after an attempt, as jade counts tries per number slot
 * (trycnt_N against max_retry_cnt_N) and waits retry_delay between tries. A cancelled attempt (the dialer
 * hung it up) does not count. `numbers` are the member's numbers with their stored tries.
 */
export function retryPlan(outcome: CallOutcome, rules: RetryRules, numbers: readonly Pick<MemberNumber, 'slot' | 'tryCount'>[], attempt: EndedAttempt): RetryPlan {
  const counts = outcome !== 'CANCELLED';
  const numberTries = counts ? attempt.tryCount : attempt.tryCount - 1;
  const reached = REACHED.has(outcome) || (outcome === 'MACHINE' && !rules.retryMachine);
  const numberHasTriesLeft = hasTriesLeft(rules, attempt.slot, numberTries);
  const othersHaveTriesLeft = numbers.some((number) => number.slot !== attempt.slot && hasTriesLeft(rules, number.slot, number.tryCount));
  if (reached || !(numberHasTriesLeft || othersHaveTriesLeft)) return { numberTries, numberRetried: false, memberStatus: 'DONE', nextAttemptAt: null };
  const delayMs = counts ? rules.retryDelaySec * 1000 : 0;
  return { numberTries, numberRetried: numberHasTriesLeft, memberStatus: 'IDLE', nextAttemptAt: new Date(attempt.endedAt.getTime() + delayMs) };
}
