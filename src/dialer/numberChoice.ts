import type { NumberStrategy } from '../generated/prisma/enums.js';

export type NumberCandidate = { slot: number; number: string; priority: number; tryCount: number };

/**
 * Which of a member's numbers to dial next, among those with tries left (maxRetries[slot - 1]):
 * BY_PRIORITY takes the least-tried number, highest priority first, so retries move on from number to
 * number; TOP_DOWN keeps to the highest-priority number until its tries are used up. Null when none is left.
 */
export function chooseNumber(numbers: readonly NumberCandidate[], maxRetries: readonly number[], strategy: NumberStrategy): NumberCandidate | null {
  const open = numbers.filter((candidate) => candidate.tryCount < (maxRetries[candidate.slot - 1] ?? 0));
  const byPriority = (a: NumberCandidate, b: NumberCandidate) => b.priority - a.priority || a.slot - b.slot;
  const order = strategy === 'TOP_DOWN' ? byPriority : (a: NumberCandidate, b: NumberCandidate) => a.tryCount - b.tryCount || byPriority(a, b);
  return [...open].sort(order)[0] ?? null;
}
