import type { SqlDriver } from '../../src/db/driver.js';

/** How many connections to the test's database wait for a lock right now (PostgreSQL only). */
export async function lockWaiters(driver: SqlDriver): Promise<number> {
  const [row] = await driver.withConnection((connection) =>
    connection.query<{ waiting: number }>(`SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`),
  );
  return row?.waiting ?? 0;
}
