import {
  getNamedType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import { schema } from '../../src/graphql/schema.js';

/** A well-formed global id of something that does not exist. */
export const UNKNOWN_ID = Buffer.from('Plan:01900000-0000-7000-8000-000000000000').toString('base64');

const SCALARS: Record<string, () => unknown> = {
  ID: () => UNKNOWN_ID,
  String: () => 'x',
  Int: () => 1,
  Float: () => 1,
  Boolean: () => false,
  DateTime: () => new Date(Date.now() + 86_400_000).toISOString(),
  Variables: () => ({}),
  JSON: () => ({}),
};

/** A value of `type` as a variable: required input fields filled in recursively, lists empty. */
export function placeholder(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return placeholder(type.ofType);
  if (isListType(type)) return [];
  if (isEnumType(type)) return type.getValues()[0]?.name;
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((field) => isNonNullType(field.type) && field.defaultValue === undefined)
        .map((field) => [field.name, placeholder(field.type)]),
    );
  }
  if (isScalarType(type)) {
    const make = SCALARS[type.name];
    if (!make) throw new Error(`No placeholder for the scalar ${type.name}: add one to test/auth/operations.ts`);
    return make();
  }
  throw new Error(`No placeholder for ${String(type)}`);
}

export type Operation = { field: string; query: string; variables: Record<string, unknown> };

/**
 * One operation calling `field` with placeholders for its required arguments. `selection` is what to
 * select when the field returns an object, interface or union.
 */
export function operationFor(
  kind: 'query' | 'mutation',
  // The schema's fields carry resolver types of their own; only names and types are read here.
  field: GraphQLField<unknown, unknown>,
  selection = '__typename',
): Operation {
  const required = field.args.filter((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined);
  const definitions = required.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
  const args = required.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const selected = isCompositeType(getNamedType(field.type)) ? ` { ${selection} }` : '';
  return {
    field: field.name,
    query: `${kind}${definitions ? `(${definitions})` : ''} { ${field.name}${args ? `(${args})` : ''}${selected} }`,
    variables: Object.fromEntries(required.map((arg) => [arg.name, placeholder(arg.type)])),
  };
}

export function mutationFields(except: string[] = []): GraphQLField<unknown, unknown>[] {
  const fields = Object.values(schema.getMutationType()?.getFields() ?? {});
  return fields.filter((field) => !except.includes(field.name));
}

export function queryFields(except: string[] = []): GraphQLField<unknown, unknown>[] {
  const fields = Object.values(schema.getQueryType()?.getFields() ?? {});
  return fields.filter((field) => !except.includes(field.name));
}
