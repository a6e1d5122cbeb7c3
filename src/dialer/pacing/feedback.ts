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
/** How much each abandon over (or under) the target's budget shrinks (or grows) the risk allowed, at a 2.5 % target. */
const GAIN_PER_ABANDON_AT_2_5 = 0.1;
const MIN_RISK = 0.002;
const MAX_RISK = 0.5;

/**
 * The abandon risk a new call may carry, given rates as fractions (0.03 for 3 %); undefined when the run
 * is at its maximum rate, so only calls sure of a seat may be placed. The risk grows while the run has
 * abandoned fewer calls than its target allows and shrinks when more, so the run's rate is pulled back to
 * the target whichever way it strays; it is least when one more abandon would pass the maximum.
 */
export function riskAllowed(record: AbandonRecord, targetRate: number, maxRate: number): number | undefined {
  const { answered, abandoned } = record;
  if (abandoned > 0 && abandoned >= maxRate * answered) return undefined;
  if (abandoned + 1 > maxRate * answered) return MIN_RISK;
  // Fewer abandons are expected under a lower target, so each one weighs more.
  const gain = (GAIN_PER_ABANDON_AT_2_5 * 0.025) / targetRate;
  const risk = RISK_PER_TARGET * targetRate * Math.exp(gain * (targetRate * answered - abandoned));
  return Math.min(MAX_RISK, Math.max(MIN_RISK, risk));
}
