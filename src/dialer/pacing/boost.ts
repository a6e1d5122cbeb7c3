import { withinLimits } from './rules.js';
import type { PacingSnapshot } from './snapshot.js';

/**
 * WombatDialer's boost on a running campaign: the calls the pacing asked for scaled by percent (0-500; 100
 * leaves them as they are), and still never past the plan's concurrent limit or the trunk's capacity.
 */
export function boostedCalls(calls: number, percent: number, snapshot: PacingSnapshot): number {
  if (percent === 100) return calls;
  return withinLimits(Math.round((calls * percent) / 100), snapshot);
}
