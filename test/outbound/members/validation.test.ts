import { describe, expect, it } from 'vitest';
import { LINE_BREAK_MESSAGE } from '../../../src/validate.js';
import {
  inputFieldNames,
  normaliseNumber,
  validateMember,
  type FieldError,
  type RawMember,
  type ValidMember,
} from '../../../src/outbound/members/validation.js';
import { parseInstant } from '../../../src/outbound/members/instant.js';

function valid(member: RawMember, timezone: string | null = null): ValidMember {
  const result = validateMember(member, inputFieldNames, timezone, null);
  if (Array.isArray(result)) throw new Error(`expected a valid member, got ${JSON.stringify(result)}`);
  return result;
}

function errors(member: RawMember): FieldError[] {
  const result = validateMember(member, inputFieldNames, null, null);
  if (!Array.isArray(result)) throw new Error('expected errors, got a valid member');
  return result;
}

describe('numbers', () => {
  it('are normalised by removing spaces, dashes, dots and parentheses', () => {
    expect(normaliseNumber('+34 (600) 111-22.33')).toBe('+346001112233');
    expect(valid({ numbers: [{ number: ' (91) 555 12 12 ' }, { number: '*72#' }] }).numbers).toEqual(['915551212', '*72#']);
  });

  it('must be an optional + and 1 to 32 digits, * or #', () => {
    expect(normaliseNumber('12a4')).toBeNull();
    expect(normaliseNumber('1+2')).toBeNull();
    expect(normaliseNumber('1'.repeat(33))).toBeNull();
    expect(normaliseNumber('1'.repeat(32))).toBe('1'.repeat(32));
    expect(errors({ numbers: [{ number: '600-abc' }] })).toEqual([
      { field: 'numbers[0].number', message: expect.stringContaining('"600-abc" is not a phone number') },
    ]);
  });

  it('are required: a member without numbers, or with an empty one, is refused', () => {
    expect(errors({ numbers: [] })).toEqual([{ field: 'numbers', message: 'a member needs at least one number' }]);
    expect(errors({ numbers: [{ number: '1' }, { number: '  ' }] })).toEqual([{ field: 'numbers[1].number', message: 'is empty' }]);
  });

  it('are at most 8', () => {
    const numbers = Array.from({ length: 9 }, (_, index) => ({ number: `${index + 100}` }));
    expect(errors({ numbers })).toEqual([{ field: 'numbers', message: 'has 9 numbers; a member has at most 8' }]);
    expect(valid({ numbers: numbers.slice(0, 8) }).numbers).toHaveLength(8);
  });

  it('keep their types and priorities by slot, and leave both null when none is given', () => {
    const member = valid({ numbers: [{ number: '1' }, { number: '2', type: 'mobile', priority: 5 }] });
    expect(member.types).toEqual([null, 'mobile']);
    expect(member.numberPriorities).toEqual([null, 5]);
    expect(valid({ numbers: [{ number: '1' }] })).toMatchObject({ types: null, numberPriorities: null });
  });
});

describe('line breaks', () => {
  it('are refused in every text field, with a message that says why (AMI injection)', () => {
    const cases: [RawMember, string][] = [
      [{ name: 'Ana\r\nAction: Originate', numbers: [{ number: '1' }] }, 'name'],
      [{ detail: 'a\nb', numbers: [{ number: '1' }] }, 'detail'],
      [{ externalKey: 'k\r', numbers: [{ number: '1' }] }, 'externalKey'],
      [{ agent: '1001\n', numbers: [{ number: '1' }] }, 'agent'],
      [{ variables: { note: 'x\nActionID: 1' }, numbers: [{ number: '1' }] }, 'variables.note'],
      [{ numbers: [{ number: '600\n1' }] }, 'numbers[0].number'],
      [{ numbers: [{ number: '600', type: 'mobile\r\n' }] }, 'numbers[0].type'],
    ];
    for (const [member, field] of cases) {
      expect(errors(member), field).toEqual([{ field, message: LINE_BREAK_MESSAGE }]);
    }
    expect(LINE_BREAK_MESSAGE).toMatch(/AMI/);
  });

  it('are caught even at the ends of a value, where trimming would hide them', () => {
    expect(errors({ name: 'Ana\n', numbers: [{ number: '1' }] })).toEqual([{ field: 'name', message: LINE_BREAK_MESSAGE }]);
  });

  it('are not the only characters refused: NUL and lone surrogates cannot be stored', () => {
    expect(errors({ name: 'a\0b', numbers: [{ number: '1' }] })[0]?.message).toMatch(/NUL/);
    expect(errors({ variables: { v: '\ud800' }, numbers: [{ number: '1' }] })[0]?.message).toMatch(/surrogate/);
  });
});

