import type { SqlDriver } from '../db/driver.js';

/** A delivery taken for sending, with what sending it needs. */
export type ClaimedDelivery = { id: string; webhookId: string; memberId: string | null; tries: number; payload: unknown; url: string; secret: string };

/**
 * Takes up to `howMany` due deliveries for `leaseMs`: their nextTryAt moves to the lease's end, so no other
 * deliverer takes them meanwhile, and one that died mid-send leaves them to be sent again when it runs out.
 * Only the oldest pending delivery of a member (per webhook) is due: the next waits until it is delivered.
 * A disabled webhook's deliveries wait, and go out once it is enabled again.
 * SKIP LOCKED lets several deliverers claim at once without waiting on each other or taking the same row.
 */
export async function claimDue(driver: SqlDriver, options: { now: Date; howMany: number; leaseMs: number }): Promise<ClaimedDelivery[]> {
  return driver.withConnection((connection) =>
    connection.query<ClaimedDelivery>(
      `WITH due AS (
         SELECT d.id FROM "WebhookDelivery" d
           JOIN "Webhook" hook ON hook.id = d."webhookId" AND hook.enabled
          WHERE d.status = 'PENDING' AND d."nextTryAt" <= $1
            AND NOT EXISTS (
              SELECT 1 FROM "WebhookDelivery" earlier
               WHERE earlier."webhookId" = d."webhookId" AND earlier."memberId" = d."memberId"
                 AND earlier.status = 'PENDING' AND earlier.sequence < d.sequence)
          ORDER BY d."nextTryAt", d.sequence
          LIMIT $2
          FOR UPDATE OF d SKIP LOCKED)
       UPDATE "WebhookDelivery" d SET "nextTryAt" = $3
         FROM due, "Webhook" w
        WHERE d.id = due.id AND w.id = d."webhookId"
       RETURNING d.id, d."webhookId", d."memberId", d.tries, d.payload, w.url, w.secret`,
      [options.now, options.howMany, new Date(options.now.getTime() + options.leaseMs)],
    ),
  );
}

export async function markDelivered(driver: SqlDriver, id: string, statusCode: number, now: Date): Promise<void> {
  await driver.withConnection((connection) =>
    connection.query(
      `UPDATE "WebhookDelivery" SET status = 'DELIVERED', tries = tries + 1, "lastStatusCode" = $2, "lastError" = NULL, "deliveredAt" = $3
        WHERE id = $1 AND status = 'PENDING'`,
      [id, statusCode, now],
    ),
  );
}

/** Counts a failed try and sets when the next one is due. */
export async function markFailed(driver: SqlDriver, id: string, failure: { statusCode: number | null; error: string; nextTryAt: Date }): Promise<void> {
  await driver.withConnection((connection) =>
    connection.query(
      `UPDATE "WebhookDelivery" SET tries = tries + 1, "lastStatusCode" = $2, "lastError" = $3, "nextTryAt" = $4
        WHERE id = $1 AND status = 'PENDING'`,
      [id, failure.statusCode, failure.error, failure.nextTryAt],
    ),
  );
}
