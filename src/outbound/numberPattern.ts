/**
 * A plan's trunk takes the numbers its regular expression matches (Webitel's dialledNumber, WombatDialer's
 * trunk masks). JavaScript's engine backtracks, so a pattern such as `(\d+)+$` takes exponential time on a
 * number it fails on, and the dialer would hang on it. Only patterns whose every match ends soon are taken:
 * - a quantifier that repeats follows one character, class or escape, or a group holding neither a quantifier
 *   nor `|` (no nested repetition, no repeated alternation; `(\+351|00351)?` is fine);
 * - at most MAX_UNBOUNDED `*`, `+` or `{n,}` in all;
 * - no back-references or lookarounds.
 * On numbers of at most 32 characters that bounds the work to a few hundred thousand steps.
 */

const MAX_LENGTH = 200;
const MAX_UNBOUNDED = 4;

/** Why the pattern is refused, or null when it is safe and valid. */
export function numberPatternProblem(pattern: string): string | null {
  if (pattern.length > MAX_LENGTH) return `must be at most ${MAX_LENGTH} characters`;
  try {
    new RegExp(pattern, 'u');
  } catch (error) {
    return `is not a valid regular expression: ${(error as Error).message}`;
  }
  if (/\\[1-9]|\\k</.test(pattern)) return 'must not use back-references';
  if (/\(\?<?[=!]/.test(pattern)) return 'must not use lookaheads or lookbehinds';
  return repetitionProblem(pattern);
}

type Group = { repeats: boolean };

/** Walks the pattern once, tracking what each open group holds and what each quantifier applies to. */
function repetitionProblem(pattern: string): string | null {
  const open: Group[] = [];
  let unbounded = 0;
  // What the next quantifier would apply to: a plain atom, a group that repeats within, or nothing yet.
  let last: 'atom' | 'repeating group' | 'none' = 'none';
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index] as string;
    if (char === '\\') {
      index++;
      last = 'atom';
    } else if (char === '[') {
      index = classEnd(pattern, index);
      last = 'atom';
    } else if (char === '(') {
      open.push({ repeats: false });
      last = 'none';
    } else if (char === ')') {
      const group = open.pop() as Group;
      last = group.repeats ? 'repeating group' : 'atom';
    } else if (char === '|') {
      const group = open.at(-1);
      if (group) group.repeats = true;
      last = 'none';
    } else if (char === '*' || char === '+' || char === '?' || char === '{') {
      const quantifier = char === '{' ? /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(index)) : null;
      if (char === '{' && !quantifier) {
        last = 'atom';
        continue;
      }
      const isUnbounded = char === '*' || char === '+' || (quantifier !== null && quantifier[2] !== undefined && quantifier[3] === '');
      const most = quantifier === null ? (char === '?' ? 1 : Infinity) : quantifier[2] === undefined ? Number(quantifier[1]) : quantifier[3] === '' ? Infinity : Number(quantifier[3]);
      // Optional once is harmless; repeated, a group with choices inside can be matched in exponentially many ways.
      if (last === 'repeating group' && most > 1) return 'must not repeat a group that repeats or has alternatives within, such as (\\d+)+ or (a|b)*: it can take exponential time';
      if (isUnbounded && ++unbounded > MAX_UNBOUNDED) return `must use *, + or {n,} at most ${MAX_UNBOUNDED} times`;
      const group = open.at(-1);
      if (group) group.repeats = true;
      if (quantifier) index += quantifier[0].length - 1;
      // A lazy quantifier's ? belongs to it.
      if (pattern[index + 1] === '?') index++;
      last = 'none';
    } else {
      last = 'atom';
    }
  }
  return null;
}

/** The index of the `]` closing the class that opens at `start`. */
function classEnd(pattern: string, start: number): number {
  for (let index = start + 1; index < pattern.length; index++) {
    if (pattern[index] === '\\') index++;
    else if (pattern[index] === ']' && index > start + 1) return index;
  }
  return pattern.length;
}
