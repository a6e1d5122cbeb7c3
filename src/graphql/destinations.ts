import { DestinationType } from '../generated/prisma/enums.js';
import { createDestination, deleteDestination, updateDestination } from '../outbound/destinations.js';
import { builder } from './builder.js';
import { NamedFilter, namedWhere, NEWEST_FIRST } from './filters.js';
import { localId } from './ids.js';
import { CREATE_ERRORS, EDIT_ERRORS, GUARDED_ERRORS } from './errorSets.js';
import { connectionOf } from './connections.js';

const DestinationTypeEnum = builder.enumType(DestinationType, {
  name: 'DestinationType',
  description: 'EXTENSION sends the answered call to context/exten/priority; APPLICATION runs an application such as Queue or Park.',
});

export const DestinationRef = builder.prismaNode('Destination', {
  nullable: true,
  description: 'Who gets the answered call (jade destination).',
  id: { field: 'id' },
  authScopes: { role: 'VIEWER' },
  fields: (t) => ({
    name: t.exposeString('name'),
    detail: t.exposeString('detail', { nullable: true }),
    type: t.expose('type', { type: DestinationTypeEnum }),
    context: t.exposeString('context', { nullable: true }),
    exten: t.exposeString('exten', { nullable: true }),
    priority: t.exposeString('priority', { nullable: true }),
    application: t.exposeString('application', { nullable: true }),
    data: t.exposeString('data', { nullable: true }),
    variables: t.expose('variables', { type: 'Variables' }),
    inUse: t.exposeBoolean('inUse'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    deletedAt: t.expose('deletedAt', { type: 'DateTime', nullable: true }),
  }),
});

function destinationInputType(name: string, creating: boolean) {
  return builder.inputType(name, {
    fields: (t) => ({
      name: t.string({ required: creating }),
      detail: t.string(),
      type: t.field({ type: DestinationTypeEnum, required: creating }),
      context: t.string({ description: 'EXTENSION: dialplan context.' }),
      exten: t.string({ description: 'EXTENSION: extension.' }),
      priority: t.string({ description: 'EXTENSION: priority or label, default 1.' }),
      application: t.string({ description: 'APPLICATION: e.g. Queue, Park.' }),
      data: t.string({ description: 'APPLICATION: its arguments, e.g. the queue name.' }),
      variables: t.field({ type: 'Variables' }),
    }),
  });
}

const CreateDestinationInput = destinationInputType('CreateDestinationInput', true);
const UpdateDestinationInput = destinationInputType('UpdateDestinationInput', false);

builder.queryField('destinations', (t) =>
  t.prismaConnection(
    {
      type: 'Destination',
      cursor: 'id',
      authScopes: { role: 'VIEWER' },
      args: { filter: t.arg({ type: NamedFilter }) },
      totalCount: (_connection, args, context) => context.prisma.destination.count({ where: namedWhere(args.filter) }),
      resolve: (query, _root, args, context) =>
        context.prisma.destination.findMany({ ...query, where: namedWhere(args.filter), orderBy: NEWEST_FIRST }),
    },
    ...connectionOf('Destination'),
  ),
);

builder.mutationFields((t) => ({
  createDestination: t.field({
    type: DestinationRef,
    authScopes: { role: 'SUPERVISOR' },
    errors: CREATE_ERRORS,
    args: { input: t.arg({ type: CreateDestinationInput, required: true }) },
    resolve: (_root, args, context) => createDestination(context.prisma, args.input, context.applications),
  }),
  updateDestination: t.field({
    type: DestinationRef,
    authScopes: { role: 'SUPERVISOR' },
    errors: EDIT_ERRORS,
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateDestinationInput, required: true }) },
    resolve: (_root, args, context) => updateDestination(context.prisma, localId(args.id, 'Destination'), args.input, context.applications),
  }),
  deleteDestination: t.field({
    type: DestinationRef,
    authScopes: { role: 'SUPERVISOR' },
    errors: GUARDED_ERRORS,
    description: 'Soft-deletes a destination. While live campaigns use it this is a ConflictError, unless force, which deletes them too.',
    args: { id: t.arg.id({ required: true }), force: t.arg.boolean({ defaultValue: false }) },
    resolve: (_root, args, context) => deleteDestination(context.prisma, localId(args.id, 'Destination'), args.force ?? false),
  }),
}));
