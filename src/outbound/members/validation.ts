/**
 * The rules every member obeys, whichever way it arrives (addMembers, uContact lines, CSV): one function
 * that turns loosely typed input into a member ready to store, or into errors a person can act on.
 */

/** A problem with one field; `field` is null when the problem is the row as a whole. */
import { checkInstant } from './instant.js';
import type { CountryCode } from 'libphonenumber-js';
import { normalizedNumber } from './phoneNumbers.js';
import { quoted } from './quoted.js';
import { checkTimeZone, LINE_BREAK_MESSAGE, variableNameProblem } from '../../validate.js';

export type FieldError = { field: string | null; message: string };

/** A number as a source gives it; `column` is the source's own slot (CSV number2 = 2), for field names. */
export type RawNumber = { number: unknown; type?: unknown; priority?: unknown; column?: number };

/** A member before validation: fields may be text from a file or typed values from an API call. */
export type RawMember = {
  name?: unknown;
  detail?: unknown;
  externalKey?: unknown;
  email?: unknown;
  /** An object, or name/value pairs in source order (so repeated names can be reported). */
  variables?: Readonly<Record<string, unknown>> | ReadonlyArray<readonly [string, string]> | null;
  priority?: unknown;
  expiresAt?: unknown;
  timezone?: unknown;
  agent?: unknown;
  numbers: readonly RawNumber[];
};

/** A member that passed every rule, normalised for storage. */
export type ValidMember = {
  name: string | null;
  detail: string | null;
  externalKey: string | null;
  email: string | null;
  /** A JSON object of text values. */
  variablesJson: string;
  priority: number;
  /** ISO 8601 in UTC. */
  expiresAt: string | null;
  timezone: string | null;
  agent: string | null;
  numbers: string[];
  /** Each number compared as (E.164 when it is a valid phone number: see normalizedNumber). */
  normalized: string[];
  /** Null when no number has a type. */
  types: (string | null)[] | null;
  /** Null when no number has a priority. */
  numberPriorities: (number | null)[] | null;
};

export type MemberField =
  | 'name'
  | 'detail'
  | 'externalKey'
  | 'email'
  | 'variables'
  | 'priority'
  | 'expiresAt'
  | 'timezone'
  | 'agent'
  | 'numbers';

/** How a source names the fields errors point at: API paths for addMembers, column names for a CSV. */
export interface FieldNames {
  member(field: MemberField): string;
  number(index: number, part: 'number' | 'type' | 'priority', column: number | undefined): string;
  variable(name: string): string;
}

export const inputFieldNames: FieldNames = {
  member: (field) => field,
  number: (index, part) => `numbers[${index}].${part}`,
  variable: (name) => `variables.${name}`,
};

export const MAX_NUMBERS = 8;
export const LIMITS = {
  name: 200,
  detail: 2000,
  externalKey: 200,
  email: 254,
  agent: 100,
  numberType: 40,
  variables: 100,
  variableValue: 1000,
} as const;

const INT_MIN = -2_147_483_648;
const INT_MAX = 2_147_483_647;
const NUMBER_PATTERN = /^\+?[0-9*#]{1,32}$/;
const NUMBER_SEPARATORS = /[ \t\u00a0\-.()]/g;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const INTEGER = /^[+-]?\d{1,10}$/;
/** CR, LF, NUL and lone UTF-16 surrogates (which PostgreSQL's jsonb refuses). */
const FORBIDDEN = /[\r\n\0]|[\uD800-\uDFFF]/u;


function forbiddenMessage(value: string): string {
  if (/[\r\n]/.test(value)) return LINE_BREAK_MESSAGE;
  if (value.includes('\0')) return 'contains a NUL character, which cannot be stored; remove it';
  return 'contains an invalid character (a lone UTF-16 surrogate); send well-formed Unicode text';
}

/** Checks one text field; blank means absent. Line breaks are checked before trimming: none may reach AMI. */
function text(value: unknown, field: string, max: number, errors: FieldError[]): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    errors.push({ field, message: 'must be text' });
    return null;
  }
  if (FORBIDDEN.test(value)) {
    errors.push({ field, message: forbiddenMessage(value) });
    return null;
  }
  const trimmed = value.trim();
  if (trimmed.length === 0) return null;
  if (trimmed.length > max) {
    errors.push({ field, message: `is ${trimmed.length} characters long; at most ${max} are allowed` });
    return null;
  }
  return trimmed;
}

function integer(value: unknown, field: string, errors: FieldError[]): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= INT_MIN && value <= INT_MAX) return value;
  } else if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed.length === 0) return null;
    if (INTEGER.test(trimmed)) {
      const parsed = Number(trimmed);
      if (parsed >= INT_MIN && parsed <= INT_MAX) return parsed;
    }
  }
  const shown = typeof value === 'string' ? quoted(value) : String(value);
  errors.push({ field, message: `${shown} is not a whole number between ${INT_MIN} and ${INT_MAX}` });
  return null;
}

/** Removes the separators people write numbers with; the result must be dialable digits, * or #. */
export function normaliseNumber(value: string): string | null {
  if (NUMBER_PATTERN.test(value)) return value;
  const stripped = value.replace(NUMBER_SEPARATORS, '');
  return NUMBER_PATTERN.test(stripped) ? stripped : null;
}

