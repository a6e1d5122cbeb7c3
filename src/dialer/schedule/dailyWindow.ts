import { secondsOfDay, type CampaignSchedule } from './campaignSchedule.js';
import { type LocalDate } from './runningDays.js';
import { firstInstantAtOrAfter } from './wallClock.js';

/** When one running date's window opens and closes, as instants (ms); closed at closesAt itself. */
export type Window = { opensAt: number; closesAt: number };

const DAY_SECONDS = 86_400;

/**
 * The daily window of a date in the zone: from its start time (midnight when unset) to its end time (the
 * next midnight when unset). An end at or before the start falls on the next day, so a window may cross
 * midnight (22:00-06:00) and belongs to the date it opens on. Times the clock skips open or close at the
 * daylight saving change; times it reads twice count at their first reading.
 */
export function dailyWindow(schedule: Pick<CampaignSchedule, 'dailyStartTime' | 'dailyEndTime'>, zone: string, date: LocalDate): Window {
  const start = secondsOfDay('dailyStartTime', schedule.dailyStartTime) ?? 0;
  const end = secondsOfDay('dailyEndTime', schedule.dailyEndTime) ?? DAY_SECONDS;
  const midnight = Date.parse(`${date}T00:00:00Z`);
  const endSeconds = end <= start ? end + DAY_SECONDS : end;
  return {
    opensAt: firstInstantAtOrAfter(midnight + start * 1000, zone),
    closesAt: firstInstantAtOrAfter(midnight + endSeconds * 1000, zone),
  };
}
