import type { EmbeddedClient, EmbeddedQueryable } from './embeddedClient.js';
import { quoteIdentifier, type SqlConnection, type SqlDriver } from './driver.js';

/**
 * PGlite has no COPY FROM STDIN; it reads COPY data from a blob, so rows are sent in bounded chunks, each its
 * own statement: small enough (about 1,500 member rows, 10 ms) that other queries go between them.
 */
const COPY_CHUNK_BYTES = 256 * 1024;

function connectionOf(db: EmbeddedQueryable): SqlConnection {
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
        await db.copy(statement, parts);
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

/** The embedded database: PGlite in its worker thread, shared with Prisma's adapter. */
export function createEmbeddedDriver(client: EmbeddedClient): SqlDriver {
  return {
    kind: 'embedded',
    async withConnection(work, options) {
      if (options?.transaction) return client.transaction((tx) => work(connectionOf(tx)));
      return work(connectionOf(client));
    },
    async close() {
      await client.close();
    },
  };
}
