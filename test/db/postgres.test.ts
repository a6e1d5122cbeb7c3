import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open.js';
import { createPostgresDriver } from '../../src/db/postgres.js';
import { createPostgresDatabase } from '../support/database.js';
import { postgresAvailable } from '../support/fixture.js';
import { POSTGRES_URL } from '../support/services.js';

describe.skipIf(!postgresAvailable)('the PostgreSQL driver', () => {
  it('runs with JIT off, which spent a second compiling the lease for a 10 ms run', async () => {
    const database = await createPostgresDatabase();
    try {
      const [setting] = await database.driver.withConnection((c) => c.query<{ jit: string }>('SHOW jit'));
      expect(setting?.jit).toBe('off');
      expect(await database.prisma.$queryRaw`SHOW jit`).toEqual([{ jit: 'off' }]);
    } finally {
      await database.drop();
    }
  });

  it('reads and writes times in UTC whatever zone the server or the database is set to', async () => {
    const database = await createPostgresDatabase();
    const url = database.url as string;
    const name = new URL(url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${name} SET timezone = 'America/New_York'`);
      const zoned = await openDatabase({ databaseUrl: url, dataDir: '' });
      try {
        const [row] = await zoned.driver.withConnection((c) => c.query<{ zone: string; local: string }>(`SELECT current_setting('TimeZone') AS zone, ('2026-01-01T12:00:00Z'::timestamptz)::timestamp::text AS local`));
        expect(row).toEqual({ zone: 'UTC', local: '2026-01-01 12:00:00' });
        expect(await zoned.prisma.$queryRaw`SELECT current_setting('TimeZone') AS zone`).toEqual([{ zone: 'UTC' }]);
      } finally {
        await zoned.close();
      }
    } finally {
      await admin.end();
      await database.drop();
    }
  });

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

  it('survives the server dropping a connection in use: the query fails, the process goes on, the next query works', async () => {
    const heard: Error[] = [];
    const name = `sb-busy-${process.pid}`;
    const pool = new pg.Pool({ connectionString: POSTGRES_URL, application_name: name });
    const driver = createPostgresDriver(pool, (error) => heard.push(error));
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    try {
      // Its failure is taken at once: it may come before the terminate's own answer does.
      const sleeping = driver.withConnection((c) => c.query('SELECT pg_sleep(30)')).then(
        () => null,
        (error: unknown) => error,
      );
      await expect
        .poll(async () => (await admin.query("SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'SELECT pg_sleep%'", [name])).rowCount)
        .toBe(1);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [name]);
      expect(await sleeping).toMatchObject({ message: expect.stringMatching(/terminat/) });
      // An unheard 'error' on the checked-out client would have been thrown out of the event loop instead.
      await expect.poll(() => heard.length).toBeGreaterThan(0);
      expect(await driver.withConnection((c) => c.query<{ ok: number }>('SELECT 1 AS ok'))).toEqual([{ ok: 1 }]);
    } finally {
      await admin.end();
      await driver.close();
    }
  });
});
