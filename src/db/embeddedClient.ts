import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { messages } from '@electric-sql/pglite';
import type { EmbeddedReply, EmbeddedRequest, EmbeddedWorkerOptions, PGliteRuntime, QueryResult, SentError } from './embeddedProtocol.js';

/** Distributes the union over its members, so each request is written without its id. */
type Unsent<T> = T extends unknown ? Omit<T, 'id'> : never;

/** PGlite's query options as pglite-prisma-adapter and the embedded driver use them. */
export type EmbeddedQueryOptions = {
  rowMode?: 'array' | 'object';
  /** By type (OID): turns PostgreSQL's text of a value into what the caller wants. */
  parsers?: Record<number, (text: string, type: number) => unknown>;
};

/** What a query on the embedded database or in one of its transactions can do. */
export interface EmbeddedQueryable {
  query<Row>(sql: string, params?: unknown[], options?: EmbeddedQueryOptions): Promise<QueryResult & { rows: Row[] }>;
  exec(sql: string): Promise<void>;
  /** COPY ... FROM '/dev/blob' with the data in pieces. */
  copy(sql: string, pieces: string[]): Promise<void>;
}

export interface EmbeddedTransaction extends EmbeddedQueryable {
  rollback(): Promise<void>;
}

/**
 * The worker's entry is TypeScript: it is imported through tsx, as the rest of the process is, with tsx's ESM
 * API by its file (the package's `./esm/api` export resolves, under `require`, to a build that fails to load).
 */
