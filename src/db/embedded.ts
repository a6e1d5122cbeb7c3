import type { PGlite, Transaction } from '@electric-sql/pglite';
import { quoteIdentifier, type SqlConnection, type SqlDriver } from './driver.js';

type PGliteQueryable = PGlite | Transaction;

/** PGlite has no COPY FROM STDIN; it reads COPY data from a blob, so rows are sent in bounded chunks. */
const COPY_CHUNK_BYTES = 8 * 1024 * 1024;

function connectionOf(db: PGliteQueryable): SqlConnection {
  return {
    async query<Row extends Record<string, unknown>>(sql: string, params?: unknown[]) {
      const result = await db.query<Row>(sql, params);
      return result.rows;
    },
    async exec(sql) {
      await db.exec(sql);
    },
    async copyFrom(table, columns, rows) {
      const columnList = columns.map(quoteIdentifier).join(', ');
      const statement = `COPY ${quoteIdentifier(table)} (${columnList}) FROM '/dev/blob'`;
      let parts: string[] = [];
      let size = 0;
      const flush = async () => {
        if (parts.length === 0) return;
        await db.query(statement, [], { blob: new Blob(parts) });
        parts = [];
        size = 0;
      };
      for await (const row of rows) {
        parts.push(row);
        size += row.length;
        if (size >= COPY_CHUNK_BYTES) await flush();
      }
      await flush();
    },
  };
}

/** The embedded database: one PGlite instance, shared with Prisma's adapter. */
export function createEmbeddedDriver(pglite: PGlite): SqlDriver {
  return {
    kind: 'embedded',
    async withConnection(work, options) {
      if (options?.transaction) return pglite.transaction((tx) => work(connectionOf(tx)));
      return work(connectionOf(pglite));
    },
    async close() {
      await pglite.close();
    },
  };
}
