import { encodeGlobalID } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { AuthenticationError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { builder } from './builder.js';
import { RoleEnum } from './users.js';

export const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  description: 'An expected failure, with a message a person can act on.',
  fields: (t) => ({ message: t.exposeString('message') }),
});

const FieldProblem = builder.objectRef<{ field: string; message: string }>('FieldProblem').implement({
  fields: (t) => ({
    field: t.exposeString('field', { description: 'The input field, as a path (e.g. maxRetries[2]).' }),
    message: t.exposeString('message'),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'The input was wrong; `problems` lists each field and what is wrong with it.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ problems: t.field({ type: [FieldProblem], resolve: (error) => error.problems }) }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description: 'An id names nothing, or something deleted.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    resource: t.exposeString('resource'),
    id: t.id({ description: 'The id as it was given.', resolve: (error) => encodeGlobalID(error.resource, error.id) }),
  }),
});

builder.objectType(ConflictError, {
  name: 'ConflictError',
  description: 'The request clashes with the current state (a duplicate key, something in use).',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    blockingIds: t.idList({
      description: 'Ids of what stands in the way (e.g. the campaigns using a plan).',
      resolve: (error) => error.blocking.map((blocker) => encodeGlobalID(blocker.typename, blocker.id)),
    }),
  }),
});

builder.objectType(ForbiddenError, {
  name: 'ForbiddenError',
  description: 'The caller is known but their role does not allow this.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ requiredRole: t.expose('requiredRole', { type: RoleEnum }) }),
});

builder.objectType(AuthenticationError, {
  name: 'AuthenticationError',
  description: 'Wrong credentials, or a user who is disabled.',
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

const CODES: [new (...args: never[]) => Error, string][] = [
  [ValidationError, 'BAD_USER_INPUT'],
  [NotFoundError, 'NOT_FOUND'],
  [ConflictError, 'CONFLICT'],
  [ForbiddenError, 'FORBIDDEN'],
  [AuthenticationError, 'UNAUTHENTICATED'],
];

/**
 * Where an expected failure escapes outside a result union (a query field), it still reaches the client
 * with its message and a code; anything else is masked.
 */
export function exposeExpectedError(error: unknown, mask: (error: unknown) => Error): Error {
  // GraphQL's own errors (validation, UNAUTHENTICATED) are already meant for the client.
  if (error instanceof GraphQLError && (!error.originalError || error.originalError instanceof GraphQLError)) return error;
  const original = error instanceof GraphQLError ? error.originalError : error;
  const code = CODES.find(([type]) => original instanceof type)?.[1];
  if (!code || !(original instanceof Error) || !(error instanceof GraphQLError)) return mask(error);
  const status = code === 'UNAUTHENTICATED' ? 401 : undefined;
  return new GraphQLError(original.message, {
    nodes: error.nodes,
    path: error.path,
    extensions: { code, ...(status ? { http: { status } } : {}) },
  });
}
