/**
 * Moves staged rows into Member and MemberNumber with set-based statements, skipping duplicates and rows
 * whose external key is taken, and says which rows were skipped and why.
 *
 * The statements run over slices of the staging table (ranges of its rows, read through its primary key),
 * so no single statement queues millions of foreign-key checks: that queue lives in the database's memory,
 * which for the embedded database is this process's and never shrinks. Whether the slices share one
 * transaction or commit one by one is the landing's choice (landing.ts). Every lookup a slice makes is
 * bounded by the slice: a statement never reads what earlier slices wrote as a whole.
 */
import type { SqlConnection } from '../../db/driver.js';
import { isUniqueViolation } from '../../db/errors.js';
import type { MemberIds } from './memberIds.js';
import { MemberImportError } from './errors.js';
import type { Landing } from './landing.js';
import type { StagingTables } from './staging.js';
import type { Dedupe, RowError } from './types.js';

/** Staged rows from `from` up to, not including, `to`; the last slice is open-ended. */
type Slice = { from: number; to: number | null };

function rowsOf(slice: Slice, alias: string): string {
  return `${alias}.row >= ${slice.from}${slice.to === null ? '' : ` AND ${alias}.row < ${slice.to}`}`;
}

/** Numbers of a slice that no earlier slice had, each with the first row that has it. */
function seeNumbers(t: StagingTables, slice: Slice): string {
  return `
INSERT INTO ${t.seen} (number, first_row)
SELECT n.number, min(s.row)
FROM ${t.staged} s CROSS JOIN LATERAL unnest(s.normalized) AS n(number)
WHERE ${rowsOf(slice, 's')}
GROUP BY n.number
ON CONFLICT (number) DO NOTHING`;
}

/**
 * Rows of a slice with a number in an earlier staged row (any earlier valid row counts, whatever became of
 * it) or, `inList`, already in the list, compared normalised. Each number is looked up by index, one probe
 * at a time (a LATERAL with LIMIT is never made a hash join over every number seen so far); a list with no
 * numbers before the intake is not probed.
 */
function numberDuplicates(t: StagingTables, slice: Slice, inList: boolean): string {
  const listed = inList
    ? `UNION ALL SELECT 1 FROM "MemberNumber" m WHERE m."dialListId" = $1::uuid AND m.normalized = n.number`
    : '';
  return `
INSERT INTO ${t.skipped} (row, reason)
SELECT DISTINCT s.row, 'duplicate'
FROM ${t.staged} s
CROSS JOIN LATERAL unnest(s.normalized) AS n(number)
CROSS JOIN LATERAL (SELECT 1 FROM ${t.seen} t WHERE t.number = n.number AND t.first_row < s.row ${listed} LIMIT 1) AS found
WHERE ${rowsOf(slice, 's')}`;
}

/** The slice's rows that were not skipped; the skipped rows are read for this slice only. */
function notSkipped(t: StagingTables, slice: Slice): string {
  return `NOT EXISTS (SELECT 1 FROM ${t.skipped} k WHERE k.row = s.row AND ${rowsOf(slice, 'k')})`;
}

function insertMembers(t: StagingTables, where: string, onConflict: boolean): string {
  return `
INSERT INTO "Member" (id, "dialListId", name, detail, "externalKey", email, variables, priority, "expiresAt",
                      timezone, agent, "createdAt", "updatedAt")
SELECT s.id, $1::uuid, s.name, s.detail, s.external_key, s.email, s.variables, s.priority, s.expires_at,
       s.timezone, s.agent, $2::timestamp(3), $2::timestamp(3)
FROM ${t.staged} s
${where}
${onConflict ? 'ON CONFLICT ("dialListId", "externalKey") DO NOTHING' : ''}`;
}

/** After ON CONFLICT skipped rows in a slice: the staged rows whose member did not get in. */
function keyTaken(t: StagingTables, slice: Slice): string {
  return `
INSERT INTO ${t.skipped} (row, reason)
SELECT s.row, $1
FROM ${t.staged} s
WHERE ${rowsOf(slice, 's')}
  AND s.external_key IS NOT NULL
  AND ${notSkipped(t, slice)}
  AND NOT EXISTS (SELECT 1 FROM "Member" m WHERE m.id = s.id)`;
}

function insertNumbers(t: StagingTables, where: string): string {
  return `
INSERT INTO "MemberNumber" ("memberId", slot, "dialListId", number, normalized, type, priority)
SELECT s.id, n.slot::int, $1::uuid, n.number, s.normalized[n.slot], s.types[n.slot], coalesce(s.number_priorities[n.slot], 0)
FROM ${t.staged} s CROSS JOIN LATERAL unnest(s.numbers) WITH ORDINALITY AS n(number, slot)
${where}`;
}

const countSkipped = (t: StagingTables) => `
SELECT count(*) FILTER (WHERE reason = 'duplicate')::int AS duplicates,
       count(*) FILTER (WHERE reason = 'key')::int AS conflicts
FROM ${t.skipped}`;

const keyConflicts = (t: StagingTables) => `
SELECT k.row, s.external_key AS key, m.id::text AS holder
FROM ${t.skipped} k
JOIN ${t.staged} s ON s.row = k.row
LEFT JOIN "Member" m ON m."dialListId" = $1::uuid AND m."externalKey" = s.external_key
WHERE k.reason = 'key'
ORDER BY k.row
LIMIT $2`;

