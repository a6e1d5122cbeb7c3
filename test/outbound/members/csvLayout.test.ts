import { describe, expect, it } from 'vitest';
import { CsvLayout, namesNumberColumn } from '../../../src/outbound/members/csvLayout.js';
import { MemberImportError } from '../../../src/outbound/members/errors.js';

function headerError(header: string[]): MemberImportError {
  try {
    new CsvLayout(header);
  } catch (error) {
    if (error instanceof MemberImportError) return error;
    throw error;
  }
  throw new Error(`expected ${header.join(',')} to be refused`);
}

describe('a CSV header', () => {
  it('maps every documented column and alias, in any case', () => {
    const layout = new CsvLayout([
      'Name', 'detail', 'UKEY', 'email', 'priority', 'expiresAt', 'timezone', 'agent', 'number', 'number2', 'type2',
      'numberType1', 'variables', 'var_customerId',
    ]);
    const row = layout.read(
      ['Ana', 'vip', 'k1', 'ana@example.com', '3', '2030-01-01', 'UTC', '1001', '600', '700', 'home', 'mobile', 'a=1:b=2', '77'],
      2,
    );
    expect(row).toEqual({
      row: 2,
      errors: null,
      member: {
        name: 'Ana',
        detail: 'vip',
        externalKey: 'k1',
        email: 'ana@example.com',
        priority: '3',
        expiresAt: '2030-01-01',
        timezone: 'UTC',
        agent: '1001',
        numbers: [
          { number: '600', type: 'mobile', column: 1 },
          { number: '700', type: 'home', column: 2 },
        ],
        variables: [['a', '1'], ['b', '2'], ['customerId', '77']],
      },
    });
  });

  it('accepts key and externalKey and number1 as aliases', () => {
    expect(() => new CsvLayout(['key', 'number1'])).not.toThrow();
    expect(() => new CsvLayout(['externalKey', 'number'])).not.toThrow();
  });

  it('refuses an unknown column for the whole import, naming it and the columns we know', () => {
    const error = headerError(['name', 'number', 'fax2', 'customer']);
    expect(error.code).toBe('UNKNOWN_COLUMN');
    expect(error.subjects).toEqual(['fax2', 'customer']);
    expect(error.message).toContain('fax2, customer');
    expect(error.message).toContain('var_<NAME>');
  });

  it('refuses a column without a name, a bad var_ name, and number9', () => {
    expect(headerError(['number', '']).message).toContain('column 2 has no name');
    expect(headerError(['number', 'var_1x'])).toMatchObject({ subjects: ['var_1x'], message: expect.stringContaining('"1x" is not a variable name') });
    expect(headerError(['number', 'number9']).code).toBe('UNKNOWN_COLUMN');
  });

  it('refuses the same column twice, also under two aliases', () => {
    expect(headerError(['number', 'number1']).code).toBe('DUPLICATE_COLUMN');
    expect(headerError(['key', 'ukey', 'number']).code).toBe('DUPLICATE_COLUMN');
  });

  it('needs a number column, and a number column for each type column', () => {
    expect(headerError(['name', 'email']).code).toBe('NO_NUMBER_COLUMN');
    expect(headerError(['number', 'type2']).message).toContain('no column holds number 2');
  });

  it('is recognised by AUTO only when it names a number column', () => {
    expect(namesNumberColumn(['name', ' Number1 '])).toBe(true);
    expect(namesNumberColumn(['"number"'])).toBe(true);
    expect(namesNumberColumn(['name', 'phone', 'Tel2'])).toBe(true);
    expect(namesNumberColumn(['prueba1', '098344484', 'var1=val1:var2=val2'])).toBe(false);
  });
});

describe('a CSV row', () => {
  const layout = new CsvLayout(['name', 'number', 'number2', 'type2', 'number3', 'var_a']);

  it('packs its numbers into the first slots but names errors by their column', () => {
    const row = layout.read(['Ana', '', '', '', '600', ''], 5);
    expect(row?.member?.numbers).toEqual([{ number: '600', column: 3 }]);
    expect(layout.names.number(0, 'number', 3)).toBe('number3');
    expect(layout.names.member('numbers')).toBe('number');
  });

  it('reports a type given for an empty number', () => {
    expect(layout.read(['Ana', '1', '', 'mobile', '', ''], 3)?.errors).toEqual([{ field: 'type2', message: 'gives a type, but number2 is empty' }]);
  });

  it('reports a row whose field count differs from the header', () => {
    expect(layout.read(['Ana', '1'], 4)).toEqual({
      row: 4,
      member: null,
      errors: [{ field: null, message: 'the row has 2 fields but the header has 6: check the delimiter and the quoting' }],
    });
  });

  it('is blank when every field is empty, whatever the field count', () => {
    expect(layout.read(['', ' ', '', '', '', ''], 2)).toBeNull();
    expect(layout.read([''], 2)).toBeNull();
  });

  it('names variable errors by their var_ column, and the variables column otherwise', () => {
    const withVariables = new CsvLayout(['number', 'variables', 'var_a']);
    expect(withVariables.names.variable('a')).toBe('var_a');
    expect(withVariables.names.variable('b')).toBe('variables');
  });
});
