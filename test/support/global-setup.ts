import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createEmbeddedDriver } from '../../src/db/embedded.js';
import { EmbeddedClient } from '../../src/db/embeddedClient.js';
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
  const client = await EmbeddedClient.start({ dataDir: undefined, snapshot: undefined });
  await applyMigrations(createEmbeddedDriver(client), await readMigrations(MIGRATIONS_DIR));
  const snapshot = await client.dump();
  await client.close();
  const path = join(folder, 'embedded.tar.gz');
  await writeFile(path, Buffer.from(await snapshot.arrayBuffer()));
  project.provide('embeddedSnapshotPath', path);
  return async () => {
    await rm(folder, { recursive: true, force: true });
  };
}
