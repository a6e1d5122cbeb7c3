/**
 * The embedded database in a thread of its own: PGlite runs every statement here, so a slow one (a bulk import,
 * a report) never holds up the main thread's HTTP, WebSockets, AMI ingest or /health. Loaded by
 * embeddedClient.ts; it answers each request by its id, as many at once as PGlite allows.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { messages, PGlite, type Transaction } from '@electric-sql/pglite';
import type { EmbeddedReply, EmbeddedRequest, EmbeddedWorkerOptions, SentError } from './embeddedProtocol.js';

function mainThread(): MessagePort {
  if (parentPort === null) throw new Error('embeddedWorker.ts runs only as a worker thread');
  return parentPort;
}

const port = mainThread();
const options = workerData as EmbeddedWorkerOptions;
const pglite = await PGlite.create({ dataDir: options.dataDir, loadDataDir: options.snapshot, ...options.runtime });
// ANALYZE samples 300 rows per unit of this target: at 30 (PostgreSQL's default is 100) a statistics refresh of a
// table of millions holds the one connection about 100 ms instead of 450, and the plans here need no finer view.
await pglite.exec('SET default_statistics_target = 30');

type Open = { tx: Transaction; end: (failed: boolean) => void; finished: Promise<unknown> };
const transactions = new Map<number, Open>();
let lastTransaction = 0;

function transaction(tx: number): Transaction {
  const open = transactions.get(tx);
  if (open === undefined) throw new Error(`No transaction ${tx}: it has ended`);
  return open.tx;
}

function queryable(tx: number | undefined): PGlite | Transaction {
  return tx === undefined ? pglite : transaction(tx);
}

/** Starts a transaction that stays open, across requests, until `end`. */
function begin(): Promise<number> {
  return new Promise((resolve, reject) => {
    const id = ++lastTransaction;
    const finished = pglite
      .transaction(async (tx) => {
        const ended = new Promise<boolean>((end) => {
          transactions.set(id, { tx, end, finished });
          resolve(id);
        });
        if (await ended) throw new Error('rolled back');
      })
      .catch((error: unknown) => {
        if (!transactions.has(id)) reject(error);
      });
  });
}

async function end(tx: number, failed: boolean): Promise<void> {
  const open = transactions.get(tx);
  if (open === undefined) return;
  open.end(failed);
  await open.finished;
  transactions.delete(tx);
}

async function handle(request: EmbeddedRequest): Promise<unknown> {
  switch (request.op) {
    case 'query': {
      const parsers = Object.fromEntries(request.rawTypes.map((type) => [type, (text: string) => text]));
      const blob = request.blob === undefined ? undefined : new Blob(request.blob);
      const result = await queryable(request.tx).query(request.sql, request.params, { rowMode: request.rowMode, parsers, ...(blob ? { blob } : {}) });
      return { rows: result.rows, fields: result.fields.map(({ name, dataTypeID }) => ({ name, dataTypeID })), affectedRows: result.affectedRows };
    }
    case 'exec':
      await queryable(request.tx).exec(request.sql);
      return null;
    case 'begin':
      return begin();
    case 'rollback':
      await transaction(request.tx).rollback();
      return null;
    case 'end':
      return end(request.tx, request.failed);
    case 'dump':
      return new Blob([await (await pglite.dumpDataDir('gzip')).arrayBuffer()]);
    case 'close':
      await pglite.close();
      return null;
  }
}

/** A PostgreSQL error's own fields: what Prisma's adapter and the callers read (not the query and its options, which hold functions). */
const DATABASE_ERROR_FIELDS = [
  'name', 'length', 'severity', 'code', 'detail', 'hint', 'position', 'internalPosition', 'internalQuery', 'where', 'schema', 'table', 'column',
  'dataType', 'constraint', 'file', 'line', 'routine',
] as const;

function sent(error: unknown): SentError {
  if (error instanceof messages.DatabaseError) {
    return { database: true, message: error.message, fields: Object.fromEntries(DATABASE_ERROR_FIELDS.map((field) => [field, error[field]])) };
  }
  return { database: false, message: error instanceof Error ? error.message : String(error), fields: {} };
}

/** Answers a request; a value that cannot cross to the main thread is answered as that error, never left unanswered. */
function answer(id: number, reply: { ok: true; value: unknown } | { ok: false; error: SentError }): void {
  try {
    port.postMessage({ id, ...reply } satisfies EmbeddedReply);
  } catch (error) {
    port.postMessage({ id, ok: false, error: sent(error) } satisfies EmbeddedReply);
  }
}

port.on('message', (request: EmbeddedRequest) => {
  handle(request).then(
    (value) => answer(request.id, { ok: true, value }),
    (error: unknown) => answer(request.id, { ok: false, error: sent(error) }),
  );
});
port.postMessage({ id: 0, ok: true, value: 'ready' } satisfies EmbeddedReply);
