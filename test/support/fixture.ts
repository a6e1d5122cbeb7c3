import { isUnionType } from 'graphql';
import { afterAll, beforeAll } from 'vitest';
import { schema } from '../../src/graphql/schema.js';
import { createPostgresDatabase } from './database.js';
import { startTestServer, type TestServer } from './server.js';
import { POSTGRES_URL, serviceAvailable } from './services.js';

/** Whether PostgreSQL answers; with REQUIRE_SERVICES=1 a missing one fails the file instead. */
export const postgresAvailable = await serviceAvailable('PostgreSQL', POSTGRES_URL);

/** A server on a fresh PostgreSQL database for the tests of one file; read `.current` inside tests. */
export function useServer(): { current: TestServer } {
  const holder = {} as { current: TestServer };
  beforeAll(async () => {
    if (!postgresAvailable) return;
    holder.current = await startTestServer(await createPostgresDatabase());
  });
  afterAll(async () => {
    if (!holder.current) return;
    await holder.current.close();
    await holder.current.database.drop();
  });
  return holder;
}

/** Unwraps a mutation's result union, failing with what came back when it is not the success type. */
export function success<T>(result: unknown, field: string): T {
  const payload = (result as Record<string, { __typename: string; data?: T; message?: string }> | null)?.[field];
  if (!payload || !payload.__typename.endsWith('Success')) {
    throw new Error(`${field} did not succeed: ${JSON.stringify(payload ?? result)}`);
  }
  return payload.data as T;
}

/** What each common error is selected with. */
const ERROR_SELECTIONS: Record<string, string> = {
  ValidationError: 'message problems { field message }',
  NotFoundError: 'message resource id',
  ConflictError: 'message blockingIds',
  ForbiddenError: 'message requiredRole',
};

/** The selection of a mutation's result union: its success `data` and each common error the union can answer. */
export function resultOf(successType: string, dataFields: string): string {
  const union = schema.getType(successType.replace(/Success$/, 'Result'));
  const members = isUnionType(union) ? union.getTypes().map((type) => type.name) : [];
  const errors = Object.entries(ERROR_SELECTIONS)
    .filter(([name]) => members.includes(name))
    .map(([name, fields]) => `... on ${name} { ${fields} }`)
    .join(' ');
  return `__typename ... on ${successType} { data { ${dataFields} } } ${errors}`;
}
