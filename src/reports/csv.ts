/**
 * A cell a spreadsheet would run as a formula: =, +, -, @, tab and CR as OWASP lists them, and ; and | that
 * some locales' spreadsheets and DDE take for a formula's start too.
 */
const FORMULA_START = /^[=+\-@\t\r;|]/;
/** A cell that must be quoted (RFC 4180): it holds a quote, a comma or a line break. */
const NEEDS_QUOTES = /[",\r\n]/;

export type CsvValue = string | number | null;

/**
 * One CSV field: text that a spreadsheet would take for a formula is prefixed with `'` so it stays text
 * (a number like +34911222333 included), then quoted when RFC 4180 asks for it. Null is an empty field.
 */
export function csvField(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One record, CRLF-terminated as RFC 4180 says. */
export function csvRecord(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
