/**
 * The one path every intake takes: validate each row as it streams by, COPY the good ones into a staging
 * table, then settle them into the list. A bad row is counted and reported; only an unexpected failure (the
 * source breaking, the database going away) aborts. The whole source is read before any member lands, so a
 * broken source writes nothing; how the members land (all in one transaction, or slice by slice on the
 * embedded database) is landing.ts's to say.
 */
import type { SqlConnection, SqlDriver } from '../../db/driver.js';
import type { CountryCode } from 'libphonenumber-js';
import { refreshStatistics } from '../../db/statistics.js';
import { EventLoopTurns } from '../../eventLoopTurns.js';
import { countryCode } from './phoneNumbers.js';
import { MemberIds } from './memberIds.js';
import { inCommittedSlices, inOneTransaction, type Landing } from './landing.js';
import { settleStaged } from './settle.js';
import type { SourceRow } from './sourceRow.js';
import { createStaging, dropStaging, STAGING_COLUMNS, stagingLine, stagingTables, type StagingTables } from './staging.js';
import type { Dedupe, IntakeResult, RowError } from './types.js';
import { validateMember, type FieldError, type FieldNames } from './validation.js';

export type LoadOptions = {
  dedupe: Dedupe;
  /** Checked zone for members that name none. */
  timezone: string | null;
  /** The list's country, numbers not written internationally are read in (read from the list when absent). */
  country?: CountryCode | null;
  maxReportedErrors: number;
  /** Rows each slice moves (tests make it small to cross slices with few rows). */
  sliceRows?: number;
};

/** COPY text is sent in pieces of about this many characters. */
const COPY_PIECE_CHARS = 128 * 1024;

/** An intake that created this many members or more refreshes the planner's statistics of the member tables. */
export const ANALYZE_AFTER_MEMBERS = 1000;

/** Intakes into one list wait for each other, so their dedupe and key checks see each other's rows. */
const INTAKE_LOCK = 'SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))';

/**
 * The embedded database's intakes into one list, one at a time: its one session would take the list's advisory
 * lock again without waiting. Intakes into other lists go on beside them, slice between slice.
 */
const embeddedIntakes = new WeakMap<SqlDriver, Map<string, Promise<unknown>>>();

function oneAtATime<T>(driver: SqlDriver, dialListId: string, work: () => Promise<T>): Promise<T> {
  const queues = embeddedIntakes.get(driver) ?? new Map<string, Promise<unknown>>();
  embeddedIntakes.set(driver, queues);
  const turn = (queues.get(dialListId) ?? Promise.resolve()).then(work);
  const settled = turn.catch(() => undefined);
  queues.set(dialListId, settled);
  void settled.then(() => {
    if (queues.get(dialListId) === settled) queues.delete(dialListId);
  });
  return turn;
}

/** Counts every failed row and keeps the first `limit` errors. */
class ErrorLog {
  failed = 0;
  readonly errors: RowError[] = [];

  constructor(readonly limit: number) {}

  add(row: number, problems: readonly FieldError[]): void {
    this.failed++;
    for (const { field, message } of problems) {
      if (this.errors.length >= this.limit) return;
      this.errors.push({ row, field, message });
    }
  }
}

type Tally = { received: number; staged: number };

/** Rows validated between two looks at the clock (EventLoopTurns). */
const ROWS_BETWEEN_TURNS = 64;

/**
 * Validates rows and yields their staging lines in pieces; tallies and logs as it goes. A piece is joined
 * from an array into one flat string: appending line by line would build a rope of thousands of small
 * strings that outlives a few garbage collections and swells the heap. Validation (numbers read in E.164 above
 * all) is the import's main-thread work: it gives the event loop a turn every 10 ms of it.
 */
