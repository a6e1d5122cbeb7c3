import { describe, expect, it } from 'vitest';
import { countryCode, normalizedNumber } from '../../../src/outbound/members/phoneNumbers.js';

describe('a number as numbers are compared', () => {
  it('is E.164 when written internationally, or nationally in a list with a country', () => {
    expect(normalizedNumber('+351912345678', null)).toBe('+351912345678');
    expect(normalizedNumber('912345678', 'PT')).toBe('+351912345678');
    expect(normalizedNumber('00351912345678', 'PT')).toBe('+351912345678');
    expect(normalizedNumber('2125550100', 'US')).toBe('+12125550100');
  });

  it('stays as written where it cannot be read as a phone number: no country, an extension, a short code, an invalid number', () => {
    expect(normalizedNumber('912345678', null)).toBe('912345678');
    expect(normalizedNumber('1001', 'PT')).toBe('1001');
    expect(normalizedNumber('*97', 'PT')).toBe('*97');
    expect(normalizedNumber('5551001000', 'US')).toBe('5551001000');
  });

  it('takes a country code in any case, and refuses one that is not a country', () => {
    expect(countryCode(' pt ')).toBe('PT');
    expect(countryCode('XX')).toBeNull();
    expect(countryCode('Portugal')).toBeNull();
  });
});
