import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createYoga, maskError, type Plugin } from 'graphql-yoga';
import { authenticate, bearerSecret } from '../auth/authenticate.js';
import type { Viewer } from '../auth/roles.js';
import type { SqlDriver } from '../db/driver.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Context } from '../graphql/context.js';
import { exposeExpectedError } from '../graphql/errors.js';
import { maxDepthRule, MAX_QUERY_DEPTH, MAX_QUERY_TOKENS } from '../graphql/limits.js';
import { schema } from '../graphql/schema.js';
import type { HealthReport } from '../health.js';
import type { Logger } from '../logger.js';
import { GraphQLError, parse } from 'graphql';
import { AuthenticationError } from '../errors.js';

export type HttpOptions = {
  prisma: PrismaClient;
  driver: SqlDriver;
  log: Logger;
  sessionTtlMs: number;
  health: () => Promise<HealthReport>;
};

export type HttpServer = { server: Server; url: string; close(): Promise<void> };

/** JSON bodies above this are refused before parsing; member files go as multipart uploads. */
export const MAX_JSON_BODY_BYTES = 4 * 1024 * 1024;
/** Multipart uploads (member files) above this are refused: a million members is about 60 MB. */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

const limits: Plugin = {
  onParse({ setParseFn }) {
    setParseFn((source, options) => parse(source, { ...options, maxTokens: MAX_QUERY_TOKENS }));
  },
  onValidate({ addValidationRule }) {
    addValidationRule(maxDepthRule(MAX_QUERY_DEPTH));
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

/** The body limit the request is over, if any, from its declared length. */
function limitExceeded(request: IncomingMessage): number | null {
  const length = Number(request.headers['content-length'] ?? 0);
  const limit = (request.headers['content-type'] ?? '').startsWith('multipart/') ? MAX_UPLOAD_BYTES : MAX_JSON_BODY_BYTES;
  return length > limit ? limit : null;
}

/** GraphQL (with GraphiQL) at /graphql and GET /health on one HTTP server. */
export function createHttpServer(options: HttpOptions) {
  const { prisma, driver, log, sessionTtlMs, health } = options;
  const yoga = createYoga<{ req: IncomingMessage; res: ServerResponse }, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: { title: 'Switchboard', defaultQuery: '# Add "Authorization: Bearer <token>" under Headers, then:\n{\n  me { name role }\n}\n' },
    logging: {
      debug: (...args) => log.debug({ args }, 'yoga'),
      info: (...args) => log.info({ args }, 'yoga'),
      warn: (...args) => log.warn({ args }, 'yoga'),
      error: (...args) => log.error({ args }, 'yoga'),
    },
    maskedErrors: {
      maskError: (error, message, isDev) =>
        exposeExpectedError(error, (unexpected) => {
          log.error({ err: unexpected }, 'unexpected error in a resolver');
          return maskError(unexpected, message, isDev);
        }),
    },
    plugins: [limits],
    context: async ({ request }) => ({
      prisma,
      driver,
      sessionTtlMs,
      health,
      viewer: await viewerOf(prisma, request.headers.get('authorization')),
    }),
  });

  const server = createServer(async (request, response) => {
    if (request.url === '/health' && request.method === 'GET') {
      const report = await health();
      response.writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json' });
      response.end(JSON.stringify(report));
      return;
    }
    const limit = limitExceeded(request);
    if (limit !== null) {
      response.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
      response.end(JSON.stringify({ errors: [{ message: `Request body over ${limit} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] }));
      return;
    }
    await yoga(request, response);
  });

  return {
    server,
    async listen(port: number, host: string): Promise<HttpServer> {
      await new Promise<void>((resolve) => server.listen(port, host, resolve));
      const address = server.address() as AddressInfo;
      const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
      return {
        server,
        url: `http://${shownHost}:${address.port}/graphql`,
        close: () =>
          new Promise<void>((resolve, reject) => {
            server.closeAllConnections();
            server.close((error) => (error ? reject(error) : resolve()));
          }),
      };
    },
  };
}
