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
    /** The same before its migrations: an empty database, for the tests of migrating one. */
    emptyEmbeddedSnapshotPath: string;
  }
}

/** Makes one embedded database, empty then migrated, and shares each as a tarball: PGlite's initdb takes seconds. */
export default async function setup(project: TestProject) {
  const folder = await mkdtemp(join(tmpdir(), 'switchboard-test-'));
  const client = await EmbeddedClient.start({ dataDir: undefined, snapshot: undefined });
  const keep = async (name: 'emptyEmbeddedSnapshotPath' | 'embeddedSnapshotPath', file: string) => {
    const path = join(folder, file);
    await writeFile(path, Buffer.from(await (await client.dump()).arrayBuffer()));
    project.provide(name, path);
  };
  await keep('emptyEmbeddedSnapshotPath', 'empty.tar.gz');
  await applyMigrations(createEmbeddedDriver(client), await readMigrations(MIGRATIONS_DIR));
  await keep('embeddedSnapshotPath', 'embedded.tar.gz');
  await client.close();
  return async () => {
    await rm(folder, { recursive: true, force: true });
  };
}
