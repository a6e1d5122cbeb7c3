import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/db/open.js';
import { POSTGRES_URL } from './services.js';

export type TestDatabase = Database & { url: string | undefined; drop(): Promise<void> };

/**
 * Empties every table but the migrations' record: a test file can share one database between its tests,
 * where a new one a test (a second or more embedded) would cost more than the tests themselves.
 */
export async function emptyDatabase(database: Database): Promise<void> {
  await database.driver.withConnection(async (connection) => {
    const tables = await connection.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`);
    await connection.exec(`TRUNCATE ${tables.map(({ name }) => `"${name}"`).join(', ')} CASCADE`);
  });
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new, migrated PostgreSQL database of its own, dropped by `drop()`. */
export async function createPostgresDatabase(): Promise<TestDatabase> {
  const name = `sb_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '' });
  return {
    ...database,
    url: url.toString(),
    async drop() {
      await database.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** A migrated embedded database in memory, started from the snapshot global setup made (no initdb). */
export async function createEmbeddedDatabase(): Promise<TestDatabase> {
  const snapshot = new Blob([await readFile(inject('embeddedSnapshotPath'))]);
  const database = await openDatabase({ dataDir: '', inMemory: true, embeddedSnapshot: snapshot });
  return { ...database, url: undefined, drop: () => database.close() };
}

export const storageKinds = [
  ['postgresql', createPostgresDatabase],
  ['embedded', createEmbeddedDatabase],
] as const;
