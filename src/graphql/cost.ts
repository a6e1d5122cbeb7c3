import {
  getNamedType,
  getNullableType,
  getOperationAST,
  GraphQLError,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * The most one operation may cost. A field costs 1 and a list multiplies what is selected under it, so a
 * supervisor's page of 100 campaigns with their plans and stats costs about 3,000, while a hundred aliases
 * of members(first: 100) under dialLists(first: 100) cost millions.
 */
export const MAX_OPERATION_COST = 20_000;
/** A connection's page when no first or last is given, and the most it gives (Pothos relay's defaults). */
export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 100;
/** What an unpaginated list (live channels, a member's numbers) is counted as. */
export const LIST_SIZE = 10;

type Variables = Readonly<Record<string, unknown>>;

function valueOf(node: ValueNode | undefined, variables: Variables): unknown {
  if (!node) return undefined;
  if (node.kind === Kind.VARIABLE) return variables[node.name.value];
  if (node.kind === Kind.INT) return Number(node.value);
  if (node.kind === Kind.LIST) return node.values;
  return undefined;
}

type Walk = { schema: GraphQLSchema; fragments: Map<string, FragmentDefinitionNode>; variables: Variables; visiting: Set<string> };

function pageSize(args: Map<string, ValueNode>, variables: Variables): number {
  const page = valueOf(args.get('first') ?? args.get('last'), variables);
  return typeof page === 'number' ? Math.min(Math.max(page, 0), MAX_PAGE) : DEFAULT_PAGE;
}

/**
 * How many times a field's selection runs: a connection's page size (first or last, else the default, at
 * most the maximum); once for a connection's edges, which its page counted; the length of a list argument
 * (nodes' ids); LIST_SIZE for another list; once for anything else.
 */
function timesRun(parent: GraphQLCompositeType, field: GraphQLField<unknown, unknown>, args: Map<string, ValueNode>, variables: Variables): number {
  if (field.args.some((argument) => argument.name === 'first' || argument.name === 'last')) return pageSize(args, variables);
  if (!isListType(getNullableType(field.type)) || parent.name.endsWith('Connection')) return 1;
  for (const value of args.values()) {
    const given = valueOf(value, variables);
    if (Array.isArray(given)) return Math.max(given.length, 1);
  }
  return LIST_SIZE;
}

function selectionCost(type: GraphQLCompositeType, selectionSet: SelectionSetNode, walk: Walk): number {
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      // Introspection is bounded by the schema itself, and authenticated callers' only.
      if (name.startsWith('__')) {
        total += 1;
        continue;
      }
      const field = isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;
      if (!field) continue;
      const child = getNamedType(field.type);
      const below = selection.selectionSet && isCompositeType(child) ? selectionCost(child, selection.selectionSet, walk) : 0;
      const args = new Map((selection.arguments ?? []).map((argument) => [argument.name.value, argument.value]));
      total += 1 + timesRun(type, field, args, walk.variables) * below;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const condition = selection.typeCondition ? walk.schema.getType(selection.typeCondition.name.value) : type;
      if (condition && isCompositeType(condition)) total += selectionCost(condition, selection.selectionSet, walk);
    } else {
      const name = selection.name.value;
      const fragment = walk.fragments.get(name);
      // A cycle is GraphQL's own NoFragmentCycles rule's to report.
      if (!fragment || walk.visiting.has(name)) continue;
      const condition = walk.schema.getType(fragment.typeCondition.name.value);
      if (!condition || !isCompositeType(condition)) continue;
      walk.visiting.add(name);
      total += selectionCost(condition, fragment.selectionSet, walk);
      walk.visiting.delete(name);
    }
  }
  return total;
}

/** What the operation would cost with these variables (see MAX_OPERATION_COST); 0 when there is no such operation. */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Variables | null | undefined): number {
  const operation = getOperationAST(document, operationName);
  if (!operation) return 0;
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return selectionCost(root, operation.selectionSet, { schema, fragments, variables: variables ?? {}, visiting: new Set() });
}

export function tooCostly(cost: number, limit: number): GraphQLError {
  return new GraphQLError(`This operation would cost ${cost}; the limit is ${limit}. Ask for smaller pages (first), fewer aliases, or less nesting`, {
    extensions: { code: 'QUERY_TOO_COSTLY', cost, limit, http: { status: 400 } },
  });
}

/**
 * Refuses an operation whose cost (aliases, and lists times their page sizes, with the variables it was
 * given) is over the limit, before it runs: over HTTP, SSE and graphql-ws alike. Measured at execution, not
 * validation, because the page sizes may be variables and validation results are cached per document.
 */
export function costLimit(limit = MAX_OPERATION_COST): Plugin {
  const check = (args: { schema: GraphQLSchema; document: DocumentNode; operationName?: string | null; variableValues?: Variables | null }) => {
    const cost = operationCost(args.schema, args.document, args.operationName, args.variableValues);
    return cost > limit ? tooCostly(cost, limit) : null;
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const error = check(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = check(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}
