/**
 * Splits streamed text into records of fields: RFC 4180 (a field in double quotes may hold the delimiter,
 * line breaks and doubled quotes) or, without quoting, plain delimited lines as uContact writes them.
 * Text arrives in pieces; only the unfinished record is kept between them.
 */

/** `line` is the 1-based line the record starts on; `error` says why the record could not be read as fields. */
export type TextRecord = { line: number; fields: string[]; error: string | null };

/** Longest record read as one; longer ones are reported and skipped, so memory stays bounded. */
export const MAX_RECORD_CHARS = 256 * 1024;

const LF = 10;
const CR = 13;
const QUOTE = 34;

type Parsed = { fields: string[]; end: number; lines: number; error: string | null };

function countLineFeeds(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

/**
 * Reads one record that contains a quote, from `start`. Returns null when the text ends before the record
 * does (more may come), or `unterminated` when a quoted field never closes.
 */
function parseQuoted(text: string, start: number, delimiter: string, final: boolean): Parsed | 'unterminated' | null {
  const delimiterCode = delimiter.charCodeAt(0);
  const fields: string[] = [];
  let error: string | null = null;
  let lines = 0;
  let at = start;
  for (;;) {
    let value: string;
    if (at < text.length && text.charCodeAt(at) === QUOTE) {
      value = '';
      let from = at + 1;
      for (;;) {
        const quote = text.indexOf('"', from);
        if (quote === -1) return final ? 'unterminated' : null;
        if (quote + 1 >= text.length && !final) return null;
        if (text.charCodeAt(quote + 1) === QUOTE) {
          value += text.slice(from, quote + 1);
          from = quote + 2;
          continue;
        }
        value += text.slice(from, quote);
        at = quote + 1;
        break;
      }
      lines += countLineFeeds(value);
      const next = at < text.length ? text.charCodeAt(at) : -1;
      const endsLine = next === LF || (next === CR && (at + 1 >= text.length || text.charCodeAt(at + 1) === LF));
      if (next !== -1 && next !== delimiterCode && !endsLine) {
        error ??= `field ${fields.length + 1} has text after its closing quote: quote the whole value and double any quote inside it`;
        let stop = at;
        while (stop < text.length && text.charCodeAt(stop) !== delimiterCode && text.charCodeAt(stop) !== LF) stop++;
        value += text.slice(at, stop);
        at = stop;
      } else if (next === CR) at++;
    } else {
      let stop = at;
      while (stop < text.length) {
        const code = text.charCodeAt(stop);
        if (code === delimiterCode || code === LF) break;
        stop++;
      }
      value = text.slice(at, stop);
      const atLineEnd = stop < text.length ? text.charCodeAt(stop) === LF : final;
      if (atLineEnd && value.charCodeAt(value.length - 1) === CR) {
        value = value.slice(0, -1);
      }
      at = stop;
    }
    fields.push(value);
    if (at >= text.length) return final ? { fields, end: at, lines, error } : null;
    if (text.charCodeAt(at) === LF) return { fields, end: at + 1, lines: lines + 1, error };
    at++; // the delimiter
  }
}

export class RecordReader {
  #buffer = '';
  #line = 1;
  /** After a record too long to keep: drop text up to the next line feed. */
  #skipping = false;

  /** Without `quoting`, a quote is an ordinary character and every line is one record. */
  constructor(
    readonly delimiter: string,
    readonly quoting: boolean,
    readonly maxRecordChars = MAX_RECORD_CHARS,
  ) {}

  /** Adds a piece of text and appends the records it completes to `out`. */
  push(text: string, out: TextRecord[]): void {
    if (this.#skipping) {
      const newline = text.indexOf('\n');
      if (newline === -1) return;
      this.#skipping = false;
      this.#line++;
      text = text.slice(newline + 1);
    }
    this.#buffer = this.#buffer.length === 0 ? text : this.#buffer + text;
    this.#drain(out, false);
  }

  /** The source has ended: appends the last record, if any. */
  end(out: TextRecord[]): void {
    if (this.#skipping) return;
    this.#drain(out, true);
    this.#buffer = '';
  }

  #tooLong(out: TextRecord[], line: number): void {
    out.push({ line, fields: [], error: `the line is longer than ${this.maxRecordChars} characters` });
  }

  #drain(out: TextRecord[], final: boolean): void {
    const buffer = this.#buffer;
    const delimiter = this.delimiter;
    let at = 0;
    let line = this.#line;
    // Where the next quote is, so lines without one are split without looking at each character.
    let quote = this.quoting ? buffer.indexOf('"') : -1;
    if (quote === -1) quote = Infinity;
    while (at < buffer.length) {
      const newline = buffer.indexOf('\n', at);
      if (newline === -1 && !final) {
        if (buffer.length - at > this.maxRecordChars) {
          this.#tooLong(out, line);
          this.#skipping = true;
          at = buffer.length;
        }
        break;
      }
      const lineEnd = newline === -1 ? buffer.length : newline;
      if (quote < at) {
        quote = buffer.indexOf('"', at);
        if (quote === -1) quote = Infinity;
      }
      if (quote >= lineEnd) {
        let end = lineEnd;
        if (end > at && buffer.charCodeAt(end - 1) === CR) end--;
        if (end - at > this.maxRecordChars) this.#tooLong(out, line);
        else out.push({ line, fields: buffer.slice(at, end).split(delimiter), error: null });
        at = lineEnd + 1;
        line++;
        continue;
      }
      const parsed = parseQuoted(buffer, at, delimiter, final);
      if (parsed === null && buffer.length - at <= this.maxRecordChars) break;
      if (parsed === null || parsed === 'unterminated' || parsed.end - at > this.maxRecordChars) {
        // Most often a stray quote: report its line alone and read on from the next one.
        out.push({ line, fields: [], error: 'a quoted field is never closed: every opening quote needs its closing quote' });
        at = lineEnd + 1;
        line++;
        continue;
      }
      out.push({ line, fields: parsed.fields, error: parsed.error });
      at = parsed.end;
      line += parsed.lines;
    }
    this.#buffer = at >= buffer.length ? '' : buffer.slice(at);
    this.#line = line;
  }
}

/** The delimiter a CSV header line uses: semicolon when it has more of them than commas. */
export function detectDelimiter(headerLine: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  for (let at = 0; at < headerLine.length; at++) {
    const code = headerLine.charCodeAt(at);
    if (code === 44) commas++;
    else if (code === 59) semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}
