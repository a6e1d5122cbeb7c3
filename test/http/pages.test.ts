import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { get, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { pagesEndpoint } from '../../src/http/pages.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';

/** A GET with exactly these headers (fetch would ask for gzip itself and unzip the answer), its body as sent. */
function request(url: string, headers: Record<string, string>): Promise<{ headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

/** The pages and the modules they import, as the HTTP server serves them: only those files, with their policy. */
describe('the pages route', () => {
  let server: HttpServer;
  let base: string;
  beforeAll(async () => {
    server = await createHttpServer({ health: async () => ({ ok: true, checks: [], uptimeSec: 1 }), routes: [await pagesEndpoint()], log: createLogger('silent') }).listen(0, '127.0.0.1');
    base = server.url.replace('/graphql', '');
  });
  afterAll(async () => server.close());

  it('serves the wallboard with a script policy that allows its own files and its import map, by hash, and nothing else', async () => {
    const response = await fetch(`${base}/wallboard`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toBe(await readFile('web/wallboard.html', 'utf8'));
    const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const hash = createHash('sha256').update(importMap).digest('base64');
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain(`script-src 'self' 'sha256-${hash}'`);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("connect-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    // Every module the import map names is served.
    for (const url of Object.values((JSON.parse(importMap) as { imports: Record<string, string> }).imports)) {
      const module = await fetch(`${base}${url}`);
      expect([url, module.status, module.headers.get('content-type')]).toEqual([url, 200, 'text/javascript; charset=utf-8']);
    }
  });

  it('sends gzipped files to a client that takes them, and the same bytes once unzipped', async () => {
    const response = await request(`${base}/vendor/uplot/uPlot.esm.js`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.headers.vary).toBe('accept-encoding');
    const raw = await readFile('node_modules/uplot/dist/uPlot.esm.js');
    expect(response.body.length).toBeLessThan(raw.length / 2);
    expect(gunzipSync(response.body).equals(raw)).toBe(true);
    const plain = await request(`${base}/vendor/uplot/uPlot.esm.js`, {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(raw)).toBe(true);
  });

  it('answers 304 for a module the browser already has, by its ETag', async () => {
    const first = await fetch(`${base}/ui/wallboard.js`);
    const etag = first.headers.get('etag');
    expect(first.headers.get('cache-control')).toBe('no-cache');
    expect(etag).toMatch(/^"[\w-]{22}"$/);
    const again = await fetch(`${base}/ui/wallboard.js`, { headers: { 'if-none-match': etag ?? '' } });
    expect(again.status).toBe(304);
  });

  it('serves nothing outside its files: no parent folder, no other file or build of a package, no folder', async () => {
    const server404 = async (path: string) => (await fetch(`${base}${path}`)).status;
    for (const path of ['/ui/..%2Fpackage.json', '/ui/%2E%2E/package.json', '/ui/tsconfig.json', '/ui/', '/vendor/preact/../package.json', '/vendor/preact/package.json', '/vendor/left-pad/index.js', '/vendor/preact/dist/preact.module.js', '/ui/wallboard.js/x', '/vendor/preact/preact.umd.js', '/vendor/graphql-ws/index.js']) {
      expect([path, await server404(path)]).toEqual([path, 404]);
    }
  });
});
