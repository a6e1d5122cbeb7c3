import type { HoldReason } from '../../generated/prisma/enums.js';
import type { PacingSnapshot } from './snapshot.js';

/** Why pacing places no call, in words a supervisor reads. */
export type PacingHold = { reason: HoldReason; detail: string };

export type PacingState = {
  /** The run's abandoned calls are over the plan's maximum share of its answered ones. */
  overAbandonLimit: boolean;
  boostPercent: number;
  /** The destination's queue, to name it. */
  queue: string | null;
};

/**
 * Which limit holds a campaign's pacing at no call, for a snapshot on which it placed none: the first of
 * them in the order a supervisor would look (the setup before the live limits, the queue's agents after).
 * Null when none does (then it places calls).
 */
export function pacingHold(snapshot: PacingSnapshot, state: PacingState): PacingHold | null {
  const { plan, seats, callsUp, liveDialings, trunkChannelsFree } = snapshot;
  if (plan.dialMode === 'PREVIEW') return { reason: 'PREVIEW', detail: 'agents place its calls: reserveCall, then dialReservedCall' };
  if (plan.dialMode === 'NONE') return { reason: 'PREVIEW', detail: 'its plan\'s dial mode is NONE: it places no call by itself' };
  if (seats === null && plan.maxConcurrentCalls === null && trunkChannelsFree === null) {
    const unpaced = plan.dialMode === 'BROADCAST' ? 'it broadcasts, with no agents to pace by' : 'its destination has no queue to count free agents by';
    return { reason: 'NO_CALL_LIMIT', detail: `${unpaced}, and its plan sets no maxConcurrentCalls nor trunk capacity` };
  }
  if (plan.maxConcurrentCalls !== null && callsUp >= plan.maxConcurrentCalls) {
    return { reason: 'CALL_LIMIT', detail: `${callsUp} of the plan's ${plan.maxConcurrentCalls} concurrent calls are up` };
  }
  if (trunkChannelsFree !== null && trunkChannelsFree <= 0) return { reason: 'TRUNK_FULL', detail: 'every channel of its trunk is taken' };
  if (state.boostPercent === 0) return { reason: 'BOOSTED_TO_ZERO', detail: 'its boost is 0%' };
  if (plan.dialMode === 'PREDICTIVE' && state.overAbandonLimit) {
    return { reason: 'ABANDON_LIMIT', detail: `abandoned calls are over the plan's maximum of ${plan.maxAbandonPercent}% of answered ones: it waits for free agents` };
  }
  if (seats !== null && seats.free + seats.busy === 0) return { reason: 'NO_AGENTS', detail: `no agent is logged in to queue ${state.queue ?? ''} and not paused` };
  if (seats !== null && seats.free - liveDialings <= 0) {
    return { reason: 'NO_FREE_SEAT', detail: `queue ${state.queue ?? ''}: ${seats.free} free agent(s), ${liveDialings} call(s) already ringing for them` };
  }
  return null;
}
