import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { quoteIdentifier, type SqlConnection, type SqlDriver } from './driver.js';

function connectionOf(client: pg.PoolClient): SqlConnection {
  return {
    async query(sql, params) {
      const result = await client.query(sql, params);
      return result.rows;
    },
    async exec(sql) {
      await client.query(sql);
    },
    async copyFrom(table, columns, rows) {
      const columnList = columns.map(quoteIdentifier).join(', ');
      const sink = client.query(copyFrom(`COPY ${quoteIdentifier(table)} (${columnList}) FROM STDIN`));
      await pipeline(Readable.from(rows), sink);
    },
  };
}

/**
 * PostgreSQL through a pg pool, the same pool Prisma's adapter uses. `onConnectionError` hears of connections
 * the server dropped (a restart, a terminated backend): pg emits those on the pool for idle clients and on the
 * client itself for one checked out (by this driver or by Prisma), and an unheard one would end the process.
 * The query in flight fails on its own; the pool replaces the connection on its next use.
 */
export function createPostgresDriver(pool: pg.Pool, onConnectionError: (error: Error) => void = () => {}): SqlDriver {
  pool.on('error', onConnectionError);
  pool.on('connect', (client) => client.on('error', onConnectionError));
  return {
    kind: 'postgresql',
    async withConnection(work, options) {
      const client = await pool.connect();
      try {
        if (!options?.transaction) return await work(connectionOf(client));
        await client.query('BEGIN');
        try {
          const result = await work(connectionOf(client));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}
