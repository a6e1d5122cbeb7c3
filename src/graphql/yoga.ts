import type { IncomingMessage, ServerResponse } from 'node:http';
import { PUBLIC_ONLY, type WebhookTargets } from '../webhooks/targets.js';
import { refuseAnonymous } from './anonymous.js';
import { DEFAULT_APPLICATION_POLICY, type ApplicationPolicy } from '../outbound/applications.js';
import { GraphQLError, parse } from 'graphql';
import { createYoga, maskError, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { authenticate, bearerSecret } from '../auth/authenticate.js';
import { CredentialWatch } from '../auth/credentialWatch.js';
import { AuditLog } from '../audit/auditLog.js';
import { CREDENTIALS_TOPIC } from '../bus/credentialChanges.js';
import { endWithCredential } from './revocation.js';
import { costLimit } from './cost.js';
import { bodyLimits, DEFAULT_BODY_LIMITS, type BodyLimits } from './bodyLimits.js';
import type { Viewer } from '../auth/roles.js';
import type { SqlDriver } from '../db/driver.js';
import { AuthenticationError } from '../errors.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { LiveBus } from '../bus/bus.js';
import type { HealthReport } from '../health.js';
import type { PbxActions } from '../pbx/actions.js';
import type { LiveStore } from '../live/store.js';
import type { Logger } from '../logger.js';
import type { Context } from './context.js';
import { exposeExpectedError } from './errors.js';
import { controlCharacterError, controlCharacterPath, controlCharacterRule, maxDepthRule, MAX_LITERAL_NESTING, MAX_QUERY_DEPTH, MAX_QUERY_TOKENS, nestingOf } from './limits.js';
import { schema } from './schema.js';

export type GraphQLOptions = {
  prisma: PrismaClient;
  driver: SqlDriver;
  log: Logger;
  sessionTtlMs: number;
  health: () => Promise<HealthReport>;
  store: LiveStore;
  bus: LiveBus;
  actions: PbxActions;
  /** The dialplan applications destinations may name; the defaults when absent. */
  applications?: ApplicationPolicy;
  /** The addresses webhook receivers may have; public ones only when absent. */
  webhookTargets?: WebhookTargets;
  /** How often open connections' credentials are checked again besides when a change is announced. */
  credentialRecheckMs?: number;
  /** What request bodies may weigh; 4 MB of JSON and 512 MB uploads when absent. */
  bodyLimits?: BodyLimits;
  /** Serve GraphiQL at /graphql to browsers (GRAPHIQL). Default true. */
  graphiql?: boolean;
};

/**
 * What yoga is given besides the request: the Node request and response over HTTP; over graphql-ws, the
 * viewer the socket authenticated as in connection_init (there is no Request then, nor any header).
 */
export type GraphQLServerContext = { req?: IncomingMessage; res?: ServerResponse; socketViewer?: Viewer };

export type SwitchboardYoga = YogaServerInstance<GraphQLServerContext, Context>;

/** Serves GraphQL over HTTP; carries what graphql-ws needs to serve the same schema (attachGraphQLWebSockets). */
export type GraphQLHandler = ((request: IncomingMessage, response: ServerResponse) => Promise<void>) & {
  readonly yoga: SwitchboardYoga;
  readonly prisma: PrismaClient;
  readonly log: Logger;
  /** The credentials of open connections, each ended when its credential stops. */
  readonly credentials: CredentialWatch;
};

const limits: Plugin = {
  onParams({ params, request }) {
    // Over HTTP only: a graphql-ws socket authenticated once, at connection_init, and never comes through here.
    if (!request.headers.get('authorization')) refuseAnonymous(params.query);
    const path = controlCharacterPath(params.variables, 'variables');
    if (path) throw controlCharacterError(path);
  },
  onParse({ setParseFn }) {
    setParseFn((source, options) => {
      const text = typeof source === 'string' ? source : source.body;
      const nesting = nestingOf(text);
      if (nesting > MAX_LITERAL_NESTING) {
        throw new GraphQLError(`Query nests lists and objects ${nesting} deep; the limit is ${MAX_LITERAL_NESTING}`, { extensions: { code: 'QUERY_TOO_DEEP', http: { status: 400 } } });
      }
      return parse(source, { ...options, maxTokens: MAX_QUERY_TOKENS });
    });
  },
  onValidate({ addValidationRule }) {
    addValidationRule(maxDepthRule(MAX_QUERY_DEPTH));
    addValidationRule(controlCharacterRule);
  },
};

async function viewerOf(prisma: PrismaClient, authorization: string | null): Promise<Viewer | null> {
  try {
    const secret = bearerSecret(authorization);
    return secret ? await authenticate(prisma, secret) : null;
  } catch (error) {
    if (error instanceof AuthenticationError) {
      // A bad token refuses the whole request with 401: it never silently downgrades to anonymous.
      throw new GraphQLError(error.message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
    }
    throw error;
  }
}

/** GraphQL over HTTP (yoga, with GraphiQL): authenticates each request and masks unexpected errors. */
export function createGraphQLHandler(options: GraphQLOptions): GraphQLHandler {
  const { prisma, driver, log, sessionTtlMs, health, store, bus, actions } = options;
  const applications = options.applications ?? DEFAULT_APPLICATION_POLICY;
  const webhookTargets = options.webhookTargets ?? PUBLIC_ONLY;
  const audit = new AuditLog(prisma, log);
  const credentials = new CredentialWatch(prisma, { changes: () => bus.subscribe(CREDENTIALS_TOPIC), log, recheckMs: options.credentialRecheckMs });
  const yoga: SwitchboardYoga = createYoga<GraphQLServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql:
      options.graphiql === false ? false : { title: 'Switchboard', defaultQuery: '# Add "Authorization: Bearer <token>" under Headers, then:\n{\n  me { name role }\n}\n' },
    logging: {
      debug: (...args) => log.debug({ args }, 'yoga'),
      info: (...args) => log.info({ args }, 'yoga'),
      warn: (...args) => log.warn({ args }, 'yoga'),
      // Yoga logs, as errors, every error maskError changed: a client's mistakes (a bad id, a role too low)
      // as well as faults. The faults are logged by maskError below, once, as errors; the rest are answers.
      error: (...args) => log.debug({ args }, 'yoga: an error answered to the client'),
    },
    maskedErrors: {
      maskError: (error, message, isDev) =>
        exposeExpectedError(error, (unexpected) => {
          log.error({ err: unexpected }, 'unexpected error in a resolver');
          return maskError(unexpected, message, isDev);
        }),
    },
    // Body limits are bodyLimits' alone: yoga's one limit for every body, and its multipart parser holding each file whole, are off.
    maxRequestBodySize: false,
    multipart: false,
    plugins: [bodyLimits(options.bodyLimits ?? DEFAULT_BODY_LIMITS), limits, costLimit(), endWithCredential(credentials)],
    context: async ({ request, socketViewer, req }) => ({
      prisma,
      driver,
      sessionTtlMs,
      health,
      store,
      bus,
      actions,
      applications,
      webhookTargets,
      audit,
      clientAddress: req?.socket.remoteAddress ?? 'unknown',
      // A graphql-ws operation comes with the viewer its socket authenticated as, and no request.
      viewer: socketViewer ?? (await viewerOf(prisma, request.headers.get('authorization'))),
    }),
  });
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    await yoga(request, response);
  };
  return Object.assign(handle, { yoga, prisma, log, credentials });
}
