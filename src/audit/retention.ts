import type { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';

/** Rows deleted per statement: a year of entries goes in short steps, never one long lock. */
const BATCH = 5_000;
/** How often old entries are looked for. */
export const AUDIT_PRUNE_INTERVAL_MS = 3_600_000;

/** Deletes the audit entries from before `before`, in batches; returns how many went. */
export async function pruneAuditLog(prisma: PrismaClient, before: Date): Promise<number> {
  let deleted = 0;
  for (;;) {
    const batch = await prisma.$executeRaw`
      DELETE FROM "AuditEntry" WHERE id IN (SELECT id FROM "AuditEntry" WHERE at < ${before} LIMIT ${BATCH})`;
    deleted += batch;
    if (batch < BATCH) return deleted;
  }
}

/**
 * Keeps the audit log to its last keepMs: pruned at start and every hour after. Every API process may run
 * one; they delete the same rows at most. A failure (the database away) is logged and tried next time.
 */
export function startAuditRetention(options: { prisma: PrismaClient; keepMs: number; log: Logger; intervalMs?: number; now?: () => Date }): { stop(): Promise<void> } {
  const { prisma, keepMs, log } = options;
  const now = options.now ?? (() => new Date());
  let running: Promise<void> = Promise.resolve();
  const prune = () => {
    running = pruneAuditLog(prisma, new Date(now().getTime() - keepMs)).then(
      (deleted) => {
        if (deleted > 0) log.info({ deleted }, 'pruned old audit log entries');
      },
      (error: unknown) => log.warn({ err: error }, 'could not prune the audit log; trying again later'),
    );
  };
  prune();
  const timer = setInterval(prune, options.intervalMs ?? AUDIT_PRUNE_INTERVAL_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
