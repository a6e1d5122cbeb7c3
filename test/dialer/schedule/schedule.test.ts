import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors.js';
import type { CampaignSchedule } from '../../../src/dialer/schedule/campaignSchedule.js';
import { isOpen, nextChange } from '../../../src/dialer/schedule/schedule.js';

const always: CampaignSchedule = {
  scheduleMode: 'SCHEDULED',
  timezone: 'UTC',
  dailyStartTime: null,
  dailyEndTime: null,
  startDate: null,
  endDate: null,
  weekdays: [],
  dates: [],
  exceptDates: [],
};

function schedule(fields: Partial<CampaignSchedule>): CampaignSchedule {
  return { ...always, ...fields };
}

const at = (iso: string) => new Date(iso);

describe('a campaign, MANUAL or SCHEDULED', () => {
  it('keeps its hours and dates either way: a MANUAL campaign is only started by hand', () => {
    const manual = schedule({ scheduleMode: 'MANUAL', dailyStartTime: '09:00:00', dailyEndTime: '10:00:00' });
    expect(isOpen(manual, at('2026-05-01T03:00:00Z'))).toBe(false);
    expect(isOpen(manual, at('2026-05-01T09:30:00Z'))).toBe(true);
    expect(nextChange(manual, at('2026-05-01T03:00:00Z'))).toEqual(at('2026-05-01T09:00:00Z'));
  });

  it('may always dial, and never changes by itself, when it sets no hours, days or dates', () => {
    const open = schedule({ scheduleMode: 'MANUAL' });
    expect(isOpen(open, at('2026-05-01T03:00:00Z'))).toBe(true);
    expect(nextChange(open, at('2026-05-01T03:00:00Z'))).toBeNull();
  });
});

describe('the daily window, in the campaign timezone', () => {
  // Madrid is UTC+2 in May.
  const office = schedule({ timezone: 'Europe/Madrid', dailyStartTime: '09:00:00', dailyEndTime: '18:00:00' });

  it('opens at its start time and closes at its end time (the end itself is outside)', () => {
    expect(isOpen(office, at('2026-05-04T06:59:59Z'))).toBe(false);
    expect(isOpen(office, at('2026-05-04T07:00:00Z'))).toBe(true);
    expect(isOpen(office, at('2026-05-04T15:59:59Z'))).toBe(true);
    expect(isOpen(office, at('2026-05-04T16:00:00Z'))).toBe(false);
  });

  it('names the next opening while closed and the next closing while open', () => {
    expect(nextChange(office, at('2026-05-04T05:00:00Z'))).toEqual(at('2026-05-04T07:00:00Z'));
    expect(nextChange(office, at('2026-05-04T10:00:00Z'))).toEqual(at('2026-05-04T16:00:00Z'));
    expect(nextChange(office, at('2026-05-04T16:00:00Z'))).toEqual(at('2026-05-05T07:00:00Z'));
  });

  it('crosses midnight when the end is before the start, and belongs to the day it opens on', () => {
    // 2026-05-01 is a Friday.
    const nights = schedule({ dailyStartTime: '22:00:00', dailyEndTime: '06:00:00', weekdays: [5] });
    expect(isOpen(nights, at('2026-05-01T23:00:00Z'))).toBe(true);
    expect(isOpen(nights, at('2026-05-02T05:59:59Z'))).toBe(true);
    expect(isOpen(nights, at('2026-05-02T22:30:00Z'))).toBe(false);
    expect(isOpen(nights, at('2026-05-01T02:00:00Z'))).toBe(false);
    expect(nextChange(nights, at('2026-05-01T23:00:00Z'))).toEqual(at('2026-05-02T06:00:00Z'));
    expect(nextChange(nights, at('2026-05-02T06:00:00Z'))).toEqual(at('2026-05-08T22:00:00Z'));
  });

  it('runs from midnight or to midnight when one end is unset, and all day when both are', () => {
    expect(isOpen(schedule({ dailyEndTime: '12:00:00' }), at('2026-05-04T00:00:00Z'))).toBe(true);
    expect(isOpen(schedule({ dailyStartTime: '12:00:00' }), at('2026-05-04T23:59:59Z'))).toBe(true);
    expect(isOpen(always, at('2026-05-04T03:00:00Z'))).toBe(true);
  });

  it('refuses a stored timezone Intl does not know, naming the field', () => {
    expect(() => isOpen(schedule({ timezone: 'Mars/Olympus' }), at('2026-05-04T03:00:00Z'))).toThrow(ValidationError);
    expect(() => isOpen(schedule({ timezone: 'Mars/Olympus' }), at('2026-05-04T03:00:00Z'))).toThrow(/timezone/);
  });
});