/**
 * Inserts a slice's members as a plain INSERT, which costs about a quarter less than ON CONFLICT; when a
 * key is taken it rolls the slice back to its savepoint and says so. Each savepoint is a subtransaction, hence
 * the cap on slices in one transaction (landing.ts).
 */
async function insertPlain(connection: SqlConnection, t: StagingTables, where: string, params: unknown[]): Promise<boolean> {
  await connection.exec('SAVEPOINT member_intake_slice');
  try {
    await connection.query(insertMembers(t, where, false), params);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    await connection.exec('ROLLBACK TO SAVEPOINT member_intake_slice');
    return false;
  }
  await connection.exec('RELEASE SAVEPOINT member_intake_slice');
  return true;
}

export type Settled = { created: number; duplicates: number; conflicts: number; conflictErrors: RowError[] };

type SettleOptions = { dedupe: Dedupe; ids: MemberIds; now: Date; reportLimit: number; keyField: string };

/** What the slices of one intake carry from one to the next. */
type SliceState = { listHadNumbers: boolean; skipping: boolean };

/** One slice's members and numbers, with the rows it skips; `skipping` turns true once rows may be skipped. */
async function settleSlice(connection: SqlConnection, t: StagingTables, slice: Slice, dialListId: string, options: SettleOptions, state: SliceState) {
  const { dedupe } = options;
  if (dedupe === 'NUMBER') {
    await connection.query(seeNumbers(t, slice));
    if (state.listHadNumbers) await connection.query(numberDuplicates(t, slice, true), [dialListId]);
    else await connection.query(numberDuplicates(t, slice, false));
    state.skipping = true;
  }
  const params = [dialListId, options.now.toISOString()];
  const where = () => `WHERE ${rowsOf(slice, 's')}${state.skipping ? ` AND ${notSkipped(t, slice)}` : ''}`;
  if (!(await insertPlain(connection, t, where(), params))) {
    await connection.query(insertMembers(t, where(), true), params);
    await connection.query(keyTaken(t, slice), [dedupe === 'EXTERNAL_KEY' ? 'duplicate' : 'key']);
    state.skipping = true;
  }
  await connection.query(insertNumbers(t, where()), [dialListId]);
}

/** The failure of a slice after earlier slices committed: the rows up to `lastRow` are in the list. */
function interrupted(cause: unknown, lastRow: number): MemberImportError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new MemberImportError(
    'INTERRUPTED',
    `The import stopped while its members were landing (${reason}). They land in slices on the embedded database, ` +
      `and the members of rows 1 to ${lastRow} are in the list. Import the file again with dedupe NUMBER or ` +
      'EXTERNAL_KEY to add the rest without doubles.',
  );
}

/**
 * Moves the `staged` rows of the staging table (read through `session`) into the list, slice by slice as
 * `landing` says. Slices go in row order, so of two rows with one key the earlier gets in.
 */
export async function settleStaged(
  session: SqlConnection,
  t: StagingTables,
  landing: Landing,
  dialListId: string,
  staged: number,
  options: SettleOptions,
): Promise<Settled> {
  const [bounds] = await session.query<{ first: number; last: number }>(`SELECT min(row) AS first, max(row) AS last FROM ${t.staged}`);
  // Only NUMBER dedupe asks whether the list had numbers before the intake.
  const [list] =
    options.dedupe === 'NUMBER'
      ? await session.query<{ found: boolean }>('SELECT EXISTS (SELECT 1 FROM "MemberNumber" WHERE "dialListId" = $1::uuid) AS found', [dialListId])
      : [];
  const state: SliceState = { listHadNumbers: list?.found ?? true, skipping: false };
  const first = bounds?.first ?? 0;
  const span = (bounds?.last ?? 0) - first + 1;
  let last: { rows: number; ms: number } | undefined;
  for (let from = first; from === first || from < first + span; from += last.rows) {
    const rows = landing.nextRows(span, last);
    const slice: Slice = { from, to: from + rows >= first + span ? null : from + rows };
    const started = performance.now();
    try {
      await landing.run((connection) => settleSlice(connection, t, slice, dialListId, options, state));
    } catch (error) {
      if (!landing.commitsEachSlice || from === first) throw error;
      throw interrupted(error, from - 1);
    }
    last = { rows, ms: performance.now() - started };
  }
  if (!state.skipping) return { created: staged, duplicates: 0, conflicts: 0, conflictErrors: [] };

  const [counts] = await session.query<{ duplicates: number; conflicts: number }>(countSkipped(t));
  const duplicates = counts?.duplicates ?? 0;
  const conflicts = counts?.conflicts ?? 0;
  const conflictErrors: RowError[] = [];
  if (conflicts > 0 && options.reportLimit > 0) {
    const rows = await session.query<{ row: number; key: string; holder: string | null }>(keyConflicts(t), [
      dialListId,
      options.reportLimit,
    ]);
    for (const { row, key, holder } of rows) {
      const holderRow = holder === null ? null : options.ids.rowOf(holder);
      const where = holderRow === null ? '' : ` (by row ${holderRow} of this intake)`;
      conflictErrors.push({ row, field: options.keyField, message: `external key ${JSON.stringify(key)} is already used in this list${where}` });
    }
  }
  return { created: staged - duplicates - conflicts, duplicates, conflicts, conflictErrors };
}
