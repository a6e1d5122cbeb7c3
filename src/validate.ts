import { ValidationError, type FieldProblem } from './errors.js';

/** Gathers every problem of an input, so one answer lists them all. */
export class Problems {
  readonly list: FieldProblem[] = [];

  add(field: string, message: string): void {
    this.list.push({ field, message });
  }

  /** Throws one ValidationError naming every problem, if there is any. */
  throwIfAny(what: string): void {
    if (this.list.length === 0) return;
    const summary = this.list.map((problem) => `${problem.field} ${problem.message}`).join('; ');
    throw new ValidationError(`Invalid ${what}: ${summary}`, this.list);
  }
}

const LINE_BREAK = /[\r\n]/;
export const LINE_BREAK_MESSAGE =
  'contains a line break (CR or LF): line breaks are refused because they would inject commands into the ' +
  'Asterisk manager (AMI) connection they are sent on; remove them';

/** Channel variable names Asterisk accepts. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * What is wrong with a stored channel variable's name, or null: a name Asterisk would not take, or one of
 * the SB_ names the dialer sets on every call itself (SB_CAMPAIGN_ID, SB_DIALING_ID, ...), which it would overwrite.
 */
export function variableNameProblem(name: string): string | null {
  if (!VARIABLE_NAME.test(name)) return 'is not a variable name: use letters, digits and _, not starting with a digit, at most 64 characters';
  if (name.toUpperCase().startsWith('SB_')) return 'starts with SB_, which the dialer keeps for the ids it sets on every call (SB_CAMPAIGN_ID, SB_DIALING_ID, ...)';
  return null;
}

/** Trims and checks a text field; undefined passes through (not given), null clears. */
export function text(
  problems: Problems,
  field: string,
  value: string | null | undefined,
  options: { max?: number; required?: boolean } = {},
): string | null | undefined {
  if (value === undefined || value === null) {
    if (options.required) problems.add(field, 'is required');
    return value;
  }
  const trimmed = value.trim();
  // Checked before trimming: no line break may reach AMI, not even a trailing one.
  if (LINE_BREAK.test(value)) problems.add(field, LINE_BREAK_MESSAGE);
  else if (value.includes('\0')) problems.add(field, 'contains a NUL character, which cannot be stored');
  else if (options.required && trimmed === '') problems.add(field, 'must not be empty');
  else if (trimmed.length > (options.max ?? 200)) problems.add(field, `must be at most ${options.max ?? 200} characters`);
  return trimmed === '' && !options.required ? null : trimmed;
}

function inRange(
  problems: Problems,
  field: string,
  value: number | null | undefined,
  range: { min: number; max: number },
  whole: boolean,
): void {
  if (value === undefined || value === null) return;
  const valid = (whole ? Number.isInteger(value) : Number.isFinite(value)) && value >= range.min && value <= range.max;
  if (!valid) problems.add(field, `must be a ${whole ? 'whole number' : 'number'} from ${range.min} to ${range.max}`);
}

export function integer(problems: Problems, field: string, value: number | null | undefined, range: { min: number; max: number }): void {
  inRange(problems, field, value, range, true);
}

export function decimal(problems: Problems, field: string, value: number | null | undefined, range: { min: number; max: number }): void {
  inRange(problems, field, value, range, false);
}

/** A channel technology as Asterisk names it: PJSIP, SIP, IAX2, Local. */
export const TECH_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * TECH/resource as Asterisk names an endpoint (PJSIP/2001, Local/1001@agent-login) or a channel (an
 * endpoint with its sequence suffix: PJSIP/2001-0000002a): no space, and none of the separators Dial,
 * ChanSpy and Originate split on (, & |) nor quotes.
 */
export const TECH_RESOURCE = /^[A-Za-z][A-Za-z0-9_]*\/[^\s,&|'"\\]+$/;

/** A text field that must also match pattern; `shape` says what it should look like. */
export function patterned(
  problems: Problems,
  field: string,
  value: string | null | undefined,
  pattern: RegExp,
  shape: string,
  options: { required?: boolean } = {},
): string | null | undefined {
  const checked = text(problems, field, value, { required: options.required, max: 200 });
  if (typeof checked === 'string' && checked !== '' && !pattern.test(checked)) problems.add(field, `must be ${shape}`);
  return checked;
}

const MAX_VARIABLES = 64;

/** Channel variables: names Asterisk accepts, values that cannot break an AMI frame. */
export function variables(problems: Problems, field: string, value: Record<string, string> | undefined): void {
  if (value === undefined) return;
  const entries = Object.entries(value);
  if (entries.length > MAX_VARIABLES) problems.add(field, `must hold at most ${MAX_VARIABLES} variables`);
  for (const [name, content] of entries) {
    const nameProblem = variableNameProblem(name);
    if (nameProblem !== null) {
      problems.add(`${field}.${name}`, nameProblem);
    } else if (typeof content !== 'string') {
      problems.add(`${field}.${name}`, 'must be a string');
    } else if (LINE_BREAK.test(content)) {
      problems.add(`${field}.${name}`, LINE_BREAK_MESSAGE);
    } else if (content.length > 1024) {
      problems.add(`${field}.${name}`, 'must be at most 1024 characters');
    }
  }
}

const zoneCache = new Map<string, string | null>();

/** The zone's name when Intl knows it as an IANA zone (with its proper case), else null. */
export function checkTimeZone(zone: string): string | null {
  const known = zoneCache.get(zone);
  if (known !== undefined) return known;
  let result: string | null = null;
  // Intl accepts offsets such as +01:00 on newer engines; they are not zones (no daylight saving rules).
  if (/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone)) {
    try {
      const resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
      // Intl maps links to its own canonical names (Asia/Kolkata -> Asia/Calcutta): keep the caller's name.
      result = resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
    } catch {
      result = null;
    }
  }
  if (zoneCache.size >= 1000) zoneCache.clear();
  zoneCache.set(zone, result);
  return result;
}

export function timezone(problems: Problems, field: string, value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value;
  const zone = checkTimeZone(value);
  if (zone === null) problems.add(field, `is not a known IANA time zone (such as Europe/Madrid)`);
  return zone ?? value;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A `YYYY-MM-DD` date; an empty one clears the field (null). */
export function calendarDate(problems: Problems, field: string, value: string | null | undefined): string | null | undefined {
  if (value === '') return null;
  if (value && !isCalendarDate(value)) problems.add(field, 'must be a date as YYYY-MM-DD');
  return value;
}

const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;

/** `HH:MM` or `HH:MM:SS`, 24 h; returned as `HH:MM:SS` like jade's sc_time_*. An empty one clears the field. */
export function timeOfDay(problems: Problems, field: string, value: string | null | undefined): string | null | undefined {
  if (value === '') return null;
  if (value === undefined || value === null) return value;
  if (!TIME_OF_DAY.test(value)) {
    problems.add(field, 'must be a time of day as HH:MM or HH:MM:SS (24 h)');
    return value;
  }
  return value.length === 5 ? `${value}:00` : value;
}
