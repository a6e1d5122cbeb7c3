import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors.js';
import type { CampaignSchedule } from '../../../src/dialer/schedule/campaignSchedule.js';
import { memberCallable } from '../../../src/dialer/schedule/memberWindow.js';

// Madrid is UTC+2 and New York UTC-4 in May: 15:00 in Madrid is 09:00 in New York.
const madridOffice: CampaignSchedule = {
  scheduleMode: 'SCHEDULED',
  timezone: 'Europe/Madrid',
  dailyStartTime: '09:00:00',
  dailyEndTime: '18:00:00',
  startDate: null,
  endDate: null,
  weekdays: [1, 2, 3, 4, 5],
  dates: [],
  exceptDates: [],
};

const at = (iso: string) => new Date(iso);

describe('whether a member may be called now', () => {
  it('keeps a member without a timezone to the campaign window', () => {
    expect(memberCallable(madridOffice, null, at('2026-05-04T07:30:00Z'))).toBe(true);
    expect(memberCallable(madridOffice, null, at('2026-05-04T06:30:00Z'))).toBe(false);
  });

  it('calls a member with its own timezone only inside the daily window in its local time', () => {
    expect(memberCallable(madridOffice, 'America/New_York', at('2026-05-04T12:30:00Z'))).toBe(false);
    expect(memberCallable(madridOffice, 'America/New_York', at('2026-05-04T13:00:00Z'))).toBe(true);
  });

  it('never calls while the campaign itself is closed, whatever the member clock says', () => {
    // 19:00 in Madrid, 13:00 in New York.
    expect(memberCallable(madridOffice, 'America/New_York', at('2026-05-04T17:00:00Z'))).toBe(false);
    // A Saturday.
    expect(memberCallable(madridOffice, 'America/New_York', at('2026-05-09T14:00:00Z'))).toBe(false);
  });

  it("judges the member's window by the time alone: the dates and weekdays are the campaign's", () => {
    // Mondays 08:00 to 02:00 in Madrid. Tuesday 01:00 in Madrid is still Monday's window; in Tokyo it is
    // Tuesday 08:00, inside the window although Tuesday is no campaign weekday.
    const mondays = { ...madridOffice, dailyStartTime: '08:00:00', dailyEndTime: '02:00:00', weekdays: [1] };
    expect(memberCallable(mondays, 'Asia/Tokyo', at('2026-05-04T23:00:00Z'))).toBe(true);
    expect(memberCallable(mondays, 'Asia/Tokyo', at('2026-05-04T22:00:00Z'))).toBe(false);
  });

  it('keeps the window of a MANUAL campaign as of a SCHEDULED one', () => {
    const manual = { ...madridOffice, scheduleMode: 'MANUAL' as const };
    expect(memberCallable(manual, 'Asia/Tokyo', at('2026-05-09T20:00:00Z'))).toBe(memberCallable(madridOffice, 'Asia/Tokyo', at('2026-05-09T20:00:00Z')));
  });

  it('refuses a member timezone Intl does not know, naming it', () => {
    expect(() => memberCallable(madridOffice, 'Nowhere/Town', at('2026-05-04T13:00:00Z'))).toThrow(ValidationError);
    expect(() => memberCallable(madridOffice, 'Nowhere/Town', at('2026-05-04T13:00:00Z'))).toThrow(/memberTimezone/);
  });
});
