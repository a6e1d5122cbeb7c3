import type { Server } from 'node:http';
import { getOperationAST, GraphQLError, Kind, type DocumentNode, type ExecutionArgs } from 'graphql';
import { CloseCode, type Context as SocketContext } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { authenticate, bearerSecret } from '../auth/authenticate.js';
import { roleChange, type CredentialEnding } from '../auth/credentialWatch.js';
import type { Viewer } from '../auth/roles.js';
import { AuthenticationError } from '../errors.js';
import { subscriptionClients } from '../metrics/processMetrics.js';
import { endingResult } from './revocation.js';
import { SharedSubscriptions } from './sharedSubscriptions.js';
import type { GraphQLHandler } from './yoga.js';

/** Where graphql-ws listens: yoga's own endpoint, on the same port. */
export const WEBSOCKET_PATH = '/graphql';

/** How long sockets get to close cleanly on shutdown before they are cut. */
const CLOSE_GRACE_MS = 2_000;

/**
 * The close code of a socket whose credential's role changed: not refused (4403), so graphql-ws clients
 * connect again, and get the new role.
 */
export const ROLE_CHANGED_CLOSE_CODE = 4000;

/** A WebSocket close reason is at most 123 bytes. */
function closeReason(message: string): string {
  let reason = message;
  while (Buffer.byteLength(reason) > 123) reason = `${reason.slice(0, -2)}…`;
  return reason;
}

/**
 * The secret a client sent in connection_init: `{ authorization: "Bearer <token>" }` as the HTTP header
 * would say it, or `{ token: "<token>" }`. Throws AuthenticationError when none was sent or it is malformed.
 */
export function connectionSecret(params: Readonly<Record<string, unknown>> | undefined): string {
  const authorization = params?.authorization ?? params?.Authorization;
  if (typeof authorization === 'string' && authorization !== '') {
    const secret = bearerSecret(authorization);
    if (secret) return secret;
  }
  const token = params?.token;
  if (typeof token === 'string' && token.trim() !== '') return token.trim();
  throw new AuthenticationError('Authentication required: send connectionParams { authorization: "Bearer <token>" }');
}

type RootValue = {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
  /** Set when the operation may share its execution with others of the same key (see SharedSubscriptions). */
  shareKey: string | null;
};

/**
 * Subscriptions that are pure event streams: the same operation gives every subscriber the same events from
 * the moment it joins, so one execution can feed them all. (campaignEvents is not: it starts with the
 * campaign's progress as each subscriber joins.)
 */
const SHAREABLE_FIELDS = new Set(['channelEvents', 'queueEvents', 'parkEvents', 'agentEvents', 'deviceEvents']);

/** The key under which this operation's execution is shared, or null when it must run on its own. */
function shareKeyOf(document: DocumentNode, payload: { query: string; operationName?: string | null; variables?: unknown }, viewer: Viewer): string | null {
  const operation = getOperationAST(document, payload.operationName);
  if (operation?.operation !== 'subscription') return null;
  const shareable = operation.selectionSet.selections.every((selection) => selection.kind === Kind.FIELD && SHAREABLE_FIELDS.has(selection.name.value));
  // The role decides what a viewer may see; nothing in these streams depends on who the viewer is beyond it.
  return shareable ? JSON.stringify([viewer.role, payload.operationName ?? null, payload.variables ?? null, payload.query]) : null;
}

/** What a socket authenticated with: its secret is checked again on every operation. */
type Connection = { secret: string; viewer: Viewer; unwatch: () => void };

/** The reason a socket is refused or ended, as its close frame carries it. */
function closeFor(socket: Extra['socket'], ending: CredentialEnding): void {
  socket.close(ending.revoked ? CloseCode.Forbidden : ROLE_CHANGED_CLOSE_CODE, closeReason(ending.reason));
}

