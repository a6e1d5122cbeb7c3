import { LIMITS } from './members/validation.js';
import { integer, text, type Problems } from '../validate.js';

/** One of a plan's number types as given: its code is a MemberNumber.type; priority 0 and no windows unless given. */
export type PlanNumberTypeInput = { code: string; name: string; maxTries: number; priority?: number | null; windows?: NumberTypeWindowInput[] | null };

/** Weekdays 0 = Sunday .. 6 (none: every day); `HH:MM` times, an end before the start crossing midnight. */
export type NumberTypeWindowInput = { weekdays?: number[] | null; start: string; end: string };

/** A number type as stored, its windows with it. */
export type NumberTypeRow = { code: string; name: string; maxTries: number; priority: number; windows: { weekdays: number[]; start: string; end: string }[] };

// Bounds that keep the per-number check of every lease short.
const MAX_TYPES = 16;
const MAX_WINDOWS = 14;

const START = /^([01]\d|2[0-3]):[0-5]\d$/;
/** An end may also be 24:00, the end of the day. */
const END = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

function windowRow(problems: Problems, field: string, window: NumberTypeWindowInput): NumberTypeRow['windows'][number] {
  const weekdays = window.weekdays ?? [];
  weekdays.forEach((day, index) => integer(problems, `${field}.weekdays[${index}]`, day, { min: 0, max: 6 }));
  if (!START.test(window.start)) problems.add(`${field}.start`, 'must be a time of day as HH:MM (24 h)');
  if (!END.test(window.end)) problems.add(`${field}.end`, 'must be a time of day as HH:MM (24 h), or 24:00');
  else if (window.end === window.start) {
    problems.add(`${field}.end`, 'must differ from start: an empty window never opens (a type without windows is called at any time)');
  }
  return { weekdays: [...new Set(weekdays)].sort((a, b) => a - b), start: window.start, end: window.end };
}

/**
 * Checks a plan's number types, every problem named by its path (`numberTypes[1].windows[0].start`), and
 * returns their rows; undefined (not given) leaves the stored ones, null or an empty list removes them.
 */
export function numberTypeRows(problems: Problems, given: PlanNumberTypeInput[] | null | undefined): NumberTypeRow[] | undefined {
  if (given === undefined) return undefined;
  const types = given ?? [];
  if (types.length > MAX_TYPES) {
    problems.add('numberTypes', `must list at most ${MAX_TYPES} types`);
    return [];
  }
  const firstOfCode = new Map<string, number>();
  return types.map((type, index) => {
    const field = `numberTypes[${index}]`;
    const code = text(problems, `${field}.code`, type.code, { required: true, max: LIMITS.numberType }) ?? '';
    // Matched to a number's type whatever its case (Mobile, mobile): so two codes differing in case are one type.
    const earlier = firstOfCode.get(code.toLowerCase());
    if (earlier !== undefined) problems.add(`${field}.code`, `repeats numberTypes[${earlier}].code (${code}): each type is listed once`);
    else firstOfCode.set(code.toLowerCase(), index);
    const name = text(problems, `${field}.name`, type.name, { required: true, max: 100 }) ?? '';
    integer(problems, `${field}.maxTries`, type.maxTries, { min: 0, max: 1000 });
    integer(problems, `${field}.priority`, type.priority, { min: -1000, max: 1000 });
    const windows = type.windows ?? [];
    if (windows.length > MAX_WINDOWS) problems.add(`${field}.windows`, `must list at most ${MAX_WINDOWS} windows`);
    return {
      code,
      name,
      maxTries: type.maxTries,
      priority: type.priority ?? 0,
      windows: windows.slice(0, MAX_WINDOWS).map((window, at) => windowRow(problems, `${field}.windows[${at}]`, window)),
    };
  });
}
