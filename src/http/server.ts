import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HealthReport } from '../health.js';

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
};

export type HttpRoute = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;

export type HttpServer = { server: Server; url: string; close(): Promise<void> };

/** JSON bodies above this are refused before parsing; member files go as multipart uploads. */
export const MAX_JSON_BODY_BYTES = 4 * 1024 * 1024;
/** Multipart uploads (member files) above this are refused: a million members is about 60 MB. */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

/** The body limit the request is over, if any, from its declared length. */
function limitExceeded(request: IncomingMessage): number | null {
  const length = Number(request.headers['content-length'] ?? 0);
  const limit = (request.headers['content-type'] ?? '').startsWith('multipart/') ? MAX_UPLOAD_BYTES : MAX_JSON_BODY_BYTES;
  return length > limit ? limit : null;
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** Asks each route in turn; an unexpected failure is a 500 (or a cut stream once the body started). */
async function answeredByRoute(routes: readonly HttpRoute[], request: IncomingMessage, response: ServerResponse): Promise<boolean> {
  try {
    for (const route of routes) if (await route(request, response)) return true;
    return false;
  } catch (error) {
    if (response.headersSent) response.destroy(error as Error);
    else sendJson(response, 500, { errors: [{ message: 'Unexpected error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    return true;
  }
}

/** One HTTP server: GraphQL at /graphql, GET /health and the extra routes, with body limits in front. */
export function createHttpServer(options: HttpOptions) {
  const server = createServer(async (request, response) => {
    if (request.url === '/health' && request.method === 'GET') {
      const report = await options.health();
      sendJson(response, report.ok ? 200 : 503, report);
      return;
    }
    if (request.method === 'GET' && (await answeredByRoute(options.routes ?? [], request, response))) return;
    const limit = limitExceeded(request);
    if (limit !== null) {
      const error = { message: `Request body over ${limit} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE' } };
      sendJson(response, 413, { errors: [error] }, { connection: 'close' });
      return;
    }
    if (!options.graphql) {
      sendJson(response, 404, { errors: [{ message: 'This process is a worker or a dialer: it serves GET /health and GET /metrics only' }] });
      return;
    }
    await options.graphql(request, response);
  });
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