describe('which dates run, as jade combines them', () => {
  // 2026-05-04 is a Monday; the range is the first half of May, Mondays and Wednesdays.
  const rules = schedule({ startDate: '2026-05-01', endDate: '2026-05-15', weekdays: [1, 3] });
  const noon = (date: string) => at(`${date}T12:00:00Z`);

  it('runs on the listed weekdays inside the range, both ends included', () => {
    expect(isOpen(rules, noon('2026-05-04'))).toBe(true);
    expect(isOpen(rules, noon('2026-05-05'))).toBe(false);
    expect(isOpen(schedule({ startDate: '2026-05-04', endDate: '2026-05-04' }), noon('2026-05-04'))).toBe(true);
    expect(isOpen(rules, noon('2026-05-18'))).toBe(false);
    expect(isOpen(rules, noon('2026-04-29'))).toBe(false);
  });

  it('runs on a listed date even outside the range and the weekdays', () => {
    const withDates = { ...rules, dates: ['2026-05-05', '2026-06-01'] };
    expect(isOpen(withDates, noon('2026-05-05'))).toBe(true);
    expect(isOpen(withDates, noon('2026-06-01'))).toBe(true);
  });

  it('never runs on an exception date, even a listed one', () => {
    const withExceptions = { ...rules, dates: ['2026-05-05'], exceptDates: ['2026-05-04', '2026-05-05'] };
    expect(isOpen(withExceptions, noon('2026-05-04'))).toBe(false);
    expect(isOpen(withExceptions, noon('2026-05-05'))).toBe(false);
    expect(isOpen(withExceptions, noon('2026-05-06'))).toBe(true);
  });

  it('keeps the daily window on listed dates too (jade does not: see the report)', () => {
    const listed = schedule({ dailyStartTime: '09:00:00', dailyEndTime: '17:00:00', endDate: '2026-01-01', dates: ['2026-05-05'] });
    expect(isOpen(listed, at('2026-05-05T03:00:00Z'))).toBe(false);
    expect(isOpen(listed, noon('2026-05-05'))).toBe(true);
  });

  it('sleeps until a start date far ahead, and never wakes once everything has ended', () => {
    const later = schedule({ startDate: '2029-02-01', dailyStartTime: '09:00:00', dailyEndTime: '17:00:00' });
    expect(nextChange(later, noon('2026-05-04'))).toEqual(at('2029-02-01T09:00:00Z'));
    expect(nextChange(rules, noon('2026-05-20'))).toBeNull();
    expect(nextChange({ ...rules, dates: ['2026-07-01'] }, noon('2026-05-20'))).toEqual(at('2026-07-01T00:00:00Z'));
  });

  it('finds the end of days that run back to back, and has none for a schedule always open', () => {
    const weekdays = schedule({ weekdays: [1, 2, 3, 4, 5] });
    expect(nextChange(weekdays, noon('2026-05-04'))).toEqual(at('2026-05-09T00:00:00Z'));
    expect(nextChange(schedule({ endDate: '2026-05-10' }), noon('2026-05-04'))).toEqual(at('2026-05-11T00:00:00Z'));
    expect(nextChange(always, noon('2026-05-04'))).toBeNull();
  });
});

