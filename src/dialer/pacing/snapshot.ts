import type { Plan } from '../../generated/prisma/client.js';

/** The plan settings pacing reads; rates are percentages, as stored. */
export type PacingPlan = Pick<
  Plan,
  'dialMode' | 'serviceLevel' | 'maxConcurrentCalls' | 'targetAbandonPercent' | 'maxAbandonPercent' | 'warmUpAttempts'
>;

/** A destination's seats that are staffed and not paused. */
export interface SeatCounts {
  /** Ready for a call now (a queue's QueueSummary Available). */
  free: number;
  /** On a call or in wrap-up. */
  busy: number;
}

/** The live facts a pacing decision is taken on. */
export interface PacingSnapshot {
  /** Epoch milliseconds of the decision. */
  now: number;
  plan: PacingPlan;
  /** The destination's seats, or null for one without seats (park, extension): then only the caps bound dialing. */
  seats: SeatCounts | null;
  /** This campaign's dialings originated and not yet answered or ended. */
  liveDialings: number;
  /** This campaign's calls up now, ringing or answered: what the plan's maxConcurrentCalls counts. */
  callsUp: number;
  /** Channels the trunk can still take now, or null when it has no limit. */
  trunkChannelsFree: number | null;
}
