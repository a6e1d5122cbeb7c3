import SchemaBuilder from '@pothos/core';
import { AUTHENTICATION_REQUIRED } from './anonymous.js';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin, { AuthScopeFailureType, type AuthFailure } from '@pothos/plugin-scope-auth';
import { GraphQLError } from 'graphql';
import { isRole, roleAtLeast, type Role } from '../auth/roles.js';
import { ForbiddenError } from '../errors.js';
import type { Prisma } from '../generated/prisma/client.js';
import { getDatamodel } from '../generated/pothos-types.js';
import type PrismaTypes from '../generated/pothos-types.js';
import type { Context } from './context.js';
import type { StreamedUpload } from './uploads.js';

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The role a failed scope check asked for, wherever it sits in the failure tree. */
function requiredRole(failure: AuthFailure): Role | null {
  if (failure.kind === AuthScopeFailureType.AuthScope && failure.scope === 'role') return isRole(failure.parameter) ? failure.parameter : null;
  if (failure.kind === AuthScopeFailureType.AnyAuthScopes || failure.kind === AuthScopeFailureType.AllAuthScopes) {
    for (const inner of failure.failures) {
      const role = requiredRole(inner);
      if (role) return role;
    }
  }
  return null;
}

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: { role: Role };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    Variables: { Input: Record<string, string>; Output: Prisma.JsonValue };
    JSON: { Input: Prisma.JsonValue; Output: Prisma.JsonValue };
    File: { Input: StreamedUpload; Output: never };
  };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: true;
}>({
  // Order matters: the errors plugin must wrap scope-auth so a ForbiddenError lands in the result union.
  plugins: [ErrorsPlugin, ScopeAuthPlugin, PrismaPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    // Check a subscription's role when it starts, not on each event: an anonymous stream is refused at once.
    authorizeOnSubscribe: true,
    authScopes: (context) => ({
      role: (needed: Role) => context.viewer !== null && roleAtLeast(context.viewer.role, needed),
    }),
    unauthorizedError: (_parent, context, _info, result) => {
      if (!context.viewer) {
        return new GraphQLError(AUTHENTICATION_REQUIRED, {
          extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
        });
      }
      const needed = requiredRole(result.failure) ?? 'ADMIN';
      return new ForbiddenError(`This needs the ${needed} role; ${context.viewer.name} has ${context.viewer.role}`, needed);
    },
  },
  errors: {
    // None by default: each field lists the errors it can really answer (errorSets.ts).
    defaultTypes: [],
    defaultUnionOptions: { name: ({ fieldName }) => `${upperFirst(fieldName)}Result` },
    defaultResultOptions: { name: ({ fieldName }) => `${upperFirst(fieldName)}Success` },
  },
  prisma: {
    client: (context) => context.prisma,
    dmmf: getDatamodel(),
    filterConnectionTotalCount: true,
    onUnusedQuery: null,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    edgesFieldOptions: { nullable: false },
    nodeQueryOptions: { authScopes: { role: 'VIEWER' } },
    nodesQueryOptions: { authScopes: { role: 'VIEWER' } },
  },
});

builder.queryType({});
builder.mutationType({});
