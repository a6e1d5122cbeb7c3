import type { NumberStrategy } from '../generated/prisma/enums.js';
import { hasTriesLeft, typePriorityOf, type NumberRules, type RuledNumber } from '../outbound/numberTypes.js';

export type NumberCandidate = RuledNumber & { number: string; priority: number; tryCount: number };

/**
 * Which of a member's numbers to dial next, among those with tries left (their type's maxTries, else their
 * slot's maxRetries); the caller gives only the numbers open now (their type's hours). Numbers are ranked by
 * their type's priority, then their own, then slot, highest first: BY_PRIORITY takes the least-tried number in
 * that rank, so retries move on from number to number; TOP_DOWN keeps to the best-ranked number until its
 * tries are used up. Null when none is left.
 */
export function chooseNumber(numbers: readonly NumberCandidate[], rules: NumberRules, strategy: NumberStrategy): NumberCandidate | null {
  const open = numbers.filter((candidate) => hasTriesLeft(rules, candidate));
  const byPriority = (a: NumberCandidate, b: NumberCandidate) => typePriorityOf(rules, b) - typePriorityOf(rules, a) || b.priority - a.priority || a.slot - b.slot;
  const order = strategy === 'TOP_DOWN' ? byPriority : (a: NumberCandidate, b: NumberCandidate) => a.tryCount - b.tryCount || byPriority(a, b);
  return [...open].sort(order)[0] ?? null;
}
