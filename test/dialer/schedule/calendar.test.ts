import { describe, expect, it } from 'vitest';
import { calendarClosedBecause, calendarNextChange, calendarOpen } from '../../../src/dialer/schedule/calendar.js';
import type { CalendarSetup } from '../../../src/outbound/calendars.js';
import { hoursClosedBecause, hoursNextChange, hoursOpen } from '../../../src/dialer/schedule/campaignHours.js';
import type { CampaignSchedule } from '../../../src/dialer/schedule/campaignSchedule.js';

type Range = [opens: string, closes: string];
type CalendarSpec = {
  timezone?: string;
  weekly?: [weekday: number, ...Range][];
  holidays?: [date: string, name: string | null][];
  exceptions?: [date: string, name: string | null, ranges: Range[]][];
};

/** A calendar as the dialer reads it, built from a short description: weekday 0 is Sunday. */
function calendar(spec: CalendarSpec): CalendarSetup {
  const calendarId = '0193f000-0000-7000-8000-00000000ca00';
  let rows = 0;
  const id = () => `0193f000-0000-7000-8000-${String(++rows).padStart(12, '0')}`;
  const hour = (range: Range, fields: { weekday: number | null; exceptionDateId: string | null }) => ({ id: id(), calendarId, ...fields, opens: range[0], closes: range[1] });
  const holidays = (spec.holidays ?? []).map(([date, name]) => ({ id: id(), calendarId, date, name, kind: 'HOLIDAY' as const }));
  const exceptions = (spec.exceptions ?? []).map(([date, name, ranges]) => ({ date: { id: id(), calendarId, date, name, kind: 'EXCEPTION' as const }, ranges }));
  return {
    id: calendarId,
    name: 'Lisbon office',
    detail: null,
    timezone: spec.timezone ?? 'Europe/Lisbon',
    inUse: true,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    deletedAt: null,
    dates: [...holidays, ...exceptions.map((exception) => exception.date)],
    hours: [
      ...(spec.weekly ?? []).map(([weekday, ...range]) => hour(range, { weekday, exceptionDateId: null })),
      ...exceptions.flatMap((exception) => exception.ranges.map((range) => hour(range, { weekday: null, exceptionDateId: exception.date.id }))),
    ],
  };
}

const at = (iso: string) => new Date(iso);
const WORKING_DAYS = [1, 2, 3, 4, 5];
const WEEKDAY_MORNINGS: CampaignSchedule = {
  scheduleMode: 'MANUAL',
  timezone: 'Europe/Lisbon',
  dailyStartTime: '08:00:00',
  dailyEndTime: '13:00:00',
  startDate: null,
  endDate: null,
  weekdays: WORKING_DAYS,
  dates: [],
  exceptDates: [],
};
// Lisbon is on UTC in winter: local times read as Z below from late October to late March.
const office = calendar({
  weekly: WORKING_DAYS.flatMap((day): [number, ...Range][] => [
    [day, '09:00:00', '12:30:00'],
    [day, '14:00:00', '18:00:00'],
  ]),
  holidays: [['2026-12-25', 'Christmas'], ['2026-12-08', null]],
  exceptions: [
    ['2026-12-24', 'Christmas Eve', [['09:00:00', '13:00:00']]],
    ['2026-12-27', 'Year-end sale', [['10:00:00', '16:00:00']]],
  ],
});

