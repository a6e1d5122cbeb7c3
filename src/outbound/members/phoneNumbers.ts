import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** A list's country, checked: an ISO 3166 code libphonenumber knows (PT, US, GB...), upper case; null for none. */
export function countryCode(value: string | null | undefined): CountryCode | null {
  if (!value) return null;
  const code = value.trim().toUpperCase();
  return isSupportedCountry(code) ? code : null;
}

/** A number written internationally: + and its digits, separators already removed. */
const INTERNATIONAL = /^\+\d+$/;

/**
 * The number in E.164 (+351912345678) when it is a valid phone number, written internationally (+351..., or
 * with the country's international prefix, 00351...) or in `country`'s national form (912 345 678); else the
 * dialable number itself. Extensions and short codes (1001, *97) stay as they are. This is the form numbers
 * are compared in: one number written two ways is one number.
 */
export function normalizedNumber(dialable: string, country: CountryCode | null): string {
  // +<digits> is E.164 already, and nationally written numbers in a list with no country have nothing to be read
  // by: neither needs the parser, which costs microseconds a number (seconds a million-member import).
  if (INTERNATIONAL.test(dialable) || (country === null && !dialable.startsWith('+'))) return dialable;
  const parsed = parsePhoneNumberFromString(dialable, country ?? undefined);
  return parsed?.isValid() ? parsed.number : dialable;
}
