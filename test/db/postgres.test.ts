import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createPostgresDriver } from '../../src/db/postgres.js';
import { postgresAvailable } from '../support/fixture.js';
import { POSTGRES_URL } from '../support/services.js';

describe.skipIf(!postgresAvailable)('the PostgreSQL driver', () => {
  it('survives the server dropping its idle connections, and says so', async () => {
    const heard: Error[] = [];
    const pool = new pg.Pool({ connectionString: POSTGRES_URL, application_name: `sb-idle-${process.pid}` });
    const driver = createPostgresDriver(pool, (error) => heard.push(error));
    try {
      await driver.withConnection((c) => c.query('SELECT 1'));
      const admin = new pg.Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [
        `sb-idle-${process.pid}`,
      ]);
      await admin.end();
      await expect.poll(() => heard.length).toBeGreaterThan(0);
      expect(await driver.withConnection((c) => c.query<{ ok: number }>('SELECT 1 AS ok'))).toEqual([{ ok: 1 }]);
    } finally {
      await driver.close();
    }
  });
});
