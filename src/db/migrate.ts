import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SqlDriver } from './driver.js';

export type Migration = { name: string; sql: string; checksum: string };

/** Any constant both of our processes agree on: serialises concurrent starts against one database. */
const MIGRATION_LOCK_KEY = 72_707_369;

// The table `prisma migrate deploy` keeps, so a user with the Prisma CLI sees the same history.
const CREATE_HISTORY_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Reads prisma/migrations in Prisma's folder format, oldest first. */
export async function readMigrations(directory: string): Promise<Migration[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const folders = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  return Promise.all(
    folders.map(async (name) => {
      const sql = await readFile(join(directory, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/**
 * Applies the migrations not yet recorded, each in its own transaction, as `prisma migrate deploy` does.
 * Returns the names applied. A recorded migration whose file changed, or one that failed before, stops it.
 */
export async function applyMigrations(driver: SqlDriver, migrations: Migration[]): Promise<string[]> {
  return driver.withConnection(async (connection) => {
    await connection.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await connection.exec(CREATE_HISTORY_TABLE);
      const recorded = await connection.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
        'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
      );
      const byName = new Map(recorded.map((row) => [row.migration_name, row]));
      const applied: string[] = [];
      for (const migration of migrations) {
        const record = byName.get(migration.name);
        if (record?.finished_at === null) {
          throw new MigrationError(`Migration ${migration.name} failed earlier and must be resolved by hand`);
        }
        if (record) {
          if (record.checksum !== migration.checksum) {
            throw new MigrationError(`Migration ${migration.name} was changed after it was applied`);
          }
          continue;
        }
        await connection.exec('BEGIN');
        try {
          await connection.exec(migration.sql);
          await connection.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
             VALUES ($1, $2, $3, now(), now(), 1)`,
            [randomUUID(), migration.checksum, migration.name],
          );
          await connection.exec('COMMIT');
        } catch (error) {
          await connection.exec('ROLLBACK');
          throw new MigrationError(`Migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
        }
        applied.push(migration.name);
      }
      return applied;
    } finally {
      await connection.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  });
}
