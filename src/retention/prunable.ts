import { Prisma } from '../generated/prisma/client.js';

/**
 * What is kept only for a while: the rows of one table that are older than a cutoff, by one of its timestamps.
 * Attempts (CallAttempt) are never among them: they are the call centre's record.
 */
export type Prunable = {
  /** For the log: `audit log entries`. */
  name: string;
  /** How long a row is kept past its timestamp. */
  keepMs: number;
  /** The rows past the cutoff; each is written for an index the table has, so a prune never scans what it keeps. */
  olderThan(cutoff: Date): Prisma.Sql;
  table: Prisma.Sql;
};

/** Every mutation, by when it ran (AUDIT_LOG_DAYS). */
export function auditLog(keepMs: number): Prunable {
  return { name: 'audit log entries', keepMs, table: Prisma.sql`"AuditEntry"`, olderThan: (cutoff) => Prisma.sql`at < ${cutoff}` };
}

/** Login sessions that ended (expired, or revoked by a logout or a password change) before the cutoff (SESSION_HISTORY_DAYS). */
export function endedSessions(keepMs: number): Prunable {
  return {
    name: 'ended sessions',
    keepMs,
    table: Prisma.sql`"Session"`,
    olderThan: (cutoff) => Prisma.sql`("expiresAt" < ${cutoff} OR "revokedAt" < ${cutoff})`,
  };
}

/**
 * Webhook deliveries the receiver took, by when it took them (WEBHOOK_DELIVERY_DAYS). One still pending is never
 * pruned, however old: it is a result the receiver has not had yet.
 */
export function deliveredWebhooks(keepMs: number): Prunable {
  return {
    name: 'delivered webhook notifications',
    keepMs,
    table: Prisma.sql`"WebhookDelivery"`,
    olderThan: (cutoff) => Prisma.sql`"deliveredAt" < ${cutoff}`,
  };
}
