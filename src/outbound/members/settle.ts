/**
 * Moves staged rows into Member and MemberNumber with set-based statements, skipping duplicates and rows
 * whose external key is taken, and says which rows were skipped and why.
 *
 * The statements run over slices of the staging table (ranges of its pages, which hold the rows in row
 * order), so no single statement queues millions of foreign-key checks: that queue lives in the database's
 * memory, which for the embedded database is this process's and never shrinks.
 */
import type { SqlConnection } from '../../db/driver.js';
import type { MemberIds } from './member-ids.js';
import { SKIPPED_TABLE, STAGING_TABLE } from './staging.js';
import type { Dedupe, RowError } from './types.js';

const S = STAGING_TABLE;
const K = SKIPPED_TABLE;

/** About 100,000 staged rows a slice; at most 32 slices, so the savepoints stay few (see insertPlain). */
export const SLICE_PAGES = 2048;
const MAX_SLICES = 32;

/** Rows with a number in an earlier staged row (any earlier valid row counts, whatever became of it), compared normalised. */
const NUMBER_DUPLICATES_IN_INTAKE = `
INSERT INTO ${K} (row, reason)
SELECT DISTINCT d.row, 'duplicate'
FROM (
  SELECT s.row, min(s.row) OVER (PARTITION BY n.number) AS first_row
  FROM ${S} s CROSS JOIN LATERAL unnest(s.normalized) AS n(number)
) d
WHERE d.row > d.first_row`;

/** Rows with a number already in the list, compared normalised; the (dialListId, normalized) index answers each probe. */
const NUMBER_DUPLICATES_IN_LIST = `
INSERT INTO ${K} (row, reason)
SELECT DISTINCT s.row, 'duplicate'
FROM ${S} s CROSS JOIN LATERAL unnest(s.normalized) AS n(number)
WHERE EXISTS (SELECT 1 FROM "MemberNumber" m WHERE m."dialListId" = $1::uuid AND m.normalized = n.number)
  AND NOT EXISTS (SELECT 1 FROM ${K} k WHERE k.row = s.row)`;

const NOT_SKIPPED = `NOT EXISTS (SELECT 1 FROM ${K} k WHERE k.row = s.row)`;

function insertMembers(where: string, onConflict: boolean): string {
  return `
INSERT INTO "Member" (id, "dialListId", name, detail, "externalKey", email, variables, priority, "expiresAt",
                      timezone, agent, "createdAt", "updatedAt")
SELECT s.id, $1::uuid, s.name, s.detail, s.external_key, s.email, s.variables, s.priority, s.expires_at,
       s.timezone, s.agent, $2::timestamp(3), $2::timestamp(3)
FROM ${S} s
${where}
${onConflict ? 'ON CONFLICT ("dialListId", "externalKey") DO NOTHING' : ''}`;
}

/** After ON CONFLICT skipped rows in a slice: the staged rows whose member did not get in. */
function keyTaken(range: string): string {
  return `
INSERT INTO ${K} (row, reason)
SELECT s.row, $1
FROM ${S} s
WHERE ${range}
  AND s.external_key IS NOT NULL
  AND ${NOT_SKIPPED}
  AND NOT EXISTS (SELECT 1 FROM "Member" m WHERE m.id = s.id)`;
}

function insertNumbers(where: string): string {
  return `
INSERT INTO "MemberNumber" ("memberId", slot, "dialListId", number, normalized, type, priority)
SELECT s.id, n.slot::int, $1::uuid, n.number, s.normalized[n.slot], s.types[n.slot], coalesce(s.number_priorities[n.slot], 0)
FROM ${S} s CROSS JOIN LATERAL unnest(s.numbers) WITH ORDINALITY AS n(number, slot)
${where}`;
}

const COUNT_SKIPPED = `
SELECT count(*) FILTER (WHERE reason = 'duplicate')::int AS duplicates,
       count(*) FILTER (WHERE reason = 'key')::int AS conflicts
FROM ${K}`;