function workerEntry(): URL {
  const require = createRequire(import.meta.url);
  const tsx = pathToFileURL(join(dirname(require.resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const entry = new URL('./embeddedWorker.ts', import.meta.url).href;
  const code = `import { tsImport } from ${JSON.stringify(tsx)}; await tsImport(${JSON.stringify(entry)}, import.meta.url);`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

let runtime: Promise<PGliteRuntime> | undefined;

/**
 * PGlite's WebAssembly, compiled once per process, and its file system bundle, read once: each worker would
 * otherwise compile its own, half a second a database (tests open hundreds).
 */
function pgliteRuntime(): Promise<PGliteRuntime> {
  const dist = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  runtime ??= Promise.all([
    readFile(join(dist, 'pglite.wasm')).then((bytes) => WebAssembly.compile(bytes)),
    readFile(join(dist, 'initdb.wasm')).then((bytes) => WebAssembly.compile(bytes)),
    readFile(join(dist, 'pglite.data')).then((bytes) => new Blob([bytes])),
  ]).then(([pgliteWasmModule, initdbWasmModule, fsBundle]) => ({ pgliteWasmModule, initdbWasmModule, fsBundle }));
  return runtime;
}

function received(error: SentError): Error {
  if (!error.database) return new Error(error.message);
  const { name, length, ...fields } = error.fields as { name: messages.MessageName; length: number };
  return Object.assign(new messages.DatabaseError(error.message, length, name), fields);
}

/**
 * The embedded database (PGlite) run in a worker thread (embeddedWorker.ts), with PGlite's own interface as far as
 * pglite-prisma-adapter and the embedded driver use it: queries, scripts, COPY from a blob, and transactions held
 * open across calls. Values cross as structured clones (Dates, BigInts and JSON stay what they are); the types a
 * caller parses itself come back as text and are parsed here, with the caller's parsers.
 */
export class EmbeddedClient implements EmbeddedQueryable {
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private lastId = 0;
  private stopped: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: EmbeddedReply) => {
      const waiting = this.pending.get(reply.id);
      if (waiting === undefined) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(received(reply.error));
    });
    const stop = (error: Error) => {
      this.stopped ??= error;
      for (const waiting of this.pending.values()) waiting.reject(this.stopped);
      this.pending.clear();
    };
    worker.on('error', stop);
    worker.on('exit', (code) => stop(new Error(`The embedded database's thread stopped (exit code ${code})`)));
  }

  /** Starts the worker and opens the database in it; resolves once it is ready. */
  static async start(options: Omit<EmbeddedWorkerOptions, 'runtime'>): Promise<EmbeddedClient> {
    const worker = new Worker(workerEntry(), { workerData: { ...options, runtime: await pgliteRuntime() } satisfies EmbeddedWorkerOptions });
    const client = new EmbeddedClient(worker);
    await new Promise<void>((resolve, reject) => {
      client.pending.set(0, { resolve: () => resolve(), reject });
    });
    return client;
  }

  private call<T>(request: Unsent<EmbeddedRequest>): Promise<T> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = ++this.lastId;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ ...request, id } satisfies EmbeddedRequest);
    });
  }

  query<Row>(sql: string, params: unknown[] = [], options: EmbeddedQueryOptions = {}): Promise<QueryResult & { rows: Row[] }> {
    return this.queryIn(undefined, sql, params, options);
  }

  exec(sql: string): Promise<void> {
    return this.call({ op: 'exec', sql, tx: undefined });
  }

  copy(sql: string, pieces: string[]): Promise<void> {
    return this.copyIn(undefined, sql, pieces);
  }

  /** Runs `work` in a transaction: committed when it returns, unless it rolled back; rolled back when it throws. */
  async transaction<T>(work: (tx: EmbeddedTransaction) => Promise<T>): Promise<T> {
    const tx = await this.call<number>({ op: 'begin' });
    const transaction: EmbeddedTransaction = {
      query: (sql, params = [], options = {}) => this.queryIn(tx, sql, params, options),
      exec: (sql) => this.call({ op: 'exec', sql, tx }),
      copy: (sql, pieces) => this.copyIn(tx, sql, pieces),
      rollback: () => this.call({ op: 'rollback', tx }),
    };
    let result: T;
    try {
      result = await work(transaction);
    } catch (error) {
      await this.call({ op: 'end', tx, failed: true }).catch(() => undefined);
      throw error;
    }
    await this.call({ op: 'end', tx, failed: false });
    return result;
  }

  /** The data folder as a gzipped tarball, for `start({ snapshot })`. */
  dump(): Promise<Blob> {
    return this.call({ op: 'dump' });
  }

  /** Closes the database, then its thread. */
  async close(): Promise<void> {
    await this.call({ op: 'close' });
    await this.worker.terminate();
  }

  private async copyIn(tx: number | undefined, sql: string, pieces: string[]): Promise<void> {
    await this.call({ op: 'query', sql, params: [], rowMode: 'object', rawTypes: [], blob: pieces, tx });
  }

  private async queryIn<Row>(tx: number | undefined, sql: string, params: unknown[], options: EmbeddedQueryOptions): Promise<QueryResult & { rows: Row[] }> {
    const parsers = options.parsers ?? {};
    const rawTypes = Object.keys(parsers).map(Number);
    const result = await this.call<QueryResult>({ op: 'query', sql, params, rowMode: options.rowMode ?? 'object', rawTypes, blob: undefined, tx });
    if (rawTypes.length > 0) parseRows(result, parsers, options.rowMode ?? 'object');
    return result as QueryResult & { rows: Row[] };
  }
}

/** Applies the caller's parsers, in place, to the columns of the types it parses itself. */
function parseRows(result: QueryResult, parsers: NonNullable<EmbeddedQueryOptions['parsers']>, rowMode: 'array' | 'object'): void {
  result.fields.forEach(({ name, dataTypeID }, index) => {
    const parse = parsers[dataTypeID];
    if (parse === undefined) return;
    for (const row of result.rows as (unknown[] | Record<string, unknown>)[]) {
      const key = rowMode === 'array' ? index : name;
      const value = (row as Record<string | number, unknown>)[key];
      if (typeof value === 'string') (row as Record<string | number, unknown>)[key] = parse(value, dataTypeID);
    }
  });
}
