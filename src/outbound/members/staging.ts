/**
 * The staging table an intake copies its validated rows into, the tables that say which rows it skips, and
 * the COPY text format of its rows.
 */
import type { ValidMember } from './validation.js';

/**
 * One intake's temp tables: its staged rows, the rows it skips and why, and (NUMBER dedupe) each number staged
 * so far with the first row that has it. Named apart for each intake: the embedded database's intakes share
 * its one session.
 */
export type StagingTables = { staged: string; skipped: string; seen: string };

let lastIntake = 0;

export function stagingTables(): StagingTables {
  const name = `member_intake_${++lastIntake}`;
  return { staged: name, skipped: `${name}_skipped`, seen: `${name}_numbers` };
}

export const STAGING_COLUMNS = [
  'row',
  'id',
  'name',
  'detail',
  'external_key',
  'email',
  'variables',
  'priority',
  'expires_at',
  'timezone',
  'agent',
  'numbers',
  'normalized',
  'types',
  'number_priorities',
] as const;

/**
 * Temp tables live in the session. In a transaction, ON COMMIT DROP also removes them from a pooled
 * connection; an intake that commits slice by slice drops them itself (dropStaging).
 */
export function createStaging(t: StagingTables, inTransaction: boolean): string {
  const end = inTransaction ? ' ON COMMIT DROP' : '';
  return `
CREATE TEMP TABLE ${t.staged} (
  row integer PRIMARY KEY,
  id uuid NOT NULL,
  name text,
  detail text,
  external_key text,
  email text,
  variables jsonb NOT NULL,
  priority integer NOT NULL,
  expires_at timestamp(3),
  timezone text,
  agent text,
  numbers text[] NOT NULL,
  normalized text[] NOT NULL,
  types text[],
  number_priorities integer[]
)${end};
CREATE TEMP TABLE ${t.skipped} (
  row integer PRIMARY KEY,
  reason text NOT NULL
)${end};
CREATE TEMP TABLE ${t.seen} (
  number text PRIMARY KEY,
  first_row integer NOT NULL
)${end};
`;
}

export function dropStaging(t: StagingTables): string {
  return `DROP TABLE IF EXISTS ${t.staged}, ${t.skipped}, ${t.seen}`;
}

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIAL_ALL = /[\\\t\n\r]/g;
const COPY_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One value in COPY's text format: `\N` for null, backslash escapes for the characters COPY reads. */
export function copyValue(value: string | null): string {
  if (value === null) return '\\N';
  return COPY_SPECIAL.test(value) ? value.replace(COPY_SPECIAL_ALL, (char) => COPY_ESCAPES[char] as string) : value;
}

/** A PostgreSQL array literal of text elements, quoted so any text survives. */
function textArray(values: readonly (string | null)[]): string {
  return `{${values.map((value) => (value === null ? 'NULL' : `"${value.replace(/["\\]/g, '\\$&')}"`)).join(',')}}`;
}

/** The staging line of one member; numbers are already only `+`, digits, `*` and `#`, safe unquoted. */
export function stagingLine(row: number, id: string, member: ValidMember): string {
  return (
    `${row}\t${id}\t${copyValue(member.name)}\t${copyValue(member.detail)}\t${copyValue(member.externalKey)}\t` +
    `${copyValue(member.email)}\t${copyValue(member.variablesJson)}\t${member.priority}\t` +
    `${member.expiresAt ?? '\\N'}\t${copyValue(member.timezone)}\t${copyValue(member.agent)}\t` +
    `{${member.numbers.join(',')}}\t{${member.normalized.join(',')}}\t${member.types === null ? '\\N' : copyValue(textArray(member.types))}\t` +
    `${member.numberPriorities === null ? '\\N' : `{${member.numberPriorities.map((p) => (p === null ? 'NULL' : p)).join(',')}}`}\n`
  );
}
