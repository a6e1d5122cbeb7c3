import type { CalendarDate, CalendarHours } from '../../generated/prisma/client.js';
import { END_OF_DAY, WEEKDAY_NAMES } from '../../outbound/calendarInput.js';
import type { CalendarSetup } from '../../outbound/calendars.js';
import { knownZone } from './campaignSchedule.js';
import { dailyWindow, type Window } from './dailyWindow.js';
import { addDays, dateOfLocalMs, weekdayOf, type LocalDate } from './runningDays.js';
import { localMsAt } from './wallClock.js';

// Past this many days without a change, the calendar counts as never changing again.
const HORIZON_DAYS = 400;

/** What a calendar says of one of its dates: the ranges it is open in, and the holiday or exception date that set them. */
type CalendarDay = { date: LocalDate; ranges: Pick<CalendarHours, 'opens' | 'closes'>[]; special: CalendarDate | null };

/** A calendar's dates looked up by day, read once per question rather than once per day asked about. */
function dayReader(calendar: CalendarSetup): (date: LocalDate) => CalendarDay {
  const specials = new Map(calendar.dates.map((special) => [special.date, special]));
  const byOpening = (a: Pick<CalendarHours, 'opens'>, b: Pick<CalendarHours, 'opens'>) => a.opens.localeCompare(b.opens);
  return (date) => {
    const special = specials.get(date) ?? null;
    const ranges =
      special === null
        ? calendar.hours.filter((range) => range.weekday === weekdayOf(date))
        : calendar.hours.filter((range) => special.kind === 'EXCEPTION' && range.exceptionDateId === special.id);
    return { date, ranges: ranges.sort(byOpening), special };
  };
}

/** The instants a day's ranges are open in, earliest first; the daylight saving handling is dailyWindow's. */
function windowsOf(day: CalendarDay, zone: string): Window[] {
  return day.ranges.map((range) => dailyWindow({ dailyStartTime: range.opens, dailyEndTime: range.closes === END_OF_DAY ? null : range.closes }, zone, day.date));
}

/** The calendar's zone and the date its clock reads at the instant. */
function localToday(calendar: CalendarSetup, at: number): { zone: string; today: LocalDate } {
  const zone = knownZone('calendar.timezone', calendar.timezone);
  return { zone, today: dateOfLocalMs(localMsAt(at, zone)) };
}

/** Whether the calendar is open at the instant: inside a range of its date (a holiday has none, an exception date its own). */
export function calendarOpen(calendar: CalendarSetup, instant: Date): boolean {
  const at = instant.getTime();
  const { zone, today } = localToday(calendar, at);
  const dayOf = dayReader(calendar);
  // A clock put back at midnight reads the day before after the day's first instant: its neighbours are looked at too.
  return [addDays(today, -1), today, addDays(today, 1)].some((date) => windowsOf(dayOf(date), zone).some((window) => window.opensAt <= at && at < window.closesAt));
}

/**
 * The next instant after `instant` at which calendarOpen changes; ranges that meet (a day open to 24:00 and
 * the next from 00:00) are one stretch. Null when it does not change within about a year.
 */
export function calendarNextChange(calendar: CalendarSetup, instant: Date): Date | null {
  const at = instant.getTime();
  const { zone, today } = localToday(calendar, at);
  const dayOf = dayReader(calendar);
  const open = calendarOpen(calendar, instant);
  let openUntil = at;
  for (let offset = -1; offset < HORIZON_DAYS; offset++) {
    for (const window of windowsOf(dayOf(addDays(today, offset)), zone)) {
      if (window.closesAt <= at || window.opensAt === window.closesAt) continue;
      if (!open) return new Date(window.opensAt);
      if (window.opensAt > openUntil) return new Date(openUntil);
      openUntil = Math.max(openUntil, window.closesAt);
    }
  }
  return null;
}

function rangesText(ranges: CalendarDay['ranges']): string {
  return ranges.map((range) => `${range.opens.slice(0, 5)}-${range.closes.slice(0, 5)}`).join(', ');
}

/** Why the calendar is closed at the instant, in words a supervisor reads in a hold; null when it is open. */
export function calendarClosedBecause(calendar: CalendarSetup, instant: Date): string | null {
  if (calendarOpen(calendar, instant)) return null;
  const { today } = localToday(calendar, instant.getTime());
  const day = dayReader(calendar)(today);
  const where = `in calendar ${calendar.name}`;
  if (day.special?.kind === 'HOLIDAY') return `closed: holiday ${day.special.name ?? day.date} ${where}`;
  if (day.special) return `closed: outside the hours of exception date ${day.special.name ?? day.date} (${rangesText(day.ranges)}) ${where}`;
  const weekday = WEEKDAY_NAMES[weekdayOf(today)] ?? today;
  if (day.ranges.length === 0) return `closed: no hours on ${weekday}s ${where}`;
  return `closed: outside ${weekday}'s hours (${rangesText(day.ranges)}) ${where}`;
}
