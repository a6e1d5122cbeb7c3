import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { diffMigrationsToSchema } from '../../scripts/createMigration.js';
import type { SqlDriver } from '../../src/db/driver.js';
import { createEmbeddedDriver } from '../../src/db/embedded.js';
import { EmbeddedClient } from '../../src/db/embeddedClient.js';
import { applyMigrations, MigrationError, readMigrations } from '../../src/db/migrate.js';
import { MIGRATIONS_DIR } from '../../src/db/open.js';
import { createPostgresDriver } from '../../src/db/postgres.js';
import { postgresAvailable } from '../support/fixture.js';
import { POSTGRES_URL } from '../support/services.js';

type EmptyDatabase = { driver: SqlDriver; drop(): Promise<void> };

async function emptyPostgres(): Promise<EmptyDatabase> {
  const name = `sb_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const driver = createPostgresDriver(new pg.Pool({ connectionString: url.toString() }));
  return {
    driver,
    async drop() {
      await driver.close();
      const cleanup = new pg.Client({ connectionString: POSTGRES_URL });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

async function emptyEmbedded(): Promise<EmptyDatabase> {
  const snapshot = new Blob([await readFile(inject('emptyEmbeddedSnapshotPath'))]);
  const driver = createEmbeddedDriver(await EmbeddedClient.start({ dataDir: undefined, snapshot }));
  return { driver, drop: () => driver.close() };
}

const kinds = [
  ['PostgreSQL', emptyPostgres, !postgresAvailable],
  ['the embedded database', emptyEmbedded, false],
] as const;

describe.each(kinds)('migrations on %s', (_name, open, skip) => {
  const opened: EmptyDatabase[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((database) => database.drop()));
  });
  const fresh = async () => {
    const database = await open();
    opened.push(database);
    return database;
  };

  it.skipIf(skip)('applies each migration once and records it as `prisma migrate deploy` does', async () => {
    const { driver } = await fresh();
    const migrations = await readMigrations(MIGRATIONS_DIR);
    expect(await applyMigrations(driver, migrations)).toEqual(migrations.map((m) => m.name));
    expect(await applyMigrations(driver, migrations)).toEqual([]);
    const rows = await driver.withConnection((c) =>
      c.query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
        'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
      ),
    );
    expect(rows.map((row) => row.migration_name)).toEqual(migrations.map((m) => m.name));
    for (const [index, row] of rows.entries()) {
      expect(row.checksum).toBe(createHash('sha256').update(migrations[index]?.sql ?? '').digest('hex'));
      expect(row.finished_at).not.toBeNull();
    }
    const tables = await driver.withConnection((c) =>
      c.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"),
    );
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['Plan', 'Campaign', 'Member', 'MemberNumber', 'CallAttempt']));
  });

  it.skipIf(skip)("renames the API tokens made before their names were reserved, and only those", async () => {
    const { driver } = await fresh();
    const migrations = await readMigrations(MIGRATIONS_DIR);
    const at = migrations.findIndex((migration) => migration.name.endsWith('_reserved_requester_names'));
    await applyMigrations(driver, migrations.slice(0, at));
    const names = ['end of list', ' Schedule', 'unknown', 'after Renewals', 'ops bot', 'scheduler'];
    await driver.withConnection((c) =>
      c.query(`INSERT INTO "ApiToken" (id, name, role, "tokenHash", prefix) SELECT gen_random_uuid(), n, 'SUPERVISOR', md5(n), 'sb_' FROM unnest($1::text[]) n`, [names]),
    );
    await applyMigrations(driver, migrations);
    const rows = await driver.withConnection((c) => c.query<{ name: string }>('SELECT name FROM "ApiToken" ORDER BY name'));
    expect(rows.map((row) => row.name).sort()).toEqual(['ops bot', 'scheduler', 'token  Schedule', 'token after Renewals', 'token end of list', 'token unknown'].sort());
  });

  it.skipIf(skip)('refuses to go on when an applied migration was edited afterwards', async () => {
    const { driver } = await fresh();
    const migrations = await readMigrations(MIGRATIONS_DIR);
    await applyMigrations(driver, migrations);
    const edited = migrations.map((m, index) => (index === 0 ? { ...m, checksum: 'f'.repeat(64) } : m));
    await expect(applyMigrations(driver, edited)).rejects.toThrow(MigrationError);
    await expect(applyMigrations(driver, edited)).rejects.toThrow(/was changed after it was applied/);
  });

  it.skipIf(skip)('rolls a failing migration back whole and names it', async () => {
    const { driver } = await fresh();
    const broken = { name: '29990101000000_broken', sql: 'CREATE TABLE "Half" (id int);\nSELECT * FROM "Nope";', checksum: 'x' };
    await expect(applyMigrations(driver, [broken])).rejects.toThrow(/29990101000000_broken failed/);
    const half = await driver.withConnection((c) =>
      c.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'Half'"),
    );
    expect(half).toEqual([]);
  });
});

describe.skipIf(!postgresAvailable)('migrations under concurrent starts', () => {
  it('apply once when two starts race on one PostgreSQL database, each on its own connection', async () => {
    const first = await emptyPostgres();
    const migrations = await readMigrations(MIGRATIONS_DIR);
    try {
      const results = await Promise.all([applyMigrations(first.driver, migrations), applyMigrations(first.driver, migrations)]);
      expect(results.flat()).toEqual(migrations.map((m) => m.name));
    } finally {
      await first.drop();
    }
  });
});

describe('the migrations folder', () => {
  it('matches prisma/schema.prisma (run `npm run migration:create -- <name>` after changing it)', async () => {
    expect(await diffMigrationsToSchema()).toBeNull();
  }, 60_000);
});
