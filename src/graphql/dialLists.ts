import { createDialList, deleteDialList, updateDialList } from '../outbound/dialLists.js';
import { builder } from './builder.js';
import { NamedFilter, namedWhere, NEWEST_FIRST } from './filters.js';
import { localId } from './ids.js';
import { MemberConnection } from './members.js';
import { CREATE_ERRORS, EDIT_ERRORS, GUARDED_ERRORS } from './errorSets.js';
import { connectionOf } from './connections.js';

export const DialListRef = builder.prismaNode('DialList', {
  nullable: true,
  description: 'A list of members to call (jade dial list master).',
  id: { field: 'id' },
  authScopes: { role: 'VIEWER' },
  fields: (t) => ({
    name: t.exposeString('name'),
    detail: t.exposeString('detail', { nullable: true }),
    variables: t.expose('variables', { type: 'Variables', description: 'Set on every call to its members.' }),
    country: t.exposeString('country', {
      nullable: true,
      description: 'ISO 3166 code its numbers are read in when not written internationally: with PT, 912 345 678 compares as +351912345678.',
    }),
    memberCount: t.int({
      description: 'Members in the list: kept as they are added and removed, so it costs the same for ten members or ten million.',
      select: { memberCountChanges: { select: { delta: true } } },
      resolve: (list) => list.memberCountChanges.reduce((count, change) => count + change.delta, 0),
    }),
    members: t.relatedConnection('members', { cursor: 'id', totalCount: true, query: { orderBy: { id: 'asc' } } }, MemberConnection),
    inUse: t.exposeBoolean('inUse'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    deletedAt: t.expose('deletedAt', { type: 'DateTime', nullable: true }),
  }),
});

function dialListInputType(name: string, creating: boolean) {
  return builder.inputType(name, {
    fields: (t) => ({
      name: t.string({ required: creating }),
      detail: t.string(),
      variables: t.field({ type: 'Variables' }),
      country: t.string({ description: 'ISO 3166 code (PT, US, GB) numbers not written internationally are read in. Numbers already in the list keep how they were read.' }),
    }),
  });
}

const CreateDialListInput = dialListInputType('CreateDialListInput', true);
const UpdateDialListInput = dialListInputType('UpdateDialListInput', false);

builder.queryField('dialLists', (t) =>
  t.prismaConnection(
    {
      type: 'DialList',
      cursor: 'id',
      authScopes: { role: 'VIEWER' },
      args: { filter: t.arg({ type: NamedFilter }) },
      totalCount: (_connection, args, context) => context.prisma.dialList.count({ where: namedWhere(args.filter) }),
      resolve: (query, _root, args, context) =>
        context.prisma.dialList.findMany({ ...query, where: namedWhere(args.filter), orderBy: NEWEST_FIRST }),
    },
    ...connectionOf('DialList'),
  ),
);

builder.mutationFields((t) => ({
  createDialList: t.field({
    type: DialListRef,
    authScopes: { role: 'SUPERVISOR' },
    errors: CREATE_ERRORS,
    args: { input: t.arg({ type: CreateDialListInput, required: true }) },
    resolve: (_root, args, context) => createDialList(context.prisma, args.input),
  }),
  updateDialList: t.field({
    type: DialListRef,
    authScopes: { role: 'SUPERVISOR' },
    errors: EDIT_ERRORS,
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateDialListInput, required: true }) },
    resolve: (_root, args, context) => updateDialList(context.prisma, localId(args.id, 'DialList'), args.input),
  }),
  deleteDialList: t.field({
    type: DialListRef,
    authScopes: { role: 'SUPERVISOR' },
    errors: GUARDED_ERRORS,
    description: 'Soft-deletes a dial list. With members left or live campaigns using it this is a ConflictError, unless force, which removes its members and deletes those campaigns.',
    args: { id: t.arg.id({ required: true }), force: t.arg.boolean({ defaultValue: false }) },
    resolve: (_root, args, context) => deleteDialList(context.prisma, localId(args.id, 'DialList'), args.force ?? false),
  }),
}));