async function* stagingText(
  rows: AsyncIterable<SourceRow[]>,
  names: FieldNames,
  options: LoadOptions,
  ids: MemberIds,
  tally: Tally,
  log: ErrorLog,
): AsyncGenerator<string> {
  let lines: string[] = [];
  let size = 0;
  const turns = new EventLoopTurns();
  for await (const batch of rows) {
    for (const { row, member, errors } of batch) {
      tally.received++;
      if (tally.received % ROWS_BETWEEN_TURNS === 0) await turns.take();
      if (member === null) {
        log.add(row, errors ?? []);
        continue;
      }
      const valid = validateMember(member, names, options.timezone, options.country ?? null);
      if (Array.isArray(valid)) {
        log.add(row, errors === null ? valid : [...errors, ...valid]);
        continue;
      }
      if (errors !== null) {
        log.add(row, errors);
        continue;
      }
      const line = stagingLine(row, ids.forRow(row), valid);
      lines.push(line);
      size += line.length;
      tally.staged++;
      if (size >= COPY_PIECE_CHARS) {
        yield lines.join('');
        lines = [];
        size = 0;
      }
    }
  }
  if (lines.length > 0) yield lines.join('');
}

function mergeByRow(first: RowError[], second: RowError[], limit: number): RowError[] {
  if (second.length === 0) return first;
  return [...first, ...second].sort((a, b) => a.row - b.row).slice(0, limit);
}

/** Stages and settles the rows on `session`; the caller has made it the only intake into the list. */
async function intake(
  session: SqlConnection,
  tables: StagingTables,
  landing: Landing,
  dialListId: string,
  rows: AsyncIterable<SourceRow[]>,
  names: FieldNames,
  options: LoadOptions,
): Promise<IntakeResult> {
  const [list] = await session.query<{ country: string | null }>('SELECT country FROM "DialList" WHERE id = $1', [dialListId]);
  const country = countryCode(list?.country);
  const ids = new MemberIds();
  const tally: Tally = { received: 0, staged: 0 };
  const log = new ErrorLog(options.maxReportedErrors);
  await session.copyFrom(tables.staged, STAGING_COLUMNS, stagingText(rows, names, { ...options, country }, ids, tally, log));
  if (tally.staged === 0) {
    return { received: tally.received, created: 0, duplicates: 0, failed: log.failed, errors: log.errors };
  }
  const settled = await settleStaged(session, tables, landing, dialListId, tally.staged, {
    dedupe: options.dedupe,
    ids,
    now: new Date(),
    reportLimit: options.maxReportedErrors,
    keyField: names.member('externalKey'),
  });
  return {
    received: tally.received,
    created: settled.created,
    duplicates: settled.duplicates,
    failed: log.failed + settled.conflicts,
    errors: mergeByRow(log.errors, settled.conflictErrors, options.maxReportedErrors),
  };
}

/** Validates and loads `rows` into the dial list (which the caller has checked exists and is in use). */
export async function loadMembers(
  driver: SqlDriver,
  dialListId: string,
  rows: AsyncIterable<SourceRow[]>,
  names: FieldNames,
  options: LoadOptions,
): Promise<IntakeResult> {
  const tables = stagingTables();
  const result =
    driver.kind === 'embedded'
      ? await oneAtATime(driver, dialListId, () =>
          driver.withConnection(async (session) => {
            await session.exec(createStaging(tables, false));
            try {
              return await intake(session, tables, inCommittedSlices(driver, options.sliceRows), dialListId, rows, names, options);
            } finally {
              await session.exec(dropStaging(tables)).catch(() => undefined);
            }
          }),
        )
      : await driver.withConnection(
          async (session) => {
            await session.query(INTAKE_LOCK, ['switchboard.member-intake', dialListId]);
            await session.exec(createStaging(tables, true));
            return intake(session, tables, inOneTransaction(session, options.sliceRows), dialListId, rows, names, options);
          },
          { transaction: true },
        );
  // After the members are in, outside the list's lock. A failure here (the database gone meanwhile) must not
  // report the import as failed, which would have it sent again. The next import refreshes them.
  if (result.created >= ANALYZE_AFTER_MEMBERS) await refreshStatistics(driver, ['Member', 'MemberNumber']).catch(() => undefined);
  return result;
}
