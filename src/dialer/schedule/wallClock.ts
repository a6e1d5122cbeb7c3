/**
 * Converting between instants and an IANA zone's wall clock with Intl alone. A wall-clock time is kept
 * as "local milliseconds": the clock's reading as if it were UTC, so calendar arithmetic on it is plain
 * Date.UTC arithmetic and never meets a daylight saving change.
 */

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (!format) {
    // h23: some engines write midnight as 24 under hour12: false.
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, format);
  }
  return format;
}

/** What the zone's clock reads at the instant, in local milliseconds. */
export function localMsAt(instantMs: number, zone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(instantMs)) parts[part.type] = Number(part.value);
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  const milliseconds = ((instantMs % 1000) + 1000) % 1000;
  return Date.UTC(year, month - 1, day, hour, minute, second) + milliseconds;
}

function offsetAt(instantMs: number, zone: string): number {
  return localMsAt(instantMs, zone) - instantMs;
}

/**
 * The first instant at which the zone's clock reads `localMs` or later. In a fall-back overlap the time
 * is read twice: the first reading counts. In a spring-forward gap it is never read: the clock jumps over
 * it at the transition, which is then the answer.
 */
export function firstInstantAtOrAfter(localMs: number, zone: string): number {
  const offsetBefore = offsetAt(localMs - DAY_MS, zone);
  const offsetAfter = offsetAt(localMs + DAY_MS, zone);
  const readings = [localMs - offsetBefore, localMs - offsetAfter].filter((instant) => localMsAt(instant, zone) === localMs);
  if (readings.length > 0) return Math.min(...readings);
  return transitionBetween(localMs - offsetAfter, localMs - offsetBefore, zone);
}

/** The first instant after `from` whose offset differs from `from`'s, knowing one lies in (from, to]. */
function transitionBetween(from: number, to: number, zone: string): number {
  const offsetFrom = offsetAt(from, zone);
  let low = from;
  let high = to;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetAt(middle, zone) === offsetFrom) low = middle;
    else high = middle;
  }
  return high;
}
