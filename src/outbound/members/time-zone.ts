/** Time zones as members and intakes name them. */

const zoneCache = new Map<string, string | null>();

/** The zone's name when Intl knows it as an IANA zone (with its proper case), else null. */
export function checkTimeZone(zone: string): string | null {
  const known = zoneCache.get(zone);
  if (known !== undefined) return known;
  let result: string | null = null;
  // Intl accepts offsets such as +01:00 on newer engines; they are not zones (no daylight saving rules).
  if (/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone)) {
    try {
      const resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
      // Intl maps links to its own canonical names (Asia/Kolkata -> Asia/Calcutta): keep the caller's name.
      result = resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
    } catch {
      result = null;
    }
  }
  if (zoneCache.size >= 1000) zoneCache.clear();
  zoneCache.set(zone, result);
  return result;
}
