import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HealthReport } from '../health.js';

export type HttpOptions = {
  /** Serves everything under /graphql; absent on a worker, which serves /health alone. */
  graphql?: (request: IncomingMessage, response: ServerResponse) => Promise<void>;
  health: () => Promise<HealthReport>;
  /**
   * Another protocol on the same server and port (graphql-ws upgrades at /graphql), attached when the
   * server is created; what it returns is awaited first on close, so its sockets end before the server.
   */
  attach?: (server: Server) => () => Promise<void>;
};

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

/** One HTTP server: GraphQL at /graphql and GET /health, with body limits in front. */
export function createHttpServer(options: HttpOptions) {
  const server = createServer(async (request, response) => {
    if (request.url === '/health' && request.method === 'GET') {
      const report = await options.health();
      sendJson(response, report.ok ? 200 : 503, report);
      return;
    }
    const limit = limitExceeded(request);
    if (limit !== null) {
      const error = { message: `Request body over ${limit} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE' } };
      sendJson(response, 413, { errors: [error] }, { connection: 'close' });
      return;
    }
    if (!options.graphql) {
      sendJson(response, 404, { errors: [{ message: 'This process is a worker: it serves GET /health only' }] });
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
