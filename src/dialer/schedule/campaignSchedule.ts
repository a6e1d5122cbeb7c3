import type { Campaign } from '../../generated/prisma/client.js';
import { ValidationError } from '../../errors.js';
import { checkTimeZone } from '../../validate.js';

/** The campaign fields its schedule is made of. */
export type CampaignSchedule = Pick<
  Campaign,
  'scheduleMode' | 'timezone' | 'dailyStartTime' | 'dailyEndTime' | 'startDate' | 'endDate' | 'weekdays' | 'dates' | 'exceptDates'
>;

const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

/** Seconds since midnight of an `HH:MM[:SS]` time; null stays null. */
export function secondsOfDay(field: string, value: string | null): number | null {
  if (value === null) return null;
  const match = TIME_OF_DAY.exec(value);
  if (!match) throw ValidationError.of(field, `${JSON.stringify(value)} is not a time of day as HH:MM:SS`);
  const [, hours, minutes, seconds] = match;
  return Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds ?? 0);
}

/** The zone's proper name; a zone Intl does not know is a stored value gone wrong, so it throws. */
export function knownZone(field: string, zone: string): string {
  const known = checkTimeZone(zone);
  if (known === null) throw ValidationError.of(field, `${JSON.stringify(zone)} is not a known IANA time zone`);
  return known;
}
