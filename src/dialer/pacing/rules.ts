import type { PacingSnapshot } from './snapshot.js';

/** How many more calls the plan's concurrent limit and the trunk allow now; Infinity when neither limits. */
export function callLimit(snapshot: PacingSnapshot): number {
  const { plan, callsUp, trunkChannelsFree } = snapshot;
  const planRoom = plan.maxConcurrentCalls === null ? Infinity : plan.maxConcurrentCalls - callsUp;
  return Math.min(planRoom, trunkChannelsFree ?? Infinity);
}

/**
 * `calls` brought within the limits, as a whole number of calls to originate. A destination without seats
 * and a plan and trunk without limits would dial without end, so nothing is placed then.
 */
export function withinLimits(calls: number, snapshot: PacingSnapshot): number {
  const bounded = Math.min(calls, callLimit(snapshot));
  return Number.isFinite(bounded) ? Math.max(0, Math.floor(bounded)) : 0;
}

/** PROGRESSIVE: one call per free seat that no live dialing is already meant for. */
export function progressiveCalls(snapshot: PacingSnapshot): number {
  const { seats, liveDialings } = snapshot;
  return seats === null ? Infinity : seats.free - liveDialings;
}

/**
 * jade's rule: available = capacity - live dialings + service level, where a queue's capacity is its free
 * seats. With no seat staffed no one could take a call, whatever the service level.
 */
export function jadeCalls(snapshot: PacingSnapshot): number {
  const { seats, liveDialings, plan } = snapshot;
  if (seats === null) return Infinity;
  if (seats.free + seats.busy === 0) return 0;
  return seats.free - liveDialings + plan.serviceLevel;
}
