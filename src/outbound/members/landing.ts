/**
 * How an intake's staged rows land in the list: slice by slice, each slice a range of its rows (settle.ts).
 * On PostgreSQL every slice runs in the intake's one transaction, so the rows all land or none do, while
 * other connections go on. The embedded database has one connection: a transaction held for a
 * million rows would hold up every other query for a minute, so there each slice commits on its own, sized
 * to hold the database for about SLICE_TARGET_MS, and other queries go between slices.
 */
import type { SqlConnection, SqlDriver } from '../../db/driver.js';

export interface Landing {
  /** True when each slice commits on its own: a failure midway leaves the slices before it in the list. */
  readonly commitsEachSlice: boolean;
  /** Runs one slice's statements as one unit. */
  run<T>(work: (connection: SqlConnection) => Promise<T>): Promise<T>;
  /**
   * Rows the next slice spans (row numbers, so the gaps of bad and blank rows count), told how many the
   * staging table spans and how long the last slice took (undefined before the first).
   */
  nextRows(span: number, last: { rows: number; ms: number } | undefined): number;
}

/** 100,000 rows a slice, at most 32 slices: each slice's savepoint is a subtransaction, and PostgreSQL tracks 64 per transaction cheaply. */
const SLICE_ROWS = 100_000;
const MAX_SLICES = 32;

/** Every slice in the caller's transaction on `connection`; `sliceRows` fixes the slice size (tests cross slices with few rows). */
export function inOneTransaction(connection: SqlConnection, sliceRows = SLICE_ROWS): Landing {
  return {
    commitsEachSlice: false,
    run: (work) => work(connection),
    nextRows: (span) => Math.max(sliceRows, Math.ceil(span / MAX_SLICES)),
  };
}

/** How long a slice of its own should hold the embedded database: a query that arrives meanwhile waits about this long. */
export const SLICE_TARGET_MS = 10;
/** The first slice's rows, and the most any slice takes. */
const FIRST_SLICE_ROWS = 400;
const MAX_SLICE_ROWS = 50_000;

/**
 * Each slice in a transaction of its own. Its size follows the time the last slice took (the machine's
 * speed, the rows' width, the queries waiting in front of it), halving or doubling at most per slice.
 */
export function inCommittedSlices(driver: SqlDriver, sliceRows?: number): Landing {
  return {
    commitsEachSlice: true,
    run: (work) => driver.withConnection(work, { transaction: true }),
    nextRows(_span, last) {
      if (sliceRows !== undefined) return sliceRows;
      if (last === undefined) return FIRST_SLICE_ROWS;
      const paced = Math.round((last.rows * SLICE_TARGET_MS) / Math.max(last.ms, 1));
      return Math.min(MAX_SLICE_ROWS, Math.max(1, Math.ceil(last.rows / 2), Math.min(paced, last.rows * 2)));
    },
  };
}
