import { describe, expect, it } from 'vitest';
import { readUcontactLine } from '../../../src/outbound/members/ucontact.js';

const fields = (line: string) => line.split(';');

describe('a uContact line', () => {
  it('reads the documented example: number and alternatives as slots, variables, priority and agent phone', () => {
    expect(readUcontactLine(fields('prueba1;098344484;var1=val1:var2=val2;099124484:099111111;9999;1001'), 1)).toEqual({
      row: 1,
      errors: null,
      member: {
        numbers: [{ number: '098344484' }, { number: '099124484' }, { number: '099111111' }],
        variables: [['var1', 'val1'], ['var2', 'val2']],
        priority: '9999',
        agent: '1001',
      },
    });
  });

  it('takes priority and agent phone as optional, and ignores the campaign', () => {
    expect(readUcontactLine(fields('any campaign;555;;'), 7)?.member).toEqual({ numbers: [{ number: '555' }], variables: null, priority: null, agent: null });
    expect(readUcontactLine(fields('c;555'), 7)?.member?.numbers).toEqual([{ number: '555' }]);
  });

  it('keeps an empty number so validation reports it', () => {
    expect(readUcontactLine(fields('c;;a=1'), 2)?.member?.numbers).toEqual([{ number: '' }]);
  });

  it('reports a variable that is not name=value', () => {
    expect(readUcontactLine(fields('c;555;a=1:oops'), 3)?.errors).toEqual([
      { field: 'variables', message: expect.stringContaining('"oops" is not name=value') },
    ]);
  });

  it('reports too few and too many fields', () => {
    expect(readUcontactLine(fields('555'), 4)?.errors?.[0]?.message).toContain('expected at least campaign;number');
    expect(readUcontactLine(fields('c;1;;;1;1001;extra'), 4)?.errors?.[0]?.message).toContain('at most 6');
  });

  it('is blank when every field is empty', () => {
    expect(readUcontactLine(fields(''), 1)).toBeNull();
    expect(readUcontactLine(fields(' ;;;'), 1)).toBeNull();
  });
});
