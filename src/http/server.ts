import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { HealthReport } from '../health.js';
import type { Logger } from '../logger.js';

export type HttpOptions = {
  /** Serves everything under /graphql; absent on a worker or dialer, which serves /health (and its routes) alone. */
  graphql?: (request: IncomingMessage, response: ServerResponse) => Promise<void>;
  health: () => Promise<HealthReport>;
  /**
   * Another protocol on the same server and port (graphql-ws upgrades at /graphql), attached when the
   * server is created; what it returns is awaited first on close, so its sockets end before the server.
   */
  attach?: (server: Server) => () => Promise<void>;
  /** More GET endpoints (/metrics, CSV exports), asked in order before GraphQL; each answers true when the request was its own. */
  routes?: readonly HttpRoute[];
  /** Where a request that failed unexpectedly is told. */
  log: Logger;
};

export type HttpRoute = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;

export type HttpServer = { server: Server; url: string; close(): Promise<void> };

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** A request whose handling threw: a 500 if nothing was sent yet, else the stream cut (the client sees it broke off). */
function answerFailure(log: Logger, request: IncomingMessage, response: ServerResponse, error: unknown): void {
  log.error({ err: error, method: request.method, url: request.url }, 'request failed');
  if (response.headersSent) response.destroy(error instanceof Error ? error : new Error(String(error)));
  else sendJson(response, 500, { errors: [{ message: 'Unexpected error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
}

/** Asks each route in turn, true once one answered. */
async function answeredByRoute(routes: readonly HttpRoute[], request: IncomingMessage, response: ServerResponse): Promise<boolean> {
  for (const route of routes) if (await route(request, response)) return true;
  return false;
}

/** How long a connection answered before its request body was read may go on sending before it is cut. */
const UNREAD_BODY_GRACE_MS = 5_000;

/**
 * A request answered before its body was read to the end (refused over its limit, or not allowed to upload)
 * leaves the rest of that body on the connection, where the next request would be looked for. The connection
 * is closed instead: our side ends once the answer is out, what the client still sends is read and dropped
 * so it gets the answer rather than a reset, and after a grace period it is cut.
 */
function closeUnread(request: IncomingMessage, socket: Socket): void {
  if (request.complete || socket.destroyed) return;
  request.resume();
  socket.end();
  setTimeout(() => socket.destroy(), UNREAD_BODY_GRACE_MS).unref();
}

/** One HTTP server: GraphQL at /graphql, GET /health and the extra routes, with body limits in front. */
export function createHttpServer(options: HttpOptions) {
  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.url === '/health' && request.method === 'GET') {
      const report = await options.health();
      sendJson(response, report.ok ? 200 : 503, report);
      return;
    }
    if (request.method === 'GET' && (await answeredByRoute(options.routes ?? [], request, response))) return;
    if (!options.graphql) {
      sendJson(response, 404, { errors: [{ message: 'This process is a worker or a dialer: it serves GET /health and GET /metrics only' }] });
      return;
    }
    // Taken now: once the answer is out, the response has let go of its socket.
    const { socket } = request;
    response.once('finish', () => closeUnread(request, socket));
    await options.graphql(request, response);
  }
  // Node ignores what a request listener returns: a rejection here would be unhandled and the client left waiting.
  const server = createServer((request, response) => void answer(request, response).catch((error: unknown) => answerFailure(options.log, request, response, error)));
  const detach = options.attach?.(server);

  return {
    server,
    async listen(port: number, host: string): Promise<HttpServer> {
      await new Promise<void>((resolve) => server.listen(port, host, resolve));
      const address = server.address() as AddressInfo;
      const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
      return {
        server,
        url: `http://${shownHost}:${address.port}/graphql`,
        close: async () => {
          await detach?.();
          await new Promise<void>((resolve, reject) => {
            server.closeAllConnections();
            server.close((error) => (error ? reject(error) : resolve()));
          });
        },
      };
    },
  };
}
