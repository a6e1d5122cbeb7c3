import { hostname } from 'node:os';
import type { SqlDriver } from '../db/driver.js';

/**
 * A dialer process proves it is alive by beating: its DialerProcess row's seenAt, by the database's clock so
 * processes on machines whose clocks differ judge each other alike. One that stops beating for deadAfterMs is
 * dead, and another adopts its dialings (claimOrphaned). A beat costs one row, whatever the dialings it holds.
 */

/** Writes this process's heartbeat (its row on the first beat). */
export async function beat(driver: SqlDriver, owner: string): Promise<void> {
  await driver.withConnection((connection) =>
    connection.query(
      `INSERT INTO "DialerProcess" (id, host, pid, "seenAt") VALUES ($1, $2, $3, now())
       ON CONFLICT (id) DO UPDATE SET "seenAt" = now()`,
      [owner, hostname(), process.pid],
    ),
  );
}

/** Says this process is gone (a graceful stop): its dialings are adopted at once, not after deadAfterMs. */
export async function leave(driver: SqlDriver, owner: string): Promise<void> {
  await driver.withConnection((connection) => connection.query('DELETE FROM "DialerProcess" WHERE id = $1', [owner]));
}

/**
 * Forgets every other dialer process: for a database only this process can open (the embedded one), so
 * whoever beat in it before was this process's predecessor, now dead, and its dialings are adopted at once.
 */
export async function outliveOthers(driver: SqlDriver, owner: string): Promise<void> {
  await driver.withConnection((connection) => connection.query('DELETE FROM "DialerProcess" WHERE id <> $1', [owner]));
}

/** The SQL condition that `ownerColumn` names no dialer process that beat within `deadAfterParam` milliseconds. */
export function ownerDead(ownerColumn: string, deadAfterParam: string): string {
  return `NOT EXISTS (SELECT 1 FROM "DialerProcess" p WHERE p.id = ${ownerColumn} AND p."seenAt" > now() - ${deadAfterParam} * interval '1 millisecond')`;
}
