export type BackoffPolicy = {
  /** The ceiling of the first retry's delay. */
  initialMs: number;
  /** The ceiling never grows past this. */
  maxMs: number;
};

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 500, maxMs: 30_000 };

/**
 * The delay before retry number `attempt` (0 for the first): "full jitter", a uniform pick below a ceiling
 * that doubles per attempt up to `maxMs`, so many workers losing one PBX do not all come back at once.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 52));
  return Math.round(ceiling * Math.min(Math.max(random(), 0), 1));
}
