/**
 * A list's member count, kept by the database: triggers on Member add a row to DialListMemberCount for every
 * statement that adds, removes or moves members (see its migration), and a list's count is the sum of its rows.
 * Reading it costs a few rows however large the list, where counting the members themselves grew with the list
 * (and held the embedded database's one connection meanwhile). The rows are folded, now and then, into one per list.
 */
import type { SqlDriver } from '../db/driver.js';
import type { Logger } from '../logger.js';
import { runEvery, type PeriodicJob } from '../periodicJob.js';

/** How often the counts are folded. */
export const FOLD_INTERVAL_MS = 60_000;

/**
 * Folds each list's rows into one (none where they sum to nothing); returns the rows it folded. One statement:
 * rows added meanwhile are not in its snapshot and stay, and two processes folding at once fold each row once.
 */
export async function foldMemberCounts(driver: SqlDriver): Promise<number> {
  const [row] = await driver.withConnection((connection) =>
    connection.query<{ folded: number }>(
      `WITH folded AS (
         DELETE FROM "DialListMemberCount" c
          WHERE c."dialListId" IN (SELECT "dialListId" FROM "DialListMemberCount" GROUP BY "dialListId" HAVING count(*) > 1)
         RETURNING c."dialListId", c.delta),
       kept AS (
         INSERT INTO "DialListMemberCount" ("dialListId", delta)
           SELECT "dialListId", sum(delta)::int FROM folded GROUP BY "dialListId" HAVING sum(delta) <> 0)
       SELECT count(*)::int AS folded FROM folded`,
    ),
  );
  return row?.folded ?? 0;
}

/** Runs foldMemberCounts every FOLD_INTERVAL_MS; a failure (the database away) is logged and tried next time. */
export function startMemberCountFolding(options: { driver: SqlDriver; log: Logger; intervalMs?: number }): PeriodicJob {
  const { driver, log } = options;
  return runEvery(options.intervalMs ?? FOLD_INTERVAL_MS, async () => {
    await foldMemberCounts(driver).catch((error: unknown) => log.warn({ err: error }, 'could not fold the member counts of dial lists; trying again later'));
  });
}
