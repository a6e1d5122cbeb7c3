import { GraphQLError, Kind, type ValueNode } from 'graphql';
import { builder } from './builder.js';

builder.scalarType('DateTime', {
  description: 'An instant, as an ISO 8601 string with its offset (e.g. 2026-11-22T09:30:00Z).',
  serialize: (value) => (value as Date).toISOString(),
  parseValue: (value) => {
    const date = typeof value === 'string' ? new Date(value) : null;
    if (!date || Number.isNaN(date.getTime()) || !/T.*(Z|[+-]\d{2}:?\d{2})$/.test(value as string)) {
      throw new GraphQLError(`DateTime must be an ISO 8601 string with an offset, got ${JSON.stringify(value)}`);
    }
    return date;
  },
});

function literalValue(node: ValueNode): unknown {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map(literalValue);
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((field) => [field.name.value, literalValue(field.value)]));
    default:
      throw new GraphQLError('Variables literals cannot use GraphQL variables inside');
  }
}

/** Shape only; names and values are checked by the domain, which says which one is wrong. */
function parseVariables(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new GraphQLError('Variables must be an object of names to string values, e.g. {"ACCOUNT": "42"}');
  }
  for (const [name, content] of Object.entries(value)) {
    if (typeof content !== 'string') throw new GraphQLError(`Variables.${name} must be a string`);
  }
  return value as Record<string, string>;
}

builder.scalarType('Variables', {
  description: 'Channel variables: an object of names to string values, set on every call that uses them.',
  serialize: (value) => value,
  parseValue: parseVariables,
  parseLiteral: (node) => parseVariables(literalValue(node)),
});

builder.scalarType('JSON', {
  description: 'A JSON value (read-only snapshots such as a call attempt\'s plan).',
  serialize: (value) => value,
  parseValue: (value) => value as never,
});
