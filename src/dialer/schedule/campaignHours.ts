import type { CalendarSetup } from '../../outbound/calendars.js';
import { calendarClosedBecause, calendarNextChange, calendarOpen } from './calendar.js';
import type { CampaignSchedule } from './campaignSchedule.js';
import { isOpen, nextChange } from './schedule.js';

/** When a campaign may dial: its own schedule and, when it uses one, a shared calendar; both must be open. */
export type CampaignHours = CampaignSchedule & { calendar: CalendarSetup | null };

// Two rules that never open together are walked through this far before they count as never opening.
const HORIZON_MS = 400 * 86_400_000;

export function hoursOpen(hours: CampaignHours, instant: Date): boolean {
  return isOpen(hours, instant) && (hours.calendar === null || calendarOpen(hours.calendar, instant));
}

/**
 * The next instant after `instant` at which hoursOpen changes, so the engine knows when to look again; null
 * when it never changes again (or not within about a year).
 */
export function hoursNextChange(hours: CampaignHours, instant: Date): Date | null {
  const { calendar } = hours;
  if (calendar === null) return nextChange(hours, instant);
  if (hoursOpen(hours, instant)) {
    // Both are open: whichever changes first closes the campaign.
    const changes = [nextChange(hours, instant), calendarNextChange(calendar, instant)].flatMap((change) => (change === null ? [] : [change.getTime()]));
    return changes.length === 0 ? null : new Date(Math.min(...changes));
  }
  // Closed: each step goes to the later of the two next openings, until both are open at once.
  for (let cursor = instant; cursor.getTime() - instant.getTime() <= HORIZON_MS; ) {
    const scheduleOpens = isOpen(hours, cursor) ? cursor : nextChange(hours, cursor);
    const calendarOpens = calendarOpen(calendar, cursor) ? cursor : calendarNextChange(calendar, cursor);
    if (scheduleOpens === null || calendarOpens === null) return null;
    const later = Math.max(scheduleOpens.getTime(), calendarOpens.getTime());
    if (later === cursor.getTime()) return cursor;
    cursor = new Date(later);
  }
  return null;
}

/** Why the campaign may not dial at the instant, in words (its schedule, its calendar or both); null when it may. */
export function hoursClosedBecause(hours: CampaignHours, instant: Date): string | null {
  const reasons = [isOpen(hours, instant) ? null : 'outside its schedule', hours.calendar && calendarClosedBecause(hours.calendar, instant)];
  const closed = reasons.filter((reason) => reason !== null);
  return closed.length === 0 ? null : closed.join('; ');
}
