import { describe, expect, it } from 'vitest';
import { detectDelimiter, RecordReader, type TextRecord } from '../../../src/outbound/members/recordReader.js';

/** Reads `text` fed in pieces of `size` characters, so records cross piece boundaries everywhere. */
function read(text: string, options: { delimiter?: string; quoting?: boolean; size?: number; max?: number } = {}): TextRecord[] {
  const reader = new RecordReader(options.delimiter ?? ',', options.quoting ?? true, options.max);
  const out: TextRecord[] = [];
  const size = options.size ?? text.length;
  for (let start = 0; start < text.length; start += size) reader.push(text.slice(start, start + size), out);
  reader.end(out);
  return out;
}

describe('CSV records', () => {
  it('split lines on the delimiter and number them by the line they start on', () => {
    expect(read('a,b\n1,2\n\n3,4')).toEqual([
      { line: 1, fields: ['a', 'b'], error: null },
      { line: 2, fields: ['1', '2'], error: null },
      { line: 3, fields: [''], error: null },
      { line: 4, fields: ['3', '4'], error: null },
    ]);
  });

  it('follow RFC 4180 quoting: delimiters, doubled quotes and line breaks inside quotes', () => {
    const text = 'name,note\n"Smith, Ana","said ""hi"""\n"multi\nline",x\nlast,"y"\n';
    for (const size of [1, 2, 3, 7, 1000]) {
      expect(read(text, { size }), `pieces of ${size}`).toEqual([
        { line: 1, fields: ['name', 'note'], error: null },
        { line: 2, fields: ['Smith, Ana', 'said "hi"'], error: null },
        { line: 3, fields: ['multi\nline', 'x'], error: null },
        { line: 5, fields: ['last', 'y'], error: null },
      ]);
    }
  });

  it('accept CRLF line ends, quoted or not, and a last line without one', () => {
    expect(read('a,b\r\n"1","2"\r\n3,4\r\n5,"6"', { size: 2 }).map((record) => record.fields)).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
      ['5', '6'],
    ]);
  });

  it('keep a quote inside an unquoted field as text', () => {
    expect(read('12" screen,x\n')[0]?.fields).toEqual(['12" screen', 'x']);
  });

  it('report text after a closing quote as an error of that record only', () => {
    const records = read('"Bob" Smith,1\nAna,2\n');
    expect(records[0]).toMatchObject({ line: 1, error: expect.stringContaining('text after its closing quote') });
    expect(records[1]).toEqual({ line: 2, fields: ['Ana', '2'], error: null });
  });

  it('report a quote that never closes on its own line and read on from the next', () => {
    const records = read('"Bob,1\nAna,2\nCid,3\n', { size: 4 });
    expect(records).toEqual([
      { line: 1, fields: [], error: expect.stringContaining('never closed') },
      { line: 2, fields: ['Ana', '2'], error: null },
      { line: 3, fields: ['Cid', '3'], error: null },
    ]);
  });

  it('bound a record: a line longer than the limit is reported and skipped, the next is read', () => {
    const records = read(`${'x'.repeat(50)}\nok,1\n`, { size: 8, max: 20 });
    expect(records).toEqual([
      { line: 1, fields: [], error: 'the line is longer than 20 characters' },
      { line: 2, fields: ['ok', '1'], error: null },
    ]);
  });

  it('use semicolons when the header has more of them than commas', () => {
    expect(detectDelimiter('name;number;note,with,commas;x;y')).toBe(';');
    expect(detectDelimiter('name,number')).toBe(',');
    expect(detectDelimiter('number')).toBe(',');
    expect(read('a;"b;c"\n', { delimiter: ';' })[0]?.fields).toEqual(['a', 'b;c']);
  });
});

describe('lines without quoting (uContact)', () => {
  it('treat quotes as ordinary characters and every line as one record', () => {
    expect(read('c;"1;x\nc;2\n', { delimiter: ';', quoting: false, size: 3 })).toEqual([
      { line: 1, fields: ['c', '"1', 'x'], error: null },
      { line: 2, fields: ['c', '2'], error: null },
    ]);
  });
});
