import { login, logout, type LoginResult } from '../auth/sessions.js';
import { GraphQLError } from 'graphql';
import { loginWaitMs, recordLoginFailure } from '../auth/loginThrottle.js';
import { AuthenticationError, ValidationError } from '../errors.js';
import type { Viewer } from '../auth/roles.js';
import { builder } from './builder.js';
import { announceCredentialChange } from './revocation.js';
import { RoleEnum, UserRef } from './users.js';

const ViewerKind = builder.enumType('ViewerKind', { values: ['USER', 'API_TOKEN'] as const });

const ViewerRef = builder.objectRef<Viewer>('Viewer').implement({
  description: 'Who is calling.',
  fields: (t) => ({
    kind: t.field({ type: ViewerKind, resolve: (viewer) => (viewer.kind === 'user' ? 'USER' : 'API_TOKEN') }),
    name: t.exposeString('name', { description: 'The username, or the API token\'s name.' }),
    role: t.expose('role', { type: RoleEnum }),
    user: t.prismaField({
      type: 'User',
      nullable: true,
      resolve: (query, viewer, _args, context) =>
        viewer.kind === 'user' ? context.prisma.user.findUnique({ ...query, where: { id: viewer.id } }) : null,
    }),
  }),
});

const Session = builder.objectRef<LoginResult>('Session').implement({
  fields: (t) => ({
    token: t.exposeString('token', { description: 'Send as "Authorization: Bearer <token>".' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    user: t.field({ type: UserRef, resolve: (session) => session.user }),
  }),
});

builder.queryField('me', (t) =>
  t.field({
    type: ViewerRef,
    authScopes: { role: 'VIEWER' },
    resolve: (_root, _args, context) => context.viewer as Viewer,
  }),
);

builder.mutationFields((t) => ({
  login: t.field({
    type: Session,
    // The one door open without a token.
    authScopes: () => true,
    errors: { types: [AuthenticationError] },
    args: { username: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: async (_root, args, context) => {
      const waitMs = await loginWaitMs(context.prisma, args.username, context.clientAddress);
      if (waitMs > 0) {
        const seconds = Math.ceil(waitMs / 1000);
        throw new GraphQLError(`Too many failed logins for this user or from this address: try again in ${seconds} s`, {
          extensions: { code: 'TOO_MANY_REQUESTS', retryAfterSec: seconds, http: { status: 429, headers: { 'Retry-After': String(seconds) } } },
        });
      }
      const session = await login(context.prisma, args.username, args.password, context.sessionTtlMs).catch(async (error: unknown) => {
        if (error instanceof AuthenticationError) await recordLoginFailure(context.prisma, args.username, context.clientAddress);
        throw error;
      });
      // The rest of this response is for the person who just logged in (they may see their own user).
      const { user } = session;
      context.viewer = { kind: 'user', id: user.id, name: user.username, role: user.role, sessionId: session.sessionId };
      return session;
    },
  }),
  logout: t.field({
    type: 'Boolean',
    authScopes: { role: 'VIEWER' },
    errors: { types: [ValidationError] },
    description: 'Ends the session whose token made this request.',
    resolve: async (_root, _args, context) => {
      const sessionId = context.viewer?.sessionId;
      if (!sessionId) throw ValidationError.of('token', 'API tokens end with revokeApiToken, not logout');
      await logout(context.prisma, sessionId);
      announceCredentialChange(context.bus, { kind: 'session', id: sessionId });
      return true;
    },
  }),
}));
