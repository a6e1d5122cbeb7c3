/**
 * A plan's rules for a member's numbers: each number has its slot's tries (maxRetries), unless its type
 * (MemberNumber.type) is one the plan defines, whose own tries, priority and hours it then follows. What is
 * checked in JS here is checked in SQL by numberTypesSql.ts, from the same rules.
 */

/** When a type's numbers may be called: on these weekdays (0 = Sunday; none: every day), start to end, `HH:MM`. */
export type NumberTypeWindow = { weekdays: readonly number[]; start: string; end: string };

/** A type the plan defines; a plan's stored PlanNumberType rows, read with their windows, are these. */
export type NumberTypeRule = { code: string; maxTries: number; priority: number; windows: readonly NumberTypeWindow[] };

export type NumberRules = { maxRetries: readonly number[]; numberTypes: readonly NumberTypeRule[] };

/** A number as the rules see it; without a type (null or left out) only its slot counts. */
export type RuledNumber = { slot: number; type?: string | null };

/** How a plan reads its number types (Prisma's include): NumberTypeRules. */
export const PLAN_NUMBER_TYPES = { numberTypes: { include: { windows: { orderBy: { start: 'asc' } } }, orderBy: { code: 'asc' } } } as const;

/** The plan's rules for the number's type, matched whatever the case: an import's `Mobile` is the plan's `mobile`. */
function typeOf(rules: NumberRules, number: RuledNumber): NumberTypeRule | undefined {
  const code = number.type?.toLowerCase();
  return code === undefined ? undefined : rules.numberTypes.find((type) => type.code.toLowerCase() === code);
}

/** The tries the number may have: its type's, or its slot's when the plan does not define its type. */
export function maxTriesOf(rules: NumberRules, number: RuledNumber): number {
  return typeOf(rules, number)?.maxTries ?? rules.maxRetries[number.slot - 1] ?? 0;
}

/** Whether the number may be tried again after its tryCount tries. */
export function hasTriesLeft(rules: NumberRules, number: RuledNumber & { tryCount: number }): boolean {
  return number.tryCount < maxTriesOf(rules, number);
}

/** Its type's priority; 0 without a type the plan defines, as a type's default. */
export function typePriorityOf(rules: NumberRules, number: RuledNumber): number {
  return typeOf(rules, number)?.priority ?? 0;
}

/** Minutes since midnight of an `HH:MM` time (24:00 is 1440). */
export function minuteOfDay(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}
