import { pino } from 'pino';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { HealthReport } from '../../src/health.js';
import { createHttpServer, type HttpOptions, type HttpServer } from '../../src/http/server.js';

/** The HTTP server alone, its handlers made to fail: an error is answered and told, never left hanging. */
describe('a request whose handler throws', () => {
  const logged: { msg: string; url?: string; err?: { message: string } }[] = [];
  const log = pino(
    new Writable({
      write: (line: Buffer, _encoding, done) => {
        logged.push(JSON.parse(line.toString()));
        done();
      },
    }),
  );
  let server: HttpServer | undefined;
  afterEach(async () => {
    await server?.close();
    logged.length = 0;
  });

  const healthy: HealthReport = { ok: true, checks: [], uptimeSec: 1 };
  const serve = async (options: Partial<HttpOptions>) => {
    server = await createHttpServer({ health: async () => healthy, log, ...options }).listen(0, '127.0.0.1');
    return server.url.replace('/graphql', '');
  };

  it('answers a 500 with a typed error when /health, a route or GraphQL throws before answering, tells the log, and goes on serving', async () => {
    let healthFails = true;
    const base = await serve({
      health: async () => {
        if (healthFails) throw new Error('health exploded');
        return healthy;
      },
      routes: [async (request) => (request.url === '/broken' ? Promise.reject(new Error('route exploded')) : false)],
      graphql: async () => {
        throw new Error('graphql exploded');
      },
    });
    for (const [path, init] of [['/health', {}], ['/broken', {}], ['/graphql', { method: 'POST', body: '{}' }]] as const) {
      const response = await fetch(`${base}${path}`, init);
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ errors: [{ message: 'Unexpected error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    }
    expect(logged.map((line) => [line.msg, line.url, line.err?.message])).toEqual([
      ['request failed', '/health', 'health exploded'],
      ['request failed', '/broken', 'route exploded'],
      ['request failed', '/graphql', 'graphql exploded'],
    ]);
    healthFails = false;
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });

  it('cuts the stream of an answer that fails after it started, so the client sees it broke off', async () => {
    const base = await serve({
      routes: [
        async (_request, response) => {
          response.writeHead(200, { 'content-type': 'text/csv' });
          response.write('id,outcome\n');
          throw new Error('export failed half-way');
        },
      ],
    });
    const response = await fetch(`${base}/export.csv`);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    expect(logged.map((line) => line.err?.message)).toEqual(['export failed half-way']);
  });
});
