import type { CalendarDate, CalendarHours } from '../generated/prisma/client.js';
import { calendarDate, integer, Problems, text, timeOfDay, timezone } from '../validate.js';

/** The end of the day, as a range's `closes` is stored: a range never crosses midnight. */
export const END_OF_DAY = '24:00:00';

// Bounds that keep a calendar readable on every dialer tick: a few ranges a day, a few years of dates.
const MAX_RANGES_PER_DAY = 8;
const MAX_DATES = 1000;

/** Weekdays by number, 0 = Sunday, as calendars and campaigns count them. */
export const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export type TimeRangeInput = { opens: string; closes: string };
export type OpeningHoursInput = TimeRangeInput & { weekday: number };
export type HolidayInput = { date: string; name?: string | null };
export type ExceptionDateInput = { date: string; name?: string | null; hours: TimeRangeInput[] };

export type CalendarInput = {
  name?: string | null;
  detail?: string | null;
  timezone?: string | null;
  /** Each replaces the calendar's whole list when given; absent, the stored list stays. */
  openingHours?: OpeningHoursInput[] | null;
  holidays?: HolidayInput[] | null;
  exceptionDates?: ExceptionDateInput[] | null;
};

type Range = Pick<CalendarHours, 'opens' | 'closes'>;
type DateRow = Pick<CalendarDate, 'date' | 'name'>;

/** The rows a valid input becomes; a list left out of the input is undefined (kept as stored). */
export type CalendarRows = {
  name: string | undefined;
  detail: string | null | undefined;
  timezone: string | undefined;
  weekly: (Range & { weekday: number })[] | undefined;
  holidays: DateRow[] | undefined;
  exceptionDates: (DateRow & { hours: Range[] })[] | undefined;
};

/** `HH:MM[:SS]` as stored (`HH:MM:SS`); a closing time may also be 24:00, the end of the day. */
function clockTime(problems: Problems, field: string, value: string, closing: boolean): string | null {
  if (closing && /^24:00(:00)?$/.test(value)) return END_OF_DAY;
  const before = problems.list.length;
  const time = timeOfDay(problems, field, value);
  if (time === null || time === undefined) {
    if (problems.list.length === before) problems.add(field, 'is required, as HH:MM');
    return null;
  }
  return problems.list.length === before ? time : null;
}

/** A day's ranges, each ending after it starts, none overlapping another (ranges that meet are fine). */
function dayRanges(problems: Problems, ranges: { field: string; range: TimeRangeInput }[], day: string): Range[] {
  if (ranges.length > MAX_RANGES_PER_DAY) {
    problems.add(ranges[MAX_RANGES_PER_DAY]?.field ?? day, `is one range too many on ${day}: at most ${MAX_RANGES_PER_DAY} a day`);
    return [];
  }
  const checked: (Range & { field: string })[] = [];
  for (const { field, range } of ranges) {
    const opens = clockTime(problems, `${field}.opens`, range.opens, false);
    const closes = clockTime(problems, `${field}.closes`, range.closes, true);
    if (opens === null || closes === null) continue;
    if (closes <= opens) {
      problems.add(`${field}.closes`, `must be after opens (${range.opens}): a range ends on the day it starts, so a night is 22:00-24:00 and 00:00-06:00 the next day`);
      continue;
    }
    checked.push({ field, opens, closes });
  }
  const sorted = [...checked].sort((a, b) => a.opens.localeCompare(b.opens));
  sorted.forEach((range, index) => {
    const before = sorted[index - 1];
    if (before && range.opens < before.closes) problems.add(range.field, `overlaps ${before.field} (${before.opens.slice(0, 5)}-${before.closes.slice(0, 5)}) on ${day}`);
  });
  return checked.map(({ opens, closes }) => ({ opens, closes }));
}

function weeklyRows(problems: Problems, openingHours: OpeningHoursInput[]): CalendarRows['weekly'] {
  const rows: NonNullable<CalendarRows['weekly']> = [];
  WEEKDAY_NAMES.forEach((name, weekday) => {
    const ranges = openingHours.flatMap((range, index) => (range.weekday === weekday ? [{ field: `openingHours[${index}]`, range }] : []));
    for (const range of dayRanges(problems, ranges, `${name}s`)) rows.push({ weekday, ...range });
  });
  openingHours.forEach((range, index) => integer(problems, `openingHours[${index}].weekday`, range.weekday, { min: 0, max: 6 }));
  return rows;
}

