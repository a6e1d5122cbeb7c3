import { GraphQLError, Kind, parse, type DocumentNode } from 'graphql';
import { MAX_QUERY_TOKENS } from './limits.js';

/** What an anonymous caller may run: signing in, nothing else (introspection included). */
const ANONYMOUS_FIELDS = new Set(['login', '__typename']);

export const AUTHENTICATION_REQUIRED = 'Authentication required: send "Authorization: Bearer <token>"';

/** Whether every operation of the document only signs in: mutations selecting login (and __typename) alone. */
export function onlySignsIn(document: DocumentNode): boolean {
  return document.definitions.every((definition) => {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) return true;
    if (definition.kind !== Kind.OPERATION_DEFINITION || definition.operation !== 'mutation') return false;
    return definition.selectionSet.selections.every((selection) => selection.kind === Kind.FIELD && ANONYMOUS_FIELDS.has(selection.name.value));
  });
}

/**
 * Refuses a request without a credential before it is validated, its variables coerced or anything run, unless
 * it only signs in: one cheap check of the (token-limited) query text, so an anonymous caller reaches neither
 * the schema nor any resolver.
 */
export function refuseAnonymous(query: string | undefined): void {
  let document: DocumentNode | undefined;
  try {
    document = query === undefined ? undefined : parse(query, { maxTokens: MAX_QUERY_TOKENS, noLocation: true });
  } catch {
    // Not even a document: refused as anonymous, not explained as a syntax error.
  }
  if (document && onlySignsIn(document)) return;
  throw new GraphQLError(AUTHENTICATION_REQUIRED, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}
