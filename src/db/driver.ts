/** One connection's worth of raw SQL, below Prisma: what migrations and bulk loads need. */
export interface SqlConnection {
  query<Row extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script of several statements. */
  exec(sql: string): Promise<void>;
  /** Loads rows in PostgreSQL's COPY text format (tab-separated, `\N` for null, one row a line). */
  copyFrom(table: string, columns: readonly string[], rows: AsyncIterable<string>): Promise<void>;
}

/** The database under Prisma, reachable without it. */
export interface SqlDriver {
  readonly kind: 'postgresql' | 'embedded';
  /** Runs `work` on one connection; with `transaction`, inside BEGIN/COMMIT, rolled back if it throws. */
  withConnection<T>(work: (connection: SqlConnection) => Promise<T>, options?: { transaction?: boolean }): Promise<T>;
  close(): Promise<void>;
}

/** Quotes an identifier for SQL built from trusted names (tables and columns of this schema). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
