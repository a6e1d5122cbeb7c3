import { quoteIdentifier, type SqlDriver } from './driver.js';

/**
 * Refreshes the planner's statistics of `tables` after a bulk change. Without it the planner still sees the
 * table as it was (empty, or a tenth of its size) and may choose a plan that reads every row: PGlite has no
 * autovacuum to do it, and PostgreSQL's waits until a tenth of the table has changed. ANALYZE reads a fixed
 * sample, so it costs about the same at any size.
 */
export async function refreshStatistics(driver: SqlDriver, tables: readonly string[]): Promise<void> {
  // One statement a table: the embedded database answers other queries between them.
  for (const table of tables) await driver.withConnection((connection) => connection.exec(`ANALYZE ${quoteIdentifier(table)}`));
}
