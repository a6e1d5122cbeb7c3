import { describe, expect, it } from 'vitest';
import { csvField, csvRecord } from '../../src/reports/csv.js';

describe('CSV fields (RFC 4180) guarded against formula injection', () => {
  it('leaves plain text and numbers as they are, and writes null as an empty field', () => {
    expect(csvRecord(['ANSWERED', 16, null, '1001'])).toBe('ANSWERED,16,,1001\r\n');
  });

  it('quotes fields with a comma, a quote or a line break, doubling the quotes', () => {
    expect(csvField('Smith, John')).toBe('"Smith, John"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r\nlf')).toBe('"cr\r\nlf"');
  });

  it('prefixes a quote to text a spreadsheet would run as a formula, then quotes it if needed', () => {
    expect(csvField('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvField('+34911222333')).toBe("'+34911222333");
    expect(csvField('-1+1')).toBe("'-1+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\t=1')).toBe("'\t=1");
    expect(csvField(';=1+1')).toBe("';=1+1");
    expect(csvField('|calc')).toBe("'|calc");
    expect(csvField('\r=1')).toBe('"\'\r=1"');
    expect(csvField('a=1')).toBe('a=1');
  });
});
