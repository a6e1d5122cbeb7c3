import { knownZone, type CampaignSchedule } from './campaignSchedule.js';
import { isOpen } from './schedule.js';

/**
 * Whether a member may be called at the instant: the campaign's schedule is open and, when the member has
 * a timezone of its own, its local time is inside the campaign's daily window there (the dates and
 * weekdays stay the campaign's).
 */
export function memberCallable(schedule: CampaignSchedule, memberTimezone: string | null, instant: Date): boolean {
  if (!isOpen(schedule, instant)) return false;
  if (memberTimezone === null) return true;
  const everyDay = { startDate: null, endDate: null, weekdays: [], dates: [], exceptDates: [] };
  return isOpen({ ...schedule, ...everyDay, timezone: knownZone('memberTimezone', memberTimezone) }, instant);
}
