import type { Logger } from '../logger.js';
import { runEvery, type PeriodicJob } from '../periodicJob.js';
import { quoteIdentifier, type SqlDriver } from './driver.js';

/** How often the embedded database's tables are looked at. */
export const MAINTENANCE_INTERVAL_MS = 5 * 60_000;

export type Maintained = { vacuumed: string[]; analyzed: string[] };

/**
 * One round of what PostgreSQL's autovacuum would do, for PGlite, which has none: a table whose dead rows passed
 * autovacuum's threshold (50 and a fifth of its live rows) is vacuumed and analysed, one changed past
 * autoanalyze's (50 and a tenth) is analysed. Without it every status change of a member leaves a dead row that
 * the lease's index scans step over, and the planner keeps estimates from before the last import.
 */
export async function maintainOnce(driver: SqlDriver): Promise<Maintained> {
  return driver.withConnection(async (connection) => {
    // Statistics are flushed when a transaction ends, at most once a second: this makes them current.
    await connection.query('SELECT pg_stat_force_next_flush()');
    const tables = await connection.query<{ table: string; vacuum: boolean; analyze: boolean }>(
      `SELECT relname AS table, n_dead_tup > 50 + 0.2 * n_live_tup AS vacuum, n_mod_since_analyze > 50 + 0.1 * n_live_tup AS analyze
         FROM pg_stat_user_tables WHERE schemaname = 'public' ORDER BY relname`,
    );
    const done: Maintained = { vacuumed: [], analyzed: [] };
    for (const { table, vacuum, analyze } of tables) {
      if (vacuum) {
        await connection.exec(`VACUUM (ANALYZE) ${quoteIdentifier(table)}`);
        done.vacuumed.push(table);
      } else if (analyze) {
        await connection.exec(`ANALYZE ${quoteIdentifier(table)}`);
        done.analyzed.push(table);
      }
    }
    return done;
  });
}

/**
 * Runs maintainOnce every MAINTENANCE_INTERVAL_MS on the embedded database. It runs in the database's own thread;
 * statements that come meanwhile wait behind it, as they would behind any other. A failure is logged and tried
 * again next time.
 */
export function startEmbeddedMaintenance(options: { driver: SqlDriver; log: Logger; intervalMs?: number }): PeriodicJob {
  const { driver, log } = options;
  const round = async () => {
    const started = performance.now();
    try {
      const done = await maintainOnce(driver);
      if (done.vacuumed.length + done.analyzed.length > 0) log.info({ ...done, ms: Math.round(performance.now() - started) }, 'embedded database maintained');
    } catch (error) {
      log.warn({ err: error }, 'could not maintain the embedded database; trying again later');
    }
  };
  return runEvery(options.intervalMs ?? MAINTENANCE_INTERVAL_MS, round);
}