/**
 * Serves graphql-ws (the graphql-transport-ws protocol) on server at /graphql with yoga's schema, plugins
 * and context. A socket authenticates in connection_init with the tokens and roles of HTTP, and its
 * credential is checked again on every operation: a missing, unknown, revoked or expired one closes it with
 * 4403 and the reason. Meanwhile its credential is watched: a revocation, logout, disabled user or expiry
 * closes it (4403) within seconds, a role change too (4000, to connect again), ending its subscriptions.
 * Returns how to stop: every socket is closed (1001) and the upgrade listener removed.
 */
export function attachGraphQLWebSockets(server: Server, graphql: GraphQLHandler): () => Promise<void> {
  const { yoga, prisma, log, credentials } = graphql;
  const connections = new WeakMap<object, Connection>();
  const shared = new SharedSubscriptions();
  const wss = new WebSocketServer({ server, path: WEBSOCKET_PATH });
  wss.on('error', (error) => log.warn({ err: error }, 'graphql-ws server error'));

  const refuse = (socket: Extra['socket'], error: AuthenticationError) => {
    log.info({ reason: error.message }, 'graphql-ws credential refused');
    closeFor(socket, { revoked: true, reason: error.message });
  };

  const disposable = useServer<Record<string, unknown> | undefined, Record<PropertyKey, never>>(
    {
      execute: (args) => (args.rootValue as RootValue).execute(args) as never,
      subscribe: (args) => {
        const root = args.rootValue as RootValue;
        const run = () => root.subscribe(args) as never;
        return root.shareKey === null ? run() : (shared.subscribe(root.shareKey, run) as never);
      },
      onConnect: async (ctx: SocketContext<Record<string, unknown> | undefined, Extra>) => {
        const { socket } = ctx.extra;
        try {
          const secret = connectionSecret(ctx.connectionParams);
          const viewer = await authenticate(prisma, secret);
          // Gone while it was being checked: onClose has been and will not come again to stop a watch.
          if (socket.readyState !== socket.OPEN) return false;
          const unwatch = credentials.watch(viewer, (ending) => {
            log.info({ viewer: viewer.name, reason: ending.reason }, 'graphql-ws socket closed: its credential changed');
            closeFor(socket, ending);
          });
          connections.set(ctx, { secret, viewer, unwatch });
          subscriptionClients.inc();
          return true;
        } catch (error) {
          if (!(error instanceof AuthenticationError)) throw error;
          // Closed here to give the reason; returning false then makes graphql-ws close it (a no-op now).
          refuse(socket, error);
          return false;
        }
      },
      // Only called for sockets onConnect accepted, so each counted one is uncounted once.
      onDisconnect: () => subscriptionClients.dec(),
      onClose: (ctx) => connections.get(ctx)?.unwatch(),
      onSubscribe: async (ctx, _id, payload) => {
        const connection = connections.get(ctx);
        if (!connection) {
          ctx.extra.socket.close(CloseCode.Forbidden, 'Forbidden');
          return [new GraphQLError('Forbidden', { extensions: { code: 'UNAUTHENTICATED' } })];
        }
        let viewer: Viewer;
        try {
          viewer = await authenticate(prisma, connection.secret);
        } catch (error) {
          if (!(error instanceof AuthenticationError)) throw error;
          refuse(ctx.extra.socket, error);
          return endingResult({ revoked: true, reason: error.message }).errors;
        }
        const changed = roleChange(connection.viewer, viewer.role);
        if (changed) {
          closeFor(ctx.extra.socket, changed);
          return endingResult(changed).errors;
        }
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          req: ctx.extra.request,
          socketViewer: viewer,
          params: payload,
        });
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        const rootValue: RootValue = { execute, subscribe, shareKey: shareKeyOf(document, payload, viewer) };
        return {
          schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue,
        };
      },
    },
    wss,
  );

  return async () => {
    const cut = setTimeout(() => {
      for (const socket of wss.clients) socket.terminate();
    }, CLOSE_GRACE_MS);
    try {
      await disposable.dispose();
    } finally {
      clearTimeout(cut);
    }
  };
}
