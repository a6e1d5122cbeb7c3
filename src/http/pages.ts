import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { HttpRoute } from './server.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The pages, at their paths; each is a file of web/. */
const PAGES: Readonly<Record<string, string>> = { '/': 'index.html', '/wallboard': 'wallboard.html', '/dashboard': 'dashboard.html' };

/**
 * The folders of the installed packages the pages import from, served as they are under /vendor/<name>/: nothing
 * is built, on install or after. Only the files the pages name are served (vendorFiles).
 */
const VENDOR: Readonly<Record<string, string>> = {
  preact: 'node_modules/preact/dist',
  'preact-hooks': 'node_modules/preact/hooks/dist',
  htm: 'node_modules/htm/dist',
  uplot: 'node_modules/uplot/dist',
  'graphql-ws': 'node_modules/graphql-ws/dist',
};

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** What a page or module may name: a plain file name, no folder, no dot file, one of the served types. */
const SERVED_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*\.(?:js|css|svg|html)$/;

/** A file as it is served: its bytes, and gzipped once at start for the browsers that take it (all of them). */
type Asset = { body: Buffer; gzipped: Buffer; type: string; etag: string; headers: Readonly<Record<string, string>> };

/**
 * Nothing but our own files and the API's socket: the import map is the one inline script, allowed by its hash.
 * Framing is refused (a wallboard is shown, not embedded) and no referrer leaves the page.
 */
function securityHeaders(inlineScripts: readonly string[]): Record<string, string> {
  const hashes = inlineScripts.map((script) => `'sha256-${createHash('sha256').update(script).digest('base64')}'`);
  return {
    'content-security-policy': [
      "default-src 'self'",
      `script-src 'self' ${hashes.join(' ')}`.trim(),
      "style-src 'self'",
      "img-src 'self' data:",
      "connect-src 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "form-action 'self'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}

function asset(body: Buffer, name: string): Asset {
  const type = TYPES[path.extname(name)] ?? 'application/octet-stream';
  const inline = type.startsWith('text/html') ? [...body.toString('utf8').matchAll(/<script type="importmap">([\s\S]*?)<\/script>/g)].map((match) => match[1] ?? '') : [];
  return { body, gzipped: gzipSync(body, { level: 9 }), type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`, headers: securityHeaders(inline) };
}

/** Every file of a folder that may be served, by name. */
async function folder(relative: string): Promise<Map<string, Asset>> {
  const files = new Map<string, Asset>();
  for (const entry of await readdir(path.join(ROOT, relative), { withFileTypes: true })) {
    if (entry.isFile() && SERVED_NAME.test(entry.name)) files.set(entry.name, asset(await readFile(path.join(ROOT, relative, entry.name)), entry.name));
  }
  return files;
}

/** `/vendor/<name>/<file>` as the pages name it (import maps, stylesheets). */
const VENDOR_URL = /\/vendor\/([\w-]+)\/([\w.-]+)/g;
/** A module's import of a file beside it (`from"./common-x.js"`, `import './x.js'`), as the packages' builds write it. */
const RELATIVE_IMPORT = /(?:from|import)\s*["']\.\/([\w.-]+)["']/g;

/**
 * The vendor files the pages name, and the files those modules import beside them (graphql-ws's client its common
 * chunk), by package: the packages' other builds (CommonJS, UMD, their servers) are neither read nor served. A page
 * naming a file that is not there stops the start, not its first visitor.
 */
async function vendorFiles(pages: Iterable<Asset>): Promise<Map<string, Map<string, Asset>>> {
  const wanted = [...pages].flatMap((page) => [...page.body.toString('utf8').matchAll(VENDOR_URL)].map((match) => [match[1] ?? '', match[2] ?? ''] as const));
  const files = new Map<string, Map<string, Asset>>();
  for (let next = wanted.shift(); next !== undefined; next = wanted.shift()) {
    const [name, file] = next;
    const relative = VENDOR[name];
    if (relative === undefined || !SERVED_NAME.test(file)) throw new Error(`a page names /vendor/${name}/${file}, which is not served`);
    const served = files.get(name) ?? new Map<string, Asset>();
    files.set(name, served);
    if (served.has(file)) continue;
    const read = asset(await readFile(path.join(ROOT, relative, file)), file);
    served.set(file, read);
    if (file.endsWith('.js')) for (const match of read.body.toString('utf8').matchAll(RELATIVE_IMPORT)) wanted.push([name, match[1] ?? '']);
  }
  return files;
}

function send(request: IncomingMessage, response: ServerResponse, file: Asset): void {
  const headers = { ...file.headers, 'content-type': file.type, etag: file.etag, 'cache-control': 'no-cache', vary: 'accept-encoding' };
  if (request.headers['if-none-match'] === file.etag) {
    response.writeHead(304, headers);
    response.end();
    return;
  }
  const gzip = /\bgzip\b/.test(request.headers['accept-encoding'] ?? '');
  const body = gzip ? file.gzipped : file.body;
  response.writeHead(200, { ...headers, ...(gzip ? { 'content-encoding': 'gzip' } : {}), 'content-length': String(body.length) });
  response.end(body);
}

/**
 * The wallboard, the supervisor's dashboard and their modules (web/), with the files of the few packages they import.
 * The files are read once, at start: a page is answered from memory, its modules revalidated by ETag. The pages use only the
 * public GraphQL API, over the same port.
 */
export async function pagesEndpoint(): Promise<HttpRoute> {
  const web = await folder('web');
  const vendors = await vendorFiles([...web.entries()].filter(([name]) => name.endsWith('.html')).map(([, page]) => page));
  return async (request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    const page = PAGES[pathname];
    const [, area, first, second] = pathname.split('/');
    const file =
      page !== undefined
        ? web.get(page)
        : area === 'ui' && first !== undefined && second === undefined
          ? web.get(first)
          : area === 'vendor' && first !== undefined && second !== undefined && pathname.split('/').length === 4
            ? vendors.get(first)?.get(second)
            : undefined;
    if (file === undefined) return false;
    send(request, response, file);
    return true;
  };
}
