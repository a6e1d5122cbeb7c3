import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.js';
import type { SqlDriver } from './driver.js';
import { createEmbeddedDriver } from './embedded.js';
import { EmbeddedClient } from './embeddedClient.js';
import { applyMigrations, readMigrations } from './migrate.js';
import { createPostgresDriver } from './postgres.js';

export type Database = {
  prisma: PrismaClient;
  driver: SqlDriver;
  /** Names of the migrations this open applied. */
  applied: string[];
  close(): Promise<void>;
};

export type DatabaseOptions = {
  /** postgresql://...; without it, the embedded database in `dataDir`. */
  databaseUrl?: string | undefined;
  dataDir: string;
  /** An embedded database to start from (a `dumpDataDir` tarball), so tests skip initdb. */
  embeddedSnapshot?: Blob | undefined;
  /** Embedded only: keep the database in memory instead of `dataDir`. */
  inMemory?: boolean;
  /** PostgreSQL only: told of connections the server dropped, idle or in use. */
  onConnectionError?: (error: Error) => void;
};

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

async function openEmbedded(options: DatabaseOptions): Promise<{ prisma: PrismaClient; driver: SqlDriver }> {
  let dataDir: string | undefined;
  if (!options.inMemory) {
    dataDir = join(options.dataDir, 'pglite');
    // PGlite does not create missing parents of its folder.
    await mkdir(options.dataDir, { recursive: true });
  }
  const client = await EmbeddedClient.start({ dataDir, snapshot: options.embeddedSnapshot });
  // The adapter takes a PGlite; the client answers the part of PGlite's interface it uses (embeddedClient.ts).
  const adapter = new PrismaPGlite(client as unknown as PGlite);
  return { prisma: new PrismaClient({ adapter }), driver: createEmbeddedDriver(client) };
}

function openPostgres(databaseUrl: string, onConnectionError?: (error: Error) => void): { prisma: PrismaClient; driver: SqlDriver } {
  // A server that stops answering fails the connect instead of holding the caller for ever; keepalive notices a dead peer.
  // JIT off: the statements here are short, and a plan the planner costs high enough (the lease's, on a list of
  // 10,000) spent a second compiling for a 10 ms run. TimeZone UTC: timestamps are stored without a zone, as UTC,
  // and a statement that reads a parameter as timestamptz would otherwise move them by the server's own zone.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, connectionTimeoutMillis: 15_000, keepAlive: true, options: '-c jit=off -c TimeZone=UTC' });
  return { prisma: new PrismaClient({ adapter: new PrismaPg(pool) }), driver: createPostgresDriver(pool, onConnectionError) };
}

/** Opens PostgreSQL (DATABASE_URL) or the embedded database, and brings its schema up to date. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const { prisma, driver } = options.databaseUrl
    ? openPostgres(options.databaseUrl, options.onConnectionError)
    : await openEmbedded(options);
  const close = async () => {
    await prisma.$disconnect();
    await driver.close();
  };
  try {
    const applied = await applyMigrations(driver, await readMigrations(MIGRATIONS_DIR));
    return { prisma, driver, applied, close };
  } catch (error) {
    await close();
    throw error;
  }
}
