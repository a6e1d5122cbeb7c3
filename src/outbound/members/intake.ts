/**
 * Adding members to a dial list: a list of members from the API, or a file in uContact's line format or as
 * a header CSV. Both go through the same validation and bulk load (see load.ts).
 */
import type { SqlDriver } from '../../db/driver.js';
import { CsvLayout, namesNumberColumn } from './csvLayout.js';
import { MemberImportError } from './errors.js';
import { loadMembers } from './load.js';
import { detectDelimiter, MAX_RECORD_CHARS, RecordReader, type TextRecord } from './recordReader.js';
import type { SourceRow } from './sourceRow.js';
import { peekFirstLine, prepend, textChunks, type TextSource } from './textSource.js';
import type { AddMembersOptions, ImportFormat, ImportMembersOptions, IntakeResult, MemberInput } from './types.js';
import { readUcontactLine, ucontactFieldNames } from './ucontact.js';
import { checkTimeZone } from '../../validate.js';
import { inputFieldNames, type FieldNames } from './validation.js';

export const DEFAULT_MAX_REPORTED_ERRORS = 1000;
const API_BATCH = 1000;

function reportCap(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_REPORTED_ERRORS;
  if (!Number.isInteger(value) || value < 0) {
    throw new MemberImportError('BAD_OPTION', `maxReportedErrors must be a whole number, 0 or more; got ${value}`, ['maxReportedErrors']);
  }
  return value;
}

function defaultZone(zone: string | null | undefined): string | null {
  if (zone === undefined || zone === null || zone.trim() === '') return null;
  const checked = checkTimeZone(zone.trim());
  if (checked === null) {
    throw new MemberImportError('BAD_OPTION', `${JSON.stringify(zone)} is not an IANA time zone such as Europe/Madrid`, ['timezone']);
  }
  return checked;
}

/** Adds members given as a list; `row` in errors is the member's 1-based position in it. */
export async function addMembers(
  driver: SqlDriver,
  dialListId: string,
  members: readonly MemberInput[],
  options: AddMembersOptions,
): Promise<IntakeResult> {
  const maxReportedErrors = reportCap(options.maxReportedErrors);
  async function* rows(): AsyncGenerator<SourceRow[]> {
    for (let start = 0; start < members.length; start += API_BATCH) {
      yield members.slice(start, start + API_BATCH).map((member, index) => ({ row: start + index + 1, member, errors: null }));
    }
  }
  return loadMembers(driver, dialListId, rows(), inputFieldNames, { dedupe: options.dedupe, timezone: null, maxReportedErrors });
}

/** Rows from records as they are read; `read` turns one record into a row, or null when it is blank. */
async function* rowsOf(
  reader: RecordReader,
  first: TextRecord[],
  chunks: AsyncIterable<string>,
  read: (fields: readonly string[], row: number) => SourceRow | null,
): AsyncGenerator<SourceRow[]> {
  const convert = (records: TextRecord[]) => {
    const rows: SourceRow[] = [];
    for (const { line, fields, error } of records) {
      if (error !== null) {
        rows.push({ row: line, member: null, errors: [{ field: null, message: error }] });
        continue;
      }
      const row = read(fields, line);
      if (row !== null) rows.push(row);
    }
    return rows;
  };
  if (first.length > 0) yield convert(first);
  for await (const chunk of chunks) {
    const records: TextRecord[] = [];
    reader.push(chunk, records);
    if (records.length > 0) yield convert(records);
  }
  const records: TextRecord[] = [];
  reader.end(records);
  if (records.length > 0) yield convert(records);
}

type Parsed = { rows: AsyncIterable<SourceRow[]>; names: FieldNames };

/** Reads the header (a problem with it is thrown here, before anything is written) and returns the rows. */
async function openCsv(chunks: AsyncIterator<string>, buffered: string, headerLine: string): Promise<Parsed> {
  const reader = new RecordReader(detectDelimiter(headerLine), true);
  const records: TextRecord[] = [];
  reader.push(buffered, records);
  const rest = prepend('', chunks);
  let header: TextRecord | undefined;
  while (header === undefined) {
    header = records.find((record) => record.error !== null || record.fields.some((field) => field.trim().length > 0));
    if (header !== undefined) break;
    records.length = 0;
    const next = await rest.next();
    if (next.done) {
      reader.end(records);
      header = records.find((record) => record.fields.some((field) => field.trim().length > 0));
      if (header === undefined) return { rows: rowsOf(reader, [], rest, () => null), names: inputFieldNames };
      break;
    }
    reader.push(next.value, records);
  }
  if (header.error !== null) throw new MemberImportError('BAD_HEADER', `The header line cannot be read: ${header.error}`);
  const layout = new CsvLayout(header.fields);
  const after = records.slice(records.indexOf(header) + 1);
  return { rows: rowsOf(reader, after, rest, (fields, row) => layout.read(fields, row)), names: layout.names };
}

/**
 * AUTO's reading of a file by its first line: a header CSV when it names a number column, or when it is
 * separated by commas (uContact lines always are by semicolons; a comma CSV with a header we do not know
 * then says which columns it takes); uContact lines otherwise.
 */
function autoFormat(firstLine: string): ImportFormat {
  const delimiter = detectDelimiter(firstLine);
  return delimiter === ',' || namesNumberColumn(firstLine.split(delimiter)) ? 'CSV' : 'UCONTACT';
}

/**
 * Imports members from a file: uContact lines (`campaign;number;vars;alternatives;priority;agentphone`) or a
 * header CSV (see autoFormat for AUTO). The source is streamed: a file of
 * any length is read in pieces. A problem with the file as a whole (an unknown column) throws
 * MemberImportError before anything is written; a problem with a row is reported with its line number.
 */
export async function importMembers(
  driver: SqlDriver,
  dialListId: string,
  source: TextSource,
  options: ImportMembersOptions,
): Promise<IntakeResult> {
  const maxReportedErrors = reportCap(options.maxReportedErrors);
  const timezone = defaultZone(options.timezone);
  const chunks = textChunks(source)[Symbol.asyncIterator]();
  try {
    const { line, buffered } = await peekFirstLine(chunks, MAX_RECORD_CHARS);
    const format: ImportFormat = options.format !== 'AUTO' ? options.format : line === null ? 'UCONTACT' : autoFormat(line);
    let parsed: Parsed;
    if (format === 'CSV' && line !== null) parsed = await openCsv(chunks, buffered, line);
    else {
      const reader = new RecordReader(';', false);
      parsed = { rows: rowsOf(reader, [], prepend(buffered, chunks), readUcontactLine), names: ucontactFieldNames };
    }
    return await loadMembers(driver, dialListId, parsed.rows, parsed.names, { dedupe: options.dedupe, timezone, maxReportedErrors });
  } finally {
    // Stops a source left unread (a bad header, a failed load), so a file stream closes now, not at GC.
    await chunks.return?.(undefined);
  }
}