describe('weekly hours', () => {
  it('opens in each range of a weekday, the lunch break between them closed (the end itself is outside)', () => {
    // Monday 23 November 2026.
    expect(calendarOpen(office, at('2026-11-23T08:59:59Z'))).toBe(false);
    expect(calendarOpen(office, at('2026-11-23T09:00:00Z'))).toBe(true);
    expect(calendarOpen(office, at('2026-11-23T12:29:59Z'))).toBe(true);
    expect(calendarOpen(office, at('2026-11-23T12:30:00Z'))).toBe(false);
    expect(calendarOpen(office, at('2026-11-23T14:00:00Z'))).toBe(true);
    expect(calendarOpen(office, at('2026-11-23T18:00:00Z'))).toBe(false);
  });

  it('names the next change: the lunch break, the afternoon, then the next working day', () => {
    expect(calendarNextChange(office, at('2026-11-23T10:00:00Z'))).toEqual(at('2026-11-23T12:30:00Z'));
    expect(calendarNextChange(office, at('2026-11-23T12:30:00Z'))).toEqual(at('2026-11-23T14:00:00Z'));
    expect(calendarNextChange(office, at('2026-11-27T18:00:00Z'))).toEqual(at('2026-11-30T09:00:00Z'));
  });

  it('says why it is closed: outside the day’s hours, or a day without any', () => {
    expect(calendarClosedBecause(office, at('2026-11-23T13:00:00Z'))).toBe("closed: outside Monday's hours (09:00-12:30, 14:00-18:00) in calendar Lisbon office");
    expect(calendarClosedBecause(office, at('2026-11-29T10:00:00Z'))).toBe('closed: no hours on Sundays in calendar Lisbon office');
    expect(calendarClosedBecause(office, at('2026-11-23T10:00:00Z'))).toBeNull();
  });

  it('joins ranges that meet at midnight into one stretch, and never changes when it has no hours at all', () => {
    const weekdaysAllDay = calendar({ timezone: 'UTC', weekly: WORKING_DAYS.map((day): [number, ...Range] => [day, '00:00:00', '24:00:00']) });
    expect(calendarNextChange(weekdaysAllDay, at('2026-11-23T10:00:00Z'))).toEqual(at('2026-11-28T00:00:00Z'));
    const never = calendar({});
    expect(calendarOpen(never, at('2026-11-23T10:00:00Z'))).toBe(false);
    expect(calendarNextChange(never, at('2026-11-23T10:00:00Z'))).toBeNull();
  });
});

describe('holidays and exception dates', () => {
  it('closes all day on a holiday, named or by its date, and opens again on the next working day', () => {
    expect(calendarOpen(office, at('2026-12-25T10:00:00Z'))).toBe(false);
    expect(calendarClosedBecause(office, at('2026-12-25T10:00:00Z'))).toBe('closed: holiday Christmas in calendar Lisbon office');
    expect(calendarClosedBecause(office, at('2026-12-08T10:00:00Z'))).toBe('closed: holiday 2026-12-08 in calendar Lisbon office');
    // Friday 25th a holiday, then the weekend, then Sunday 27th an exception date.
    expect(calendarNextChange(office, at('2026-12-24T13:00:00Z'))).toEqual(at('2026-12-27T10:00:00Z'));
  });

  it("keeps an exception date to its own hours instead of the weekday's", () => {
    // Thursday 24 December: 09:00-13:00 only, so open through the usual lunch break and closed in the afternoon.
    expect(calendarOpen(office, at('2026-12-24T12:45:00Z'))).toBe(true);
    expect(calendarOpen(office, at('2026-12-24T15:00:00Z'))).toBe(false);
    expect(calendarClosedBecause(office, at('2026-12-24T15:00:00Z'))).toBe('closed: outside the hours of exception date Christmas Eve (09:00-13:00) in calendar Lisbon office');
  });

  it('opens on an exception date that falls on a day otherwise closed', () => {
    expect(calendarOpen(office, at('2026-12-27T11:00:00Z'))).toBe(true);
    expect(calendarOpen(office, at('2026-12-20T11:00:00Z'))).toBe(false);
  });
});

describe('the time zone and its daylight saving changes', () => {
  it('reads the hours in the calendar zone', () => {
    const newYork = calendar({ timezone: 'America/New_York', weekly: [[1, '09:00:00', '17:00:00']] });
    // 09:00 in New York is 14:00 UTC in November.
    expect(calendarOpen(newYork, at('2026-11-23T13:59:00Z'))).toBe(false);
    expect(calendarOpen(newYork, at('2026-11-23T14:00:00Z'))).toBe(true);
    expect(calendarNextChange(newYork, at('2026-11-23T10:00:00Z'))).toEqual(at('2026-11-23T14:00:00Z'));
  });

  it('loses the skipped hour when the clocks go forward: 00:30-02:30 lasts one hour', () => {
    // Sunday 29 March 2026, Lisbon: 01:00 becomes 02:00 (UTC+1).
    const night = calendar({ weekly: [[0, '00:30:00', '02:30:00']] });
    expect(calendarOpen(night, at('2026-03-29T01:15:00Z'))).toBe(true);
    expect(calendarNextChange(night, at('2026-03-29T00:45:00Z'))).toEqual(at('2026-03-29T01:30:00Z'));
  });

  it('closes at the first reading of a closing time the clocks go back over', () => {
    // Sunday 25 October 2026, Lisbon: 02:00 becomes 01:00 (UTC+0), so 01:30 is read twice.
    const night = calendar({ weekly: [[0, '00:30:00', '01:30:00']] });
    expect(calendarNextChange(night, at('2026-10-24T23:45:00Z'))).toEqual(at('2026-10-25T00:30:00Z'));
    expect(calendarOpen(night, at('2026-10-25T01:15:00Z'))).toBe(false);
  });
});

