import { minuteOfDay, type NumberRules } from './numberTypes.js';

/** Every weekday, as a window without weekdays opens. */
const EVERY_DAY = 0b111_1111;

/** A window's weekdays as bits (bit 0 Sunday), so SQL tests a day with a shift. */
function weekdayMask(weekdays: readonly number[]): number {
  return weekdays.length === 0 ? EVERY_DAY : weekdays.reduce((mask, day) => mask | (1 << day), 0);
}

/** SQL conditions on a member's number `n` under a plan's NumberRules, the SQL twin of numberTypes.ts. */
export type NumberRulesSql = {
  /** `n` may still be tried: its type's maxTries, or its slot's maxRetries when the plan does not define its type. */
  triesLeft(): string;
  /**
   * `n` of member `m` is inside one of its type's windows at `now` (an SQL expression, or a time passed as a
   * parameter only when a window needs it), in the member's zone, else
   * in `zone` (the campaign's, an IANA name); a number without a type, with a type the plan does not define or whose type has no
   * window is always open.
   */
  openAt(now: string | Date, zone: string): string;
};

/**
 * The conditions, with the rules passed as array parameters pushed onto `params` as they are used: a number's
 * type is looked up among them with array_position, so no table is probed per number, and a plan without
 * types gives the slot check alone.
 */
export function numberRulesSql(rules: NumberRules, params: unknown[]): NumberRulesSql {
  const param = (value: unknown, type: string) => {
    params.push(value);
    return `$${params.length}::${type}`;
  };
  const types = rules.numberTypes;
  let typeIndex: string | undefined;
  // The number's type's place in the plan's list, 1 first; null when the plan does not define it.
  // Matched whatever the case, as numberTypes.ts matches them.
  const indexOfType = () => (typeIndex ??= `array_position(${param(types.map((type) => type.code.toLowerCase()), 'text[]')}, lower(n.type))`);
  return {
    triesLeft: () => {
      const slotTries = `(${param(rules.maxRetries, 'int[]')})[n.slot]`;
      if (types.length === 0) return `n."tryCount" < ${slotTries}`;
      return `n."tryCount" < coalesce((${param(types.map((type) => type.maxTries), 'int[]')})[${indexOfType()}], ${slotTries})`;
    },
    openAt: (now, zone) => {
      const windows = types.flatMap((type, index) => type.windows.map((window) => ({ type: index + 1, ...window })));
      if (windows.length === 0) return 'true';
      const alwaysOpen = param(types.map((type) => type.windows.length === 0), 'boolean[]');
      const column = <T>(value: (window: (typeof windows)[number]) => T) => param(windows.map(value), 'int[]');
      const [type, days, start, end] = [column((w) => w.type), column((w) => weekdayMask(w.weekdays)), column((w) => minuteOfDay(w.start)), column((w) => minuteOfDay(w.end))];
      const on = (day: string) => `(w.days >> ${day}) & 1 = 1`;
      // A window ending before it starts crosses midnight: its end is on the day after one of its weekdays.
      return `(coalesce((${alwaysOpen})[${indexOfType()}], true) OR EXISTS (
          SELECT 1 FROM (SELECT extract(dow FROM l.at)::int AS day, (extract(hour FROM l.at) * 60 + extract(minute FROM l.at))::int AS minute
                           FROM (SELECT ${typeof now === 'string' ? now : param(now, 'timestamptz')}::timestamptz AT TIME ZONE coalesce(m.timezone, ${param(zone, 'text')}) AS at) l) here
            CROSS JOIN unnest(${type}, ${days}, ${start}, ${end}) AS w(type, days, start, finish)
           WHERE w.type = ${indexOfType()}
             AND CASE WHEN w.start < w.finish THEN ${on('here.day')} AND here.minute >= w.start AND here.minute < w.finish
                      ELSE (${on('here.day')} AND here.minute >= w.start) OR (${on('(here.day + 6) % 7')} AND here.minute < w.finish) END))`;
    },
  };
}