const KEY_CONFLICTS = `
SELECT k.row, s.external_key AS key, m.id::text AS holder
FROM ${K} k
JOIN ${S} s ON s.row = k.row
LEFT JOIN "Member" m ON m."dialListId" = $1::uuid AND m."externalKey" = s.external_key
WHERE k.reason = 'key'
ORDER BY k.row
LIMIT $2`;

/** Conditions that cut the staging table into slices of pages (TID range scans, PostgreSQL 14+). */
async function slices(connection: SqlConnection, slicePages: number): Promise<string[]> {
  const [size] = await connection.query<{ pages: number }>(
    `SELECT (pg_relation_size('${S}') / current_setting('block_size')::int)::int AS pages`,
  );
  const pages = size?.pages ?? 0;
  const step = Math.max(slicePages, Math.ceil(pages / MAX_SLICES));
  const ranges: string[] = [];
  for (let from = 0; from === 0 || from < pages; from += step) {
    const last = from + step >= pages;
    ranges.push(`s.ctid >= '(${from},0)'::tid${last ? '' : ` AND s.ctid < '(${from + step},0)'::tid`}`);
  }
  return ranges;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/**
 * Inserts a slice's members as a plain INSERT, which costs about a quarter less than ON CONFLICT; when a
 * key is taken it rolls the slice back to its savepoint and says so. Each savepoint is a subtransaction:
 * PostgreSQL tracks 64 per transaction cheaply, hence the cap on slices.
 */
async function insertPlain(connection: SqlConnection, where: string, params: unknown[]): Promise<boolean> {
  await connection.exec('SAVEPOINT member_intake_slice');
  try {
    await connection.query(insertMembers(where, false), params);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    await connection.exec('ROLLBACK TO SAVEPOINT member_intake_slice');
    return false;
  }
  await connection.exec('RELEASE SAVEPOINT member_intake_slice');
  return true;
}

export type Settled = { created: number; duplicates: number; conflicts: number; conflictErrors: RowError[] };

/** Moves the `staged` rows of the staging table into the list. */
export async function settleStaged(
  connection: SqlConnection,
  dialListId: string,
  staged: number,
  options: { dedupe: Dedupe; ids: MemberIds; now: Date; reportLimit: number; keyField: string; slicePages?: number },
): Promise<Settled> {
  const { dedupe } = options;
  let skipping = false;
  if (dedupe === 'NUMBER') {
    await connection.query(NUMBER_DUPLICATES_IN_INTAKE);
    const [list] = await connection.query<{ found: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM "MemberNumber" WHERE "dialListId" = $1::uuid) AS found',
      [dialListId],
    );
    if (list?.found) await connection.query(NUMBER_DUPLICATES_IN_LIST, [dialListId]);
    const [row] = await connection.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${K}) AS any`);
    skipping = row?.any ?? false;
  }
  const ranges = await slices(connection, options.slicePages ?? SLICE_PAGES);
  const params = [dialListId, options.now.toISOString()];
  // Slices go in row order, so of two rows with one key the earlier gets in.
  for (const range of ranges) {
    const where = `WHERE ${range}${skipping ? ` AND ${NOT_SKIPPED}` : ''}`;
    if (await insertPlain(connection, where, params)) continue;
    await connection.query(insertMembers(where, true), params);
    await connection.query(keyTaken(range), [dedupe === 'EXTERNAL_KEY' ? 'duplicate' : 'key']);
    skipping = true;
  }
  for (const range of ranges) {
    await connection.query(insertNumbers(`WHERE ${range}${skipping ? ` AND ${NOT_SKIPPED}` : ''}`), [dialListId]);
  }
  if (!skipping) return { created: staged, duplicates: 0, conflicts: 0, conflictErrors: [] };

  const [counts] = await connection.query<{ duplicates: number; conflicts: number }>(COUNT_SKIPPED);
  const duplicates = counts?.duplicates ?? 0;
  const conflicts = counts?.conflicts ?? 0;
  const conflictErrors: RowError[] = [];
  if (conflicts > 0 && options.reportLimit > 0) {
    const rows = await connection.query<{ row: number; key: string; holder: string | null }>(KEY_CONFLICTS, [
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
