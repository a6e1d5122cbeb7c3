import { knownZone, type CampaignSchedule } from './campaignSchedule.js';
import { dailyWindow } from './dailyWindow.js';
import { addDays, dateOfLocalMs, nextRunningDate, runsOn } from './runningDays.js';
import { localMsAt } from './wallClock.js';

// Windows that follow on without a gap (every day, all day) are walked through to find where the open
// stretch ends; past a year of them the campaign counts as open for good.
const MAX_JOINED_WINDOWS = 366;

/**
 * Whether the schedule lets the campaign dial at the instant: inside the daily window of a date the campaign
 * runs on (runningDays.ts), in its timezone; always, when it sets no hours, days or dates. MANUAL and
 * SCHEDULED alike: the hours are when calls may be made, and SCHEDULED also starts and stops it by them.
 */
export function isOpen(schedule: CampaignSchedule, instant: Date): boolean {
  const zone = knownZone('timezone', schedule.timezone);
  const at = instant.getTime();
  const today = dateOfLocalMs(localMsAt(at, zone));
  // A window crossing midnight belongs to the day before; a midnight fall-back can reach into the day after.
  return [addDays(today, -1), today, addDays(today, 1)].some((date) => {
    if (!runsOn(schedule, date)) return false;
    const window = dailyWindow(schedule, zone, date);
    return window.opensAt <= at && at < window.closesAt;
  });
}

/**
 * The next instant after `instant` at which isOpen changes (opens or closes), so the engine can sleep until
 * then; null when it never changes again (no hours, days or dates set, a schedule that has ended, or one
 * open for over a year).
 */
export function nextChange(schedule: CampaignSchedule, instant: Date): Date | null {
  const zone = knownZone('timezone', schedule.timezone);
  const at = instant.getTime();
  const open = isOpen(schedule, instant);
  let openUntil = at;
  let date = nextRunningDate(schedule, addDays(dateOfLocalMs(localMsAt(at, zone)), -2));
  for (let joined = 0; date !== null && joined < MAX_JOINED_WINDOWS; date = nextRunningDate(schedule, date)) {
    const window = dailyWindow(schedule, zone, date);
    if (window.closesAt <= at || window.opensAt === window.closesAt) continue;
    if (!open) return new Date(window.opensAt);
    if (window.opensAt > openUntil) return new Date(openUntil);
    openUntil = Math.max(openUntil, window.closesAt);
    joined++;
  }
  return open && date === null ? new Date(openUntil) : null;
}
