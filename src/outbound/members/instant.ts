/** Instants (a member's expiry) written as ISO 8601 text. */
import { quoted } from './quoted.js';
import type { FieldError } from './validation.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const DATE_HINT = 'use ISO 8601 such as 2025-12-31 or 2025-12-31T18:00:00Z';

/** Parses an ISO 8601 date or date-time with a zone; a bare date is midnight UTC. */
export function parseInstant(value: string): { iso: string } | { error: string } {
  const match = ISO_DATE.exec(value.trim());
  if (!match) return { error: `${quoted(value)} is not a date: ${DATE_HINT}` };
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return { error: `${quoted(value)} is not a real calendar date: ${DATE_HINT}` };
  }
  if (h === undefined) return { iso: new Date(Date.UTC(year, month - 1, day)).toISOString() };
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (hour > 23 || minute > 59 || second > 59) return { error: `${quoted(value)} is not a valid time of day: ${DATE_HINT}` };
  if (zone === undefined) {
    return { error: `${quoted(value)} has a time but no zone: add Z (UTC) or an offset such as +02:00` };
  }
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0')) * (zone[0] === '-' ? -1 : 1);
  }
  const millis = Number((fraction ?? '0').padEnd(3, '0').slice(0, 3));
  const time = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  return { iso: new Date(time).toISOString() };
}

/** Checks a field that holds an instant: a Date, or ISO 8601 text; blank means absent. */
export function checkInstant(value: unknown, field: string, errors: FieldError[]): string | null {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) {
    const time = value.getTime();
    if (!Number.isNaN(time) && value.getUTCFullYear() >= 1900 && value.getUTCFullYear() <= 9999) return value.toISOString();
    errors.push({ field, message: 'is not a valid date between the years 1900 and 9999' });
    return null;
  }
  if (typeof value !== 'string') {
    errors.push({ field, message: `must be a date: ${DATE_HINT}` });
    return null;
  }
  if (value.trim().length === 0) return null;
  const parsed = parseInstant(value);
  if ('error' in parsed) {
    errors.push({ field, message: parsed.error });
    return null;
  }
  return parsed.iso;
}
