import { GraphQLError, Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext } from 'graphql';

/** Deepest selection nesting a query may have; the deepest real query here (a connection's edges) is well under it. */
export const MAX_QUERY_DEPTH = 12;
/** Most tokens a document may have: bulk data goes in variables or uploads, not in the query text. */
export const MAX_QUERY_TOKENS = 10_000;

function depthOf(
  selectionSet: SelectionSetNode | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
  visiting: Set<string>,
): number {
  if (!selectionSet) return 0;
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      deepest = Math.max(deepest, selection.selectionSet ? 1 + depthOf(selection.selectionSet, fragments, visiting) : 1);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(selection.selectionSet, fragments, visiting));
    } else {
      const name = selection.name.value;
      const fragment = fragments[name];
      // A fragment cycle is reported by GraphQL's own NoFragmentCycles rule.
      if (!fragment || visiting.has(name)) continue;
      visiting.add(name);
      deepest = Math.max(deepest, depthOf(fragment.selectionSet, fragments, visiting));
      visiting.delete(name);
    }
  }
  return deepest;
}

/** A validation rule that refuses operations nested deeper than `max`, before anything runs. */
export function maxDepthRule(max: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    }
    return {
      OperationDefinition(operation) {
        const depth = depthOf(operation.selectionSet, fragments, new Set());
        if (depth > max) {
          context.reportError(
            new GraphQLError(`Query is nested ${depth} levels deep; the limit is ${max}`, {
              nodes: [operation],
              extensions: { code: 'QUERY_TOO_DEEP' },
            }),
          );
        }
      },
    };
  };
}

/** Deepest nesting of list and object literals in a query's text: real queries nest a few levels. */
export const MAX_LITERAL_NESTING = 32;

/**
 * How deep `[` and `{` nest in a GraphQL document, outside strings and comments: measured before parsing, so a
 * literal nested thousands deep is refused instead of overflowing the parser's stack.
 */
export function nestingOf(source: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char === '#') {
      while (i < source.length && source[i] !== '\n' && source[i] !== '\r') i++;
    } else if (char === '"') {
      const block = source.startsWith('"""', i);
      i += block ? 3 : 1;
      while (i < source.length && !(block ? source.startsWith('"""', i) : source[i] === '"')) i += source[i] === '\\' ? 2 : 1;
      if (block) i += 2;
    } else if (char === '[' || char === '{') {
      deepest = Math.max(deepest, ++depth);
    } else if (char === ']' || char === '}') {
      depth--;
    }
  }
  return deepest;
}

/** Whether text holds a C0 control character but tab, LF and CR: NUL cannot be stored, and none belongs in any value. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) return true;
  }
  return false;
}

/** The path of the first string in `value` holding a control character, or null: the one rule for every string input. */
export function controlCharacterPath(value: unknown, path: string): string | null {
  if (typeof value === 'string') return hasControlCharacter(value) ? path : null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = controlCharacterPath(item, `${path}[${index}]`);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) {
      const found = controlCharacterPath(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

/** A request error for a value holding a control character: refused before anything runs, naming where. */
export function controlCharacterError(path: string): GraphQLError {
  return new GraphQLError(`${path} contains a control character (NUL or another below space but tab and line breaks): remove it`, {
    extensions: { code: 'BAD_USER_INPUT', field: path, http: { status: 400 } },
  });
}

/** A validation rule that refuses string literals holding a control character, as controlCharacterPath does variables. */
export function controlCharacterRule(context: ValidationContext): ASTVisitor {
  return {
    StringValue(node) {
      if (hasControlCharacter(node.value)) context.reportError(controlCharacterError('a string literal'));
    },
  };
}