function variablesJson(value: RawMember['variables'], names: FieldNames, errors: FieldError[]): string {
  if (value === undefined || value === null) return '{}';
  let entries: ReadonlyArray<readonly [string, unknown]>;
  if (Array.isArray(value)) entries = value as ReadonlyArray<readonly [string, string]>;
  else if (typeof value === 'object') entries = Object.entries(value);
  else {
    errors.push({ field: names.member('variables'), message: 'must be an object of names and text values' });
    return '{}';
  }
  if (entries.length === 0) return '{}';
  if (entries.length > LIMITS.variables) {
    errors.push({ field: names.member('variables'), message: `has ${entries.length} variables; at most ${LIMITS.variables} are allowed` });
    return '{}';
  }
  const seen = entries.length > 1 ? new Set<string>() : null;
  let json = '';
  for (const [name, raw] of entries) {
    const field = names.variable(name);
    const nameProblem = variableNameProblem(name);
    if (nameProblem !== null) {
      errors.push({ field, message: `${quoted(name)} ${nameProblem}` });
      continue;
    }
    if (seen) {
      if (seen.has(name)) {
        errors.push({ field, message: `variable ${name} is given twice` });
        continue;
      }
      seen.add(name);
    }
    if (typeof raw !== 'string') {
      errors.push({ field, message: 'must be text' });
      continue;
    }
    if (FORBIDDEN.test(raw)) {
      errors.push({ field, message: forbiddenMessage(raw) });
      continue;
    }
    if (raw.length > LIMITS.variableValue) {
      errors.push({ field, message: `is ${raw.length} characters long; at most ${LIMITS.variableValue} are allowed` });
      continue;
    }
    json += `${json.length === 0 ? '{' : ','}${JSON.stringify(name)}:${JSON.stringify(raw)}`;
  }
  return json.length === 0 ? '{}' : `${json}}`;
}

/**
 * Validates one member. `defaultTimezone` (already checked) is used when the member names none; `country`
 * (its list's) reads numbers not written internationally. Returns the member ready to store, or every
 * problem found in it.
 */
export function validateMember(raw: RawMember, names: FieldNames, defaultTimezone: string | null, country: CountryCode | null): ValidMember | FieldError[] {
  const errors: FieldError[] = [];
  const name = text(raw.name, names.member('name'), LIMITS.name, errors);
  const detail = text(raw.detail, names.member('detail'), LIMITS.detail, errors);
  const externalKey = text(raw.externalKey, names.member('externalKey'), LIMITS.externalKey, errors);
  const email = text(raw.email, names.member('email'), LIMITS.email, errors);
  if (email !== null && !EMAIL.test(email)) {
    errors.push({ field: names.member('email'), message: `${quoted(email)} does not look like an email address (name@example.com)` });
  }
  const agent = text(raw.agent, names.member('agent'), LIMITS.agent, errors);
  const priority = integer(raw.priority, names.member('priority'), errors) ?? 0;
  const expiresAt = checkInstant(raw.expiresAt, names.member('expiresAt'), errors);
  let timezone = defaultTimezone;
  const zone = text(raw.timezone, names.member('timezone'), 64, errors);
  if (zone !== null) {
    timezone = checkTimeZone(zone);
    if (timezone === null) {
      errors.push({
        field: names.member('timezone'),
        message: `${quoted(zone)} is not an IANA time zone such as Europe/Madrid or America/New_York`,
      });
    }
  }
  const variables = variablesJson(raw.variables, names, errors);

  const count = raw.numbers.length;
  const numbers: string[] = [];
  let types: (string | null)[] | null = null;
  let numberPriorities: (number | null)[] | null = null;
  if (count === 0) {
    errors.push({ field: names.member('numbers'), message: 'a member needs at least one number' });
  } else if (count > MAX_NUMBERS) {
    errors.push({ field: names.member('numbers'), message: `has ${count} numbers; a member has at most ${MAX_NUMBERS}` });
  } else {
    for (let index = 0; index < count; index++) {
      const input = raw.numbers[index] as RawNumber;
      const field = names.number(index, 'number', input.column);
      const before = errors.length;
      const value = text(input.number, field, 64, errors);
      if (value === null) {
        if (errors.length === before) errors.push({ field, message: 'is empty' });
      } else {
        const normalised = normaliseNumber(value);
        if (normalised === null) {
          errors.push({
            field,
            message:
              `${quoted(value)} is not a phone number: after removing spaces, dashes, dots and parentheses it must be ` +
              'an optional + and 1 to 32 digits, * or #',
          });
        } else numbers.push(normalised);
      }
      if (input.type !== undefined && input.type !== null) {
        const type = text(input.type, names.number(index, 'type', input.column), LIMITS.numberType, errors);
        if (type !== null) (types ??= new Array<string | null>(count).fill(null))[index] = type;
      }
      if (input.priority !== undefined && input.priority !== null) {
        const numberPriority = integer(input.priority, names.number(index, 'priority', input.column), errors);
        if (numberPriority !== null) (numberPriorities ??= new Array<number | null>(count).fill(null))[index] = numberPriority;
      }
    }
  }
  if (errors.length > 0) return errors;
  const normalized = numbers.map((number) => normalizedNumber(number, country));
  return { name, detail, externalKey, email, variablesJson: variables, priority, expiresAt, timezone, agent, numbers, normalized, types, numberPriorities };
}
