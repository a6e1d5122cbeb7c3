import { createApiToken, revokeApiToken, type CreatedApiToken as CreatedApiTokenShape } from '../auth/apiTokens.js';
import { Role } from '../auth/roles.js';
import { createUser, updateUser } from '../auth/users.js';
import { ConflictError, ForbiddenError, ValidationError } from '../errors.js';
import { builder } from './builder.js';
import { NEWEST_FIRST } from './filters.js';
import { localId } from './ids.js';
import { announceCredentialChange } from './revocation.js';
import { CREATE_ERRORS, EDIT_ERRORS, GUARDED_ERRORS } from './errorSets.js';
import { connectionOf } from './connections.js';

export const RoleEnum = builder.enumType(Role, {
  name: 'Role',
  description: 'ADMIN manages users, tokens and PBX servers; SUPERVISOR runs campaigns; VIEWER (wallboards) only reads.',
});

export const UserRef = builder.prismaNode('User', {
  nullable: true,
  description: 'A person who logs in. Admins see every user; a user sees themself.',
  id: { field: 'id' },
  authScopes: (user, context) => context.viewer?.kind === 'user' && context.viewer.id === user.id ? true : { role: 'ADMIN' },
  fields: (t) => ({
    username: t.exposeString('username'),
    displayName: t.exposeString('displayName', { nullable: true }),
    endpoint: t.exposeString('endpoint', { nullable: true, description: 'Their own phone (e.g. PJSIP/2001): where their click-to-call and spying ring.' }),
    role: t.expose('role', { type: RoleEnum }),
    disabled: t.exposeBoolean('disabled', { description: 'A disabled user cannot log in, and their sessions stop at once.' }),
    lastLoginAt: t.expose('lastLoginAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

export const ApiTokenRef = builder.prismaNode('ApiToken', {
  nullable: true,
  description: 'A token for machines and wallboards. Its secret is shown once, when created.',
  id: { field: 'id' },
  authScopes: { role: 'ADMIN' },
  fields: (t) => ({
    name: t.exposeString('name'),
    role: t.expose('role', { type: RoleEnum }),
    prefix: t.exposeString('prefix', { description: 'The first characters of the secret, to tell tokens apart.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
    createdBy: t.relation('createdBy', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const CreatedApiToken = builder.objectRef<CreatedApiTokenShape>('CreatedApiToken').implement({
  fields: (t) => ({
    token: t.field({ type: ApiTokenRef, resolve: (created) => created.token }),
    secret: t.exposeString('secret', { description: 'Shown only now: store it, it cannot be read again.' }),
  }),
});

const CreateUserInput = builder.inputType('CreateUserInput', {
  fields: (t) => ({
    username: t.string({ required: true }),
    displayName: t.string(),
    endpoint: t.string({ description: 'Their own phone as Asterisk dials it (e.g. PJSIP/2001).' }),
    role: t.field({ type: RoleEnum, required: true }),
    password: t.string({ required: true, description: 'At least 10 characters; stored only as a scrypt hash.' }),
  }),
});

const UpdateUserInput = builder.inputType('UpdateUserInput', {
  fields: (t) => ({
    username: t.string(),
    displayName: t.string(),
    endpoint: t.string({ description: 'Their own phone as Asterisk dials it (e.g. PJSIP/2001).' }),
    role: t.field({ type: RoleEnum }),
    password: t.string(),
    disabled: t.boolean(),
  }),
});

builder.queryFields((t) => ({
  users: t.prismaConnection(
    {
      type: 'User',
      cursor: 'id',
      authScopes: { role: 'ADMIN' },
      totalCount: (_connection, _args, context) => context.prisma.user.count(),
      resolve: (query, _root, _args, context) => context.prisma.user.findMany({ ...query, orderBy: { username: 'asc' } }),
    },
    ...connectionOf('User'),
  ),
  apiTokens: t.prismaConnection(
    {
      type: 'ApiToken',
      cursor: 'id',
      authScopes: { role: 'ADMIN' },
      description: 'Every API token, revoked ones included, newest first; secrets are never shown.',
      totalCount: (_connection, _args, context) => context.prisma.apiToken.count(),
      resolve: (query, _root, _args, context) => context.prisma.apiToken.findMany({ ...query, orderBy: NEWEST_FIRST }),
    },
    ...connectionOf('ApiToken'),
  ),
}));

builder.mutationFields((t) => ({
  createUser: t.field({
    type: UserRef,
    authScopes: { role: 'ADMIN' },
    errors: { types: [ValidationError, ConflictError, ForbiddenError] },
    args: { input: t.arg({ type: CreateUserInput, required: true }) },
    resolve: (_root, args, context) => createUser(context.prisma, args.input),
  }),
  updateUser: t.field({
    type: UserRef,
    authScopes: { role: 'ADMIN' },
    errors: GUARDED_ERRORS,
    description: 'Changes a user; disabled: true or a new password ends their sessions at once.',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateUserInput, required: true }) },
    resolve: async (_root, args, context) => {
      const user = await updateUser(context.prisma, localId(args.id, 'User'), args.input, context.viewer?.kind === 'user' ? context.viewer.id : null);
      // Disabled, a new password or a new role: the user's open sockets and streams are checked again.
      announceCredentialChange(context.bus, { kind: 'user', id: user.id });
      return user;
    },
  }),
  createApiToken: t.field({
    type: CreatedApiToken,
    authScopes: { role: 'ADMIN' },
    errors: CREATE_ERRORS,
    args: {
      name: t.arg.string({ required: true }),
      role: t.arg({ type: RoleEnum, required: true }),
      expiresAt: t.arg({ type: 'DateTime', required: false }),
    },
    resolve: (_root, args, context) => {
      if (!context.viewer) throw new ForbiddenError('Authentication required', 'ADMIN');
      return createApiToken(context.prisma, {
        name: args.name,
        role: args.role,
        expiresAt: args.expiresAt ?? null,
        createdById: context.viewer.kind === 'user' ? context.viewer.id : null,
      });
    },
  }),
  revokeApiToken: t.field({
    type: ApiTokenRef,
    authScopes: { role: 'ADMIN' },
    errors: EDIT_ERRORS,
    description: 'Ends a token at once: its next request is refused.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, context) => {
      const token = await revokeApiToken(context.prisma, localId(args.id, 'ApiToken'));
      announceCredentialChange(context.bus, { kind: 'apiToken', id: token.id });
      return token;
    },
  }),
}));
