import { afterAll, beforeAll } from 'vitest';
import type { storageKinds, TestDatabase } from './database.js';
import { postgresAvailable } from './fixture.js';

type StorageKind = (typeof storageKinds)[number];

/**
 * One database of a `describe.each(storageKinds)` block's kind, made before its tests and dropped after them;
 * `skip` says the block has none (PostgreSQL, and none runs here).
 */
export function useStorage(kind: StorageKind[0], create: StorageKind[1]): { skip: boolean; readonly database: TestDatabase } {
  const skip = kind === 'postgresql' && !postgresAvailable;
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    if (!skip) database = await create();
  });
  afterAll(async () => {
    await database?.drop();
  });
  return {
    skip,
    get database() {
      if (database === undefined) throw new Error(`No ${kind} database: the tests that use it should be skipped`);
      return database;
    },
  };
}
