import { createPbxServer, deletePbxServer, updatePbxServer } from '../pbx/servers.js';
import { builder } from './builder.js';
import { NamedFilter, namedWhere, NEWEST_FIRST } from './filters.js';
import { localId } from './ids.js';
import { CREATE_ERRORS, EDIT_ERRORS, GUARDED_ERRORS } from './errorSets.js';
import { connectionOf } from './connections.js';
import { PbxStatusRef } from './liveTypes.js';

const PbxServerRef = builder.prismaNode('PbxServer', {
  nullable: true,
  description: 'An Asterisk AMI endpoint. Its secret can be set but never read back.',
  id: { field: 'id' },
  authScopes: { role: 'VIEWER' },
  fields: (t) => ({
    name: t.exposeString('name'),
    host: t.exposeString('host', { authScopes: { role: 'SUPERVISOR' } }),
    port: t.exposeInt('port', { authScopes: { role: 'SUPERVISOR' } }),
    username: t.exposeString('username', { authScopes: { role: 'ADMIN' } }),
    originatesPerSecond: t.exposeInt('originatesPerSecond', { description: 'Originates per second this server may receive.' }),
    enabled: t.exposeBoolean('enabled'),
    inUse: t.exposeBoolean('inUse'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    deletedAt: t.expose('deletedAt', { type: 'DateTime', nullable: true }),
    status: t.field({
      type: PbxStatusRef,
      nullable: true,
      description: 'What the PBX says of itself now (pbxStatus); null while no worker has heard from it.',
      resolve: (server, _args, context) => context.store.get('pbx', server.name, server.name),
    }),
  }),
});

function serverInputType(name: string, creating: boolean) {
  return builder.inputType(name, {
    fields: (t) => ({
      name: t.string({ required: creating }),
      host: t.string({ required: creating }),
      port: t.int({ description: 'Default 5038.' }),
      username: t.string({ required: creating }),
      secret: t.string({ required: creating, description: 'Write-only.' }),
      originatesPerSecond: t.int({ description: 'Default 20.' }),
      enabled: t.boolean(),
    }),
  });
}

const CreatePbxServerInput = serverInputType('CreatePbxServerInput', true);
const UpdatePbxServerInput = serverInputType('UpdatePbxServerInput', false);

builder.queryField('pbxServers', (t) =>
  t.prismaConnection(
    {
      type: 'PbxServer',
      cursor: 'id',
      authScopes: { role: 'VIEWER' },
      args: { filter: t.arg({ type: NamedFilter }) },
      totalCount: (_connection, args, context) => context.prisma.pbxServer.count({ where: namedWhere(args.filter) }),
      resolve: (query, _root, args, context) =>
        context.prisma.pbxServer.findMany({ ...query, where: namedWhere(args.filter), orderBy: NEWEST_FIRST }),
    },
    ...connectionOf('PbxServer'),
  ),
);

builder.mutationFields((t) => ({
  createPbxServer: t.field({
    type: PbxServerRef,
    authScopes: { role: 'ADMIN' },
    errors: CREATE_ERRORS,
    args: { input: t.arg({ type: CreatePbxServerInput, required: true }) },
    resolve: (_root, args, context) => createPbxServer(context.prisma, args.input),
  }),
  updatePbxServer: t.field({
    type: PbxServerRef,
    authScopes: { role: 'ADMIN' },
    errors: EDIT_ERRORS,
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdatePbxServerInput, required: true }) },
    resolve: (_root, args, context) => updatePbxServer(context.prisma, localId(args.id, 'PbxServer'), args.input),
  }),
  deletePbxServer: t.field({
    type: PbxServerRef,
    authScopes: { role: 'ADMIN' },
    errors: GUARDED_ERRORS,
    description: 'Soft-deletes a server; one with live dialings only with force.',
    args: { id: t.arg.id({ required: true }), force: t.arg.boolean({ defaultValue: false }) },
    resolve: (_root, args, context) => deletePbxServer(context.prisma, localId(args.id, 'PbxServer'), args.force ?? false),
  }),
}));
