import type { Server } from 'node:http';
import type { CredentialWatch } from './auth/credentialWatch.js';
import { attachGraphQLWebSockets } from './graphql/liveSockets.js';
import { createGraphQLHandler, type GraphQLOptions } from './graphql/yoga.js';
import { metricsEndpoint } from './http/metricsEndpoint.js';
import { pagesEndpoint } from './http/pages.js';
import { createHttpServer, type HttpServer } from './http/server.js';
import { attemptsCsvEndpoint } from './reports/attemptsCsvEndpoint.js';

export type Listen = { port: number; host: string };

export type Api = HttpServer & {
  /** The same endpoint for graphql-ws: ws://host:port/graphql. */
  wsUrl: string;
  /** The open connections' credentials, each ended when its credential stops. */
  credentials: CredentialWatch;
};

/**
 * The API as every api process serves it (main.ts, and the tests through the same function): GraphQL over HTTP
 * and graphql-ws on one port at /graphql, /health, /metrics, the attempts CSV export and the pages (/wallboard).
 */
export async function startApi(options: GraphQLOptions & Listen): Promise<Api> {
  const { prisma, log, health } = options;
  const graphql = createGraphQLHandler(options);
  const http = await createHttpServer({
    graphql,
    health,
    attach: (server: Server) => attachGraphQLWebSockets(server, graphql),
    routes: [metricsEndpoint(prisma, log), attemptsCsvEndpoint(prisma, log), await pagesEndpoint()],
    log,
  }).listen(options.port, options.host);
  return { ...http, wsUrl: http.url.replace(/^http/, 'ws'), credentials: graphql.credentials };
}

/** What a worker or dialer process serves: /health and /metrics, no GraphQL. */
export async function startStatusServer(options: Pick<GraphQLOptions, 'prisma' | 'log' | 'health'> & Listen): Promise<HttpServer> {
  const { prisma, log, health } = options;
  return createHttpServer({ health, routes: [metricsEndpoint(prisma, log)], log }).listen(options.port, options.host);
}
