import type { CallOutcome } from '../../generated/prisma/enums.js';

/** What is known of a dialing once it has ended. */
export type FinishedDialing = {
  /** The OriginateResponse Reason, an AST_CONTROL code (jade res_dial); null when none arrived. */
  dialResult: number | null;
  /**
   * The Q.850 cause of the customer's leg (jade res_hangup): with a Local channel its ;2 half, since the
   * ;1 half often says 0 (busy and congestion transcripts); null when no channel was ever made.
   */
  hangupCause: number | null;
  /** AMD() judged the answer a machine. */
  machine?: boolean;
  /** Answered, but ended before the destination's agent took it. */
  abandoned?: boolean;
  /** Hung up by the dialer itself before it was answered (force stop, hangupDialing). */
  cancelled?: boolean;
};

// AST_CONTROL codes (include/asterisk/frame.h).
const ANSWERED = 4;

/** Causes that say more than the Reason does: Reason 0 covers both an unallocated number and a bad context. */
const OUTCOME_BY_CAUSE: Readonly<Record<number, CallOutcome>> = {
  1: 'UNALLOCATED',
  22: 'UNALLOCATED', // number changed
  28: 'UNALLOCATED', // invalid number format
  17: 'BUSY',
  21: 'BUSY', // call rejected: the callee declined, worth another try like busy
  18: 'NO_ANSWER', // no user responding
  19: 'NO_ANSWER',
  20: 'NO_ANSWER', // subscriber absent: phone off or unregistered
  34: 'CONGESTION',
  38: 'CONGESTION', // network out of order
  41: 'CONGESTION', // temporary failure
  42: 'CONGESTION', // switching equipment congestion
  44: 'CONGESTION', // requested channel not available
};

/**
 * What a Reason alone says, for causes that say nothing (16 normal clearing, 0, none). __ast_request_and_dial
 * (main/channel.c) reports a timeout as 3 (ringing) whether or not it rang, 1 when the far end hung up
 * before answering, and 0 when the channel could not be made or called at all.
 */
const OUTCOME_BY_REASON: Readonly<Record<number, CallOutcome>> = {
  1: 'NO_ANSWER',
  3: 'NO_ANSWER',
  5: 'BUSY',
  8: 'CONGESTION',
  // Progress: with early media the call went on to its destination before any answer.
  14: 'ANSWERED',
};

/**
 * The outcome of a finished dialing: answered calls by what happened after the answer (MACHINE,
 * ABANDONED, ANSWERED); the rest by the customer's hangup cause where it is telling, else by the Reason;
 * FAILED when neither says more (no such context, unknown channel technology, no route).
 */
export function classifyOutcome(dialing: FinishedDialing): CallOutcome {
  if (dialing.dialResult === ANSWERED) {
    if (dialing.machine) return 'MACHINE';
    return dialing.abandoned ? 'ABANDONED' : 'ANSWERED';
  }
  if (dialing.cancelled) return 'CANCELLED';
  const byCause = dialing.hangupCause === null ? undefined : OUTCOME_BY_CAUSE[dialing.hangupCause];
  const byReason = dialing.dialResult === null ? undefined : OUTCOME_BY_REASON[dialing.dialResult];
  return byCause ?? byReason ?? 'FAILED';
}
