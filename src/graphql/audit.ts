import { defaultFieldResolver, getNamedType, GraphQLError, isAbstractType, type GraphQLSchema } from 'graphql';
import type { Viewer } from '../auth/roles.js';
import type { Prisma } from '../generated/prisma/client.js';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { NEWEST_FIRST } from './filters.js';
import { RoleEnum } from './users.js';
import { connectionOf } from './connections.js';

const AuditActorKind = builder.enumType('AuditActorKind', { values: ['USER', 'API_TOKEN'] as const });

builder.prismaObject('AuditEntry', {
  description: 'One mutation someone ran: who, from where, what with, when, and what it answered.',
  fields: (t) => ({
    id: t.exposeID('id'),
    at: t.expose('at', { type: 'DateTime' }),
    actorKind: t.field({
      type: AuditActorKind,
      nullable: true,
      description: 'Null for an anonymous login attempt.',
      resolve: (entry) => entry.actorKind as 'USER' | 'API_TOKEN' | null,
    }),
    actorId: t.exposeString('actorId', { nullable: true, description: 'The user\'s or the API token\'s id.' }),
    actorName: t.exposeString('actorName', { description: 'The username or token name then; for a login attempt, the username tried.' }),
    actorRole: t.expose('actorRole', { type: RoleEnum, nullable: true }),
    clientAddress: t.exposeString('clientAddress'),
    mutation: t.exposeString('mutation'),
    arguments: t.expose('arguments', { type: 'JSON', description: 'Secrets redacted, long values cut short.' }),
    result: t.exposeString('result', { description: 'The result type answered (CreateCampaignSuccess, ValidationError...), or the code of the error it failed with.' }),
  }),
});

const AuditLogFilter = builder.inputType('AuditLogFilter', {
  fields: (t) => ({
    since: t.field({ type: 'DateTime', description: 'At or after this instant.' }),
    until: t.field({ type: 'DateTime', description: 'Before this instant.' }),
    actor: t.string({ description: 'Only this user\'s or API token\'s (its name, exactly).' }),
    mutation: t.string({ description: 'Only this mutation (e.g. hangupChannel).' }),
  }),
});

function auditWhere(filter: typeof AuditLogFilter.$inferInput | null | undefined): Prisma.AuditEntryWhereInput {
  return {
    ...(filter?.since || filter?.until ? { at: { gte: filter.since ?? undefined, lt: filter.until ?? undefined } } : {}),
    ...(filter?.actor ? { actorName: filter.actor } : {}),
    ...(filter?.mutation ? { mutation: filter.mutation } : {}),
  };
}

builder.queryField('auditLog', (t) =>
  t.prismaConnection(
    {
      type: 'AuditEntry',
      cursor: 'id',
      authScopes: { role: 'ADMIN' },
      description: 'Every mutation run, newest first, kept for AUDIT_LOG_DAYS.',
      args: { filter: t.arg({ type: AuditLogFilter }) },
      totalCount: (_connection, args, context) => context.prisma.auditEntry.count({ where: auditWhere(args.filter) }),
      resolve: (query, _root, args, context) => context.prisma.auditEntry.findMany({ ...query, where: auditWhere(args.filter), orderBy: NEWEST_FIRST }),
    },
    ...connectionOf('AuditEntry'),
  ),
);

/** The code a mutation that threw failed with. */
function errorCode(error: unknown): string {
  const code = error instanceof GraphQLError ? error.extensions.code : undefined;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}

/**
 * Records every mutation in the audit log as it finishes, whatever it answered: its result type (the
 * member of its result union, typed errors included), or the code of the error it threw. Wraps each
 * Mutation field of the built schema, so no mutation can be added without it.
 */
export function auditMutations(schema: GraphQLSchema): GraphQLSchema {
  const fields = schema.getMutationType()?.getFields() ?? {};
  for (const field of Object.values(fields)) {
    const resolve = field.resolve ?? defaultFieldResolver;
    const returned = getNamedType(field.type);
    field.resolve = async (source, args: Record<string, unknown>, context: Context, info) => {
      let result = 'INTERNAL_SERVER_ERROR';
      try {
        const value: unknown = await resolve(source, args, context, info);
        const resolved = isAbstractType(returned) ? await returned.resolveType?.(value, context, info, returned) : returned.name;
        result = resolved ?? returned.name;
        return value;
      } catch (error) {
        result = errorCode(error);
        throw error;
      } finally {
        // Who ran it once it ran: a login that succeeded is its user's.
        const viewer: Viewer | null = context.viewer;
        await context.audit.record({
          viewer,
          claimedName: typeof args.username === 'string' ? args.username : null,
          clientAddress: context.clientAddress,
          mutation: field.name,
          arguments: args,
          result,
        });
      }
    };
  }
  return schema;
}
