import { readFile } from 'node:fs/promises';
import { getNamedType, isObjectType, type GraphQLField } from 'graphql';
import { describe, expect, it } from 'vitest';
import { printSortedSchema, schema } from '../../src/graphql/schema.js';

describe('the GraphQL schema', () => {
  it('matches the committed schema.graphql (run `npm run schema` after changing types)', async () => {
    const committed = await readFile(new URL('../../schema.graphql', import.meta.url), 'utf8');
    expect(committed).toBe(printSortedSchema());
  });

  it('declares who may use every query and mutation field', () => {
    const rootFields = [schema.getQueryType(), schema.getMutationType()].flatMap((type) =>
      Object.values(type?.getFields() ?? {}),
    ) as GraphQLField<unknown, unknown>[];
    const undeclared = rootFields
      .filter((field) => !(field.extensions as { pothosOptions?: { authScopes?: unknown } }).pothosOptions?.authScopes)
      .map((field) => field.name);
    expect(undeclared).toEqual([]);
  });

  it('has no field that could reveal a secret or a hash', () => {
    const exposed: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        // The answers that show a new secret once: an API token's, a webhook's signing secret.
        if (/hash|secret|password/i.test(field.name) && !['CreatedApiToken.secret', 'IssuedWebhook.secret'].includes(`${type.name}.${field.name}`)) {
          exposed.push(`${type.name}.${field.name}`);
        }
      }
    }
    expect(exposed).toEqual([]);
    expect(getNamedType(schema.getType('CreatedApiToken') ?? undefined)).toBeDefined();
  });
});
