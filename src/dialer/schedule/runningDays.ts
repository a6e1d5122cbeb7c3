import type { CampaignSchedule } from './campaignSchedule.js';

/** A calendar date as `YYYY-MM-DD`; such strings sort in date order. */
export type LocalDate = string;

type DateRules = Pick<CampaignSchedule, 'startDate' | 'endDate' | 'weekdays' | 'dates' | 'exceptDates'>;

const DAY_MS = 86_400_000;

export function addDays(date: LocalDate, days: number): LocalDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The date of a wall-clock reading in local milliseconds. */
export function dateOfLocalMs(localMs: number): LocalDate {
  return new Date(localMs).toISOString().slice(0, 10);
}

/** 0 = Sunday .. 6 = Saturday, as a campaign's weekdays count them. */
export function weekdayOf(date: LocalDate): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

function inRangeOnWeekday(rules: DateRules, date: LocalDate): boolean {
  if (rules.startDate !== null && date < rules.startDate) return false;
  if (rules.endDate !== null && date > rules.endDate) return false;
  return rules.weekdays.length === 0 || rules.weekdays.includes(weekdayOf(date));
}

/**
 * Whether the campaign runs on a date, as jade decides (ob_campaign_handler.c,
 * is_startable_campaign_schedule_check): an exception date never runs; a listed date always runs, outside
 * the date range and the weekdays too; any other date runs when it is in the range and on a listed weekday.
 */
export function runsOn(rules: DateRules, date: LocalDate): boolean {
  if (rules.exceptDates.includes(date)) return false;
  return rules.dates.includes(date) || inRangeOnWeekday(rules, date);
}

/** The first date after `after` the campaign runs on; null when it never runs again. */
export function nextRunningDate(rules: DateRules, after: LocalDate): LocalDate | null {
  const listed = rules.dates.filter((date) => date > after && !rules.exceptDates.includes(date)).sort()[0] ?? null;
  let candidate = addDays(rules.startDate !== null && rules.startDate > after ? addDays(rules.startDate, -1) : after, 1);
  // A week holds every weekday; each exception date can push the answer by one more day.
  for (let step = 0; step < 7 + rules.exceptDates.length; step++, candidate = addDays(candidate, 1)) {
    if (rules.endDate !== null && candidate > rules.endDate) break;
    if (listed !== null && candidate >= listed) break;
    if (runsOn(rules, candidate)) return candidate;
  }
  return listed;
}