describe('variables', () => {
  it('become a JSON object of text values', () => {
    const member = valid({ variables: { customerId: '7', note: 'say "hi" \\ bye' }, numbers: [{ number: '1' }] });
    expect(JSON.parse(member.variablesJson)).toEqual({ customerId: '7', note: 'say "hi" \\ bye' });
    expect(valid({ numbers: [{ number: '1' }] }).variablesJson).toBe('{}');
  });

  it('need names of letters, digits and _ that do not start with a digit', () => {
    expect(errors({ variables: { '1st': 'x' }, numbers: [{ number: '1' }] })).toEqual([
      { field: 'variables.1st', message: expect.stringContaining('"1st" is not a variable name') },
    ]);
    expect(errors({ variables: { 'a-b': 'x' }, numbers: [{ number: '1' }] })).toHaveLength(1);
    expect(errors({ variables: { sb_member_id: 'forged' }, numbers: [{ number: '1' }] })).toEqual([
      { field: 'variables.sb_member_id', message: expect.stringContaining('the dialer keeps') },
    ]);
    expect(errors({ variables: { ['a'.repeat(65)]: 'x' }, numbers: [{ number: '1' }] })).toHaveLength(1);
    expect(valid({ variables: { _a9: 'x', ['a'.repeat(64)]: 'y' }, numbers: [{ number: '1' }] }).variablesJson).toContain('_a9');
  });

  it('may not repeat a name when given as pairs', () => {
    expect(errors({ variables: [['a', '1'], ['a', '2']], numbers: [{ number: '1' }] })).toEqual([
      { field: 'variables.a', message: 'variable a is given twice' },
    ]);
  });

  it('must have text values', () => {
    const variables = { count: 3 } as unknown as Record<string, string>;
    expect(errors({ variables, numbers: [{ number: '1' }] })).toEqual([{ field: 'variables.count', message: 'must be text' }]);
  });
});

describe('other fields', () => {
  it('take a whole-number priority, from a number or from text', () => {
    expect(valid({ priority: '-5', numbers: [{ number: '1' }] }).priority).toBe(-5);
    expect(valid({ priority: 7, numbers: [{ number: '1' }] }).priority).toBe(7);
    expect(valid({ numbers: [{ number: '1' }] }).priority).toBe(0);
    for (const priority of ['1.5', 'high', 1.5, 2 ** 31]) {
      expect(errors({ priority, numbers: [{ number: '1' }] })[0]).toMatchObject({ field: 'priority', message: expect.stringContaining('whole number') });
    }
  });

  it('check the time zone against IANA, keep its proper case and fall back to the default', () => {
    expect(valid({ timezone: 'europe/madrid', numbers: [{ number: '1' }] }).timezone).toBe('Europe/Madrid');
    expect(valid({ timezone: 'Asia/Kolkata', numbers: [{ number: '1' }] }).timezone).toBe('Asia/Kolkata');
    expect(valid({ numbers: [{ number: '1' }] }, 'America/New_York').timezone).toBe('America/New_York');
    expect(valid({ timezone: 'UTC', numbers: [{ number: '1' }] }, 'America/New_York').timezone).toBe('UTC');
    for (const timezone of ['Mars/Olympus', '+01:00', 'Europe/Madrid; DROP']) {
      expect(errors({ timezone, numbers: [{ number: '1' }] })).toEqual([
        { field: 'timezone', message: expect.stringContaining('is not an IANA time zone') },
      ]);
    }
  });

  it('check that an email looks like one', () => {
    expect(valid({ email: 'ana@example.com', numbers: [{ number: '1' }] }).email).toBe('ana@example.com');
    expect(errors({ email: 'ana.example.com', numbers: [{ number: '1' }] })[0]).toMatchObject({ field: 'email' });
    expect(errors({ email: 'ana@example', numbers: [{ number: '1' }] })[0]).toMatchObject({ field: 'email' });
  });

  it('take expiresAt as a Date or ISO 8601 text, and refuse what is not a real instant', () => {
    expect(valid({ expiresAt: new Date('2030-01-02T03:04:05Z'), numbers: [{ number: '1' }] }).expiresAt).toBe('2030-01-02T03:04:05.000Z');
    expect(parseInstant('2030-12-31')).toEqual({ iso: '2030-12-31T00:00:00.000Z' });
    expect(parseInstant('2030-12-31T18:00:00+02:00')).toEqual({ iso: '2030-12-31T16:00:00.000Z' });
    expect(parseInstant('2030-12-31 18:00:00.5Z')).toEqual({ iso: '2030-12-31T18:00:00.500Z' });
    expect(parseInstant('2030-02-30')).toMatchObject({ error: expect.stringContaining('not a real calendar date') });
    expect(parseInstant('2030-12-31T18:00:00')).toMatchObject({ error: expect.stringContaining('no zone') });
    expect(parseInstant('31/12/2030')).toMatchObject({ error: expect.stringContaining('is not a date') });
    expect(errors({ expiresAt: new Date('nonsense'), numbers: [{ number: '1' }] })[0]).toMatchObject({ field: 'expiresAt' });
  });

  it('bound the length of text fields', () => {
    expect(errors({ name: 'x'.repeat(201), numbers: [{ number: '1' }] })).toEqual([
      { field: 'name', message: 'is 201 characters long; at most 200 are allowed' },
    ]);
    expect(errors({ externalKey: 'k'.repeat(201), numbers: [{ number: '1' }] })[0]).toMatchObject({ field: 'externalKey' });
  });

  it('treat blank text as absent and trim the rest', () => {
    expect(valid({ name: '  ', externalKey: ' k1 ', numbers: [{ number: '1' }] })).toMatchObject({ name: null, externalKey: 'k1' });
  });

  it('report every problem of a member at once', () => {
    const found = errors({ name: 'a\nb', priority: 'x', timezone: 'Nowhere/City', numbers: [{ number: 'abc' }] });
    expect(found.map((error) => error.field).sort()).toEqual(['name', 'numbers[0].number', 'priority', 'timezone']);
  });
});