describe('daylight saving changes', () => {
  // New York: 2026-03-08 02:00 EST jumps to 03:00 EDT; 2026-11-01 02:00 EDT falls back to 01:00 EST.
  const newYork = (fields: Partial<CampaignSchedule>) => schedule({ timezone: 'America/New_York', ...fields });

  it('opens at the jump when the start time is skipped', () => {
    const skipped = newYork({ dailyStartTime: '02:30:00', dailyEndTime: '05:00:00' });
    expect(isOpen(skipped, at('2026-03-08T06:59:59Z'))).toBe(false);
    expect(isOpen(skipped, at('2026-03-08T07:00:00Z'))).toBe(true);
    expect(nextChange(skipped, at('2026-03-08T05:00:00Z'))).toEqual(at('2026-03-08T07:00:00Z'));
    expect(nextChange(skipped, at('2026-03-08T07:00:00Z'))).toEqual(at('2026-03-08T09:00:00Z'));
  });

  it('has no window at all when both ends are skipped', () => {
    const vanished = newYork({ dailyStartTime: '02:10:00', dailyEndTime: '02:40:00' });
    expect(isOpen(vanished, at('2026-03-08T07:00:00Z'))).toBe(false);
    expect(nextChange(vanished, at('2026-03-08T05:00:00Z'))).toEqual(at('2026-03-09T06:10:00Z'));
  });

  it('closes at the first reading of a repeated end time and stays closed through the repeat', () => {
    const evenings = newYork({ dailyStartTime: '20:00:00', dailyEndTime: '01:30:00' });
    expect(nextChange(evenings, at('2026-11-01T04:00:00Z'))).toEqual(at('2026-11-01T05:30:00Z'));
    expect(isOpen(evenings, at('2026-11-01T05:29:59Z'))).toBe(true);
    expect(isOpen(evenings, at('2026-11-01T06:15:00Z'))).toBe(false);
    expect(nextChange(evenings, at('2026-11-01T05:30:00Z'))).toEqual(at('2026-11-02T01:00:00Z'));
  });

  it('opens at the first reading of a repeated start time', () => {
    const early = newYork({ dailyStartTime: '01:30:00', dailyEndTime: '03:00:00' });
    expect(nextChange(early, at('2026-11-01T04:00:00Z'))).toEqual(at('2026-11-01T05:30:00Z'));
    expect(isOpen(early, at('2026-11-01T06:15:00Z'))).toBe(true);
    expect(nextChange(early, at('2026-11-01T05:30:00Z'))).toEqual(at('2026-11-01T08:00:00Z'));
  });

  it('agrees with isOpen quarter-hour by quarter-hour across the changes, wherever it starts', () => {
    const cases = [
      newYork({ dailyStartTime: '01:15:00', dailyEndTime: '02:45:00' }),
      newYork({ dailyStartTime: '23:30:00', dailyEndTime: '02:30:00', weekdays: [0, 6] }),
      schedule({ timezone: 'Australia/Lord_Howe', dailyStartTime: '01:45:00', dailyEndTime: '02:15:00' }),
    ];
    const quarterHour = 900_000;
    for (const from of ['2026-03-07T12:00:00Z', '2026-10-31T12:00:00Z', '2026-04-04T00:00:00Z', '2026-10-03T00:00:00Z']) {
      for (const rules of cases) {
        const samples = Array.from({ length: 2 * 96 }, (_, index) => Date.parse(from) + index * quarterHour);
        const states = samples.map((sample) => isOpen(rules, new Date(sample)));
        samples.forEach((sample, index) => {
          const flip = states.findIndex((state, later) => later > index && state !== states[index]);
          if (flip === -1) return;
          expect(nextChange(rules, new Date(sample))?.getTime(), `${rules.timezone} from ${new Date(sample).toISOString()}`).toBe(samples[flip]);
        });
      }
    }
  });
});
