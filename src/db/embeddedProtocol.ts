/** What the main thread and the embedded database's worker thread say to each other (embeddedWorker.ts, embeddedClient.ts). */

export type EmbeddedWorkerOptions = {
  /** PGlite's data folder; undefined keeps the database in memory. */
  dataDir: string | undefined;
  /** A `dumpDataDir` tarball to start from. */
  snapshot: Blob | undefined;
  /** PGlite's WebAssembly and file system bundle, compiled and read once by the main thread for every worker. */
  runtime: PGliteRuntime;
};

export type PGliteRuntime = { pgliteWasmModule: WebAssembly.Module; initdbWasmModule: WebAssembly.Module; fsBundle: Blob };

export type EmbeddedRequest = { id: number } & (
  | {
      op: 'query';
      sql: string;
      params: unknown[];
      rowMode: 'array' | 'object';
      /** Types (OIDs) to return as PostgreSQL's text, for the caller's own parsers. */
      rawTypes: number[];
      /** COPY ... FROM '/dev/blob': the data, in pieces. */
      blob: string[] | undefined;
      tx: number | undefined;
    }
  | { op: 'exec'; sql: string; tx: number | undefined }
  | { op: 'begin' }
  | { op: 'rollback'; tx: number }
  /** Ends a transaction: committed unless it was rolled back or `failed`. */
  | { op: 'end'; tx: number; failed: boolean }
  /** The data folder as a gzipped tarball (dumpDataDir), to open another database from. */
  | { op: 'dump' }
  | { op: 'close' }
);

export type QueryResult = { rows: unknown[]; fields: { name: string; dataTypeID: number }[]; affectedRows: number | undefined };

/** A PostgreSQL error's own fields (code, detail, constraint...), or another error's message. */
export type SentError = { database: boolean; message: string; fields: Record<string, unknown> };

export type EmbeddedReply = { id: number } & ({ ok: true; value: unknown } | { ok: false; error: SentError });