function dateRow(problems: Problems, field: string, input: HolidayInput): DateRow {
  if (input.date === '') problems.add(`${field}.date`, 'is required, as YYYY-MM-DD');
  else calendarDate(problems, `${field}.date`, input.date);
  return { date: input.date, name: text(problems, `${field}.name`, input.name, { max: 100 }) ?? null };
}

/** Each date once across both lists: a date is a holiday or an exception date, never both, never twice. */
function checkDistinct(problems: Problems, lists: { holidays: DateRow[]; exceptionDates: DateRow[] }, given: { holidays: boolean; exceptionDates: boolean }): void {
  const entries = (['holidays', 'exceptionDates'] as const).flatMap((list) =>
    lists[list].map((row, index) => ({ date: row.date, field: `${list}[${index}].date`, where: given[list] ? `${list}[${index}]` : `the calendar's stored ${list}`, given: given[list] })),
  );
  const byDate = new Map<string, typeof entries>();
  for (const entry of entries) byDate.set(entry.date, [...(byDate.get(entry.date) ?? []), entry]);
  for (const same of byDate.values()) {
    // A list left out of the input is as stored, already distinct: a clash is named on the side the input gave.
    for (const entry of same.length > 1 ? same.filter((each) => each.given) : []) {
      const other = same.find((each) => each !== entry);
      problems.add(entry.field, `repeats ${entry.date}, also in ${other?.where ?? 'the calendar'}`);
    }
  }
  if (lists.holidays.length + lists.exceptionDates.length > MAX_DATES) {
    problems.add(given.exceptionDates ? 'exceptionDates' : 'holidays', `make more than ${MAX_DATES} dates with the calendar's other dates`);
  }
}

/**
 * Checks a calendar input, every problem named by its path (`openingHours[2].closes`), and returns its rows.
 * `stored` is the calendar being changed (its dates count against the ones given), null for a new one.
 */
export function calendarRows(input: CalendarInput, stored: { holidays: DateRow[]; exceptionDates: DateRow[] } | null): CalendarRows {
  const problems = new Problems();
  const creating = stored === null;
  const name = text(problems, 'name', input.name, { required: creating || input.name !== undefined, max: 100 });
  const detail = text(problems, 'detail', input.detail, { max: 1000 });
  const zoneMissing = (creating || input.timezone !== undefined) && !input.timezone;
  if (zoneMissing) problems.add('timezone', 'is required: the IANA zone its hours are read in (such as Europe/Lisbon)');
  const zone = zoneMissing ? undefined : timezone(problems, 'timezone', input.timezone);
  const bounds = [
    ['openingHours', input.openingHours, 7 * MAX_RANGES_PER_DAY],
    ['holidays', input.holidays, MAX_DATES],
    ['exceptionDates', input.exceptionDates, MAX_DATES],
  ] as const;
  const tooLong = bounds.filter(([, list, most]) => list && list.length > most);
  for (const [field, , most] of tooLong) problems.add(field, `must hold at most ${most} entries`);
  // Too long a list is not read entry by entry.
  if (tooLong.length > 0) problems.throwIfAny('calendar');
  const weekly = input.openingHours ? weeklyRows(problems, input.openingHours) : undefined;
  const holidays = input.holidays?.map((holiday, index) => dateRow(problems, `holidays[${index}]`, holiday));
  const exceptionDates = input.exceptionDates?.map((exception, index) => {
    const field = `exceptionDates[${index}]`;
    if (exception.hours.length === 0) problems.add(`${field}.hours`, 'must hold at least one range: a date closed all day is a holiday');
    const hours = dayRanges(problems, exception.hours.map((range, at) => ({ field: `${field}.hours[${at}]`, range })), exception.date);
    return { ...dateRow(problems, field, exception), hours };
  });
  checkDistinct(
    problems,
    { holidays: holidays ?? stored?.holidays ?? [], exceptionDates: exceptionDates ?? stored?.exceptionDates ?? [] },
    { holidays: holidays !== undefined, exceptionDates: exceptionDates !== undefined },
  );
  problems.throwIfAny('calendar');
  return { name: name ?? undefined, detail, timezone: zone ?? undefined, weekly, holidays, exceptionDates };
}
