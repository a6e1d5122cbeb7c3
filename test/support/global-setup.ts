import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { createEmbeddedDriver } from '../../src/db/embedded.js';
import { applyMigrations, readMigrations } from '../../src/db/migrate.js';
import { MIGRATIONS_DIR } from '../../src/db/open.js';

declare module 'vitest' {
  export interface ProvidedContext {
    embeddedSnapshotPath: string;
  }
}

/** Makes one migrated embedded database and shares it as a tarball: PGlite's initdb takes seconds. */
export default async function setup(project: TestProject) {
  const folder = await mkdtemp(join(tmpdir(), 'switchboard-test-'));
  const pglite = await PGlite.create();
  await applyMigrations(createEmbeddedDriver(pglite), await readMigrations(MIGRATIONS_DIR));
  const snapshot = await pglite.dumpDataDir('gzip');
  await pglite.close();
  const path = join(folder, 'embedded.tar.gz');
  await writeFile(path, Buffer.from(await snapshot.arrayBuffer()));
  project.provide('embeddedSnapshotPath', path);
  return async () => {
    await rm(folder, { recursive: true, force: true });
  };
}
