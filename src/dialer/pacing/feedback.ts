/** The run's abandon counts so far. */
export interface AbandonRecord {
  answered: number;
  abandoned: number;
}

/**
 * A call's risk allowed when the run is exactly on its target, as a multiple of the target: low, because
 * abandons early in a run, over few answers, take long to dilute. Tuned on bench/pacing.
 */
const RISK_PER_TARGET = 0.75;
/** How much each abandon over (or under) the budget shrinks (or grows) the risk allowed, at a 2.5 % target. */
const GAIN_PER_ABANDON_AT_2_5 = 0.1;
/** Abandons kept in reserve under the maximum, for those of calls already ringing. */
const MAX_RESERVE = 2;
/** The least risk allowed, as a share of the maximum rate: calls that cost so little pull the rate back under it. */
const MIN_RISK_PER_MAX = 0.2;
const MAX_RISK = 0.5;

/**
 * The abandon risk a new call may carry, given rates as fractions (0.03 for 3 %). It grows while the run
 * has abandoned fewer calls than its target allows and shrinks when more, so the run's rate is pulled back
 * to the target whichever way it strays; it shrinks the same way as the run nears its maximum, and is least
 * once one more abandon would pass it. Dialing never stops for it: agents left waiting do not lower the rate.
 */
export function riskAllowed(record: AbandonRecord, targetRate: number, maxRate: number): number {
  const { answered, abandoned } = record;
  const least = MIN_RISK_PER_MAX * maxRate;
  if (abandoned + 1 > maxRate * answered) return least;
  // Fewer abandons are expected under a lower target, so each one weighs more.
  const gain = (GAIN_PER_ABANDON_AT_2_5 * 0.025) / targetRate;
  const forTarget = RISK_PER_TARGET * targetRate * Math.exp(gain * (targetRate * answered - abandoned));
  const forMax = RISK_PER_TARGET * maxRate * Math.exp(gain * (maxRate * answered - abandoned - MAX_RESERVE));
  return Math.max(least, Math.min(MAX_RISK, forTarget, forMax));
}