describe('the next change, checked against the open state itself', () => {
  it('agrees quarter-hour by quarter-hour over a week with a daylight saving change, alone and with a schedule', () => {
    const schedule: CampaignSchedule = { ...WEEKDAY_MORNINGS, timezone: 'Europe/Madrid' };
    const night = calendar({ weekly: [[0, '00:30:00', '02:30:00'], [1, '00:00:00', '24:00:00'], [2, '00:00:00', '10:00:00'], [2, '11:00:00', '12:00:00']] });
    const rules = [
      { open: (t: Date) => calendarOpen(night, t), next: (t: Date) => calendarNextChange(night, t) },
      { open: (t: Date) => hoursOpen({ ...schedule, calendar: night }, t), next: (t: Date) => hoursNextChange({ ...schedule, calendar: night }, t) },
    ];
    const quarter = 15 * 60_000;
    const first = Date.parse('2026-03-28T00:00:00Z');
    const quarters = Array.from({ length: 4 * 24 * 7 }, (_, index) => first + index * quarter);
    for (const rule of rules) {
      const open = quarters.map((t) => rule.open(new Date(t)));
      quarters.slice(0, 4 * 24 * 4).forEach((t, index) => {
        const change = rule.next(new Date(t))?.getTime() ?? Number.NaN;
        expect(rule.open(new Date(change)), new Date(t).toISOString()).toBe(!open[index]);
        expect(rule.open(new Date(change - 1)), new Date(t).toISOString()).toBe(open[index]);
        const firstOther = open.findIndex((state, later) => later > index && state !== open[index]);
        expect(quarters[firstOther] ?? Number.POSITIVE_INFINITY, new Date(t).toISOString()).toBeGreaterThanOrEqual(change);
      });
    }
  });
});

describe("a campaign's own schedule together with its calendar", () => {
  const schedule: CampaignSchedule = { ...WEEKDAY_MORNINGS, weekdays: [] };
  const hours = { ...schedule, calendar: office };

  it('dials only while both are open', () => {
    expect(hoursOpen(hours, at('2026-11-23T08:30:00Z'))).toBe(false);
    expect(hoursOpen(hours, at('2026-11-23T09:30:00Z'))).toBe(true);
    expect(hoursOpen(hours, at('2026-11-23T15:00:00Z'))).toBe(false);
    expect(hoursOpen({ ...schedule, calendar: null }, at('2026-11-23T08:30:00Z'))).toBe(true);
  });

  it('closes at the first of the two to close, and opens when the later of the two opens', () => {
    expect(hoursNextChange(hours, at('2026-11-23T10:00:00Z'))).toEqual(at('2026-11-23T12:30:00Z'));
    expect(hoursNextChange(hours, at('2026-11-23T07:00:00Z'))).toEqual(at('2026-11-23T09:00:00Z'));
    // The calendar's afternoon never meets the schedule's morning: the next opening is Tuesday's.
    expect(hoursNextChange(hours, at('2026-11-23T12:30:00Z'))).toEqual(at('2026-11-24T09:00:00Z'));
    // From Christmas Eve's close, past Christmas and the weekend to Sunday's exception date at 10:00.
    expect(hoursNextChange(hours, at('2026-12-24T13:00:00Z'))).toEqual(at('2026-12-27T10:00:00Z'));
  });

  it('says each reason it is closed, and never opens when the calendar never does', () => {
    expect(hoursClosedBecause(hours, at('2026-12-25T15:00:00Z'))).toBe('outside its schedule; closed: holiday Christmas in calendar Lisbon office');
    expect(hoursClosedBecause(hours, at('2026-12-25T10:00:00Z'))).toBe('closed: holiday Christmas in calendar Lisbon office');
    expect(hoursClosedBecause(hours, at('2026-11-23T10:00:00Z'))).toBeNull();
    expect(hoursNextChange({ ...schedule, calendar: calendar({}) }, at('2026-11-23T10:00:00Z'))).toBeNull();
  });
});
