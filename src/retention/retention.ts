import type { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import { runEvery, type PeriodicJob } from '../periodicJob.js';
import type { Prunable } from './prunable.js';

/** Rows deleted per statement: a year of rows goes in short steps, never one long lock. */
const BATCH = 5_000;
/** How often old rows are looked for. */
export const PRUNE_INTERVAL_MS = 3_600_000;

/** Deletes the rows of `what` from before `cutoff`, in batches; returns how many went. */
export async function prune(prisma: PrismaClient, what: Prunable, cutoff: Date): Promise<number> {
  let deleted = 0;
  for (;;) {
    const batch = await prisma.$executeRaw`
      DELETE FROM ${what.table} WHERE id IN (SELECT id FROM ${what.table} WHERE ${what.olderThan(cutoff)} LIMIT ${BATCH})`;
    deleted += batch;
    if (batch < BATCH) return deleted;
  }
}

/**
 * Keeps each of `kept` to its age: pruned at start and every hour after. Every API process may run one; they
 * delete the same rows at most. A failure (the database away) is logged and tried next time.
 */
export function startRetention(options: { prisma: PrismaClient; kept: readonly Prunable[]; log: Logger; intervalMs?: number; now?: () => Date }): PeriodicJob {
  const { prisma, kept, log } = options;
  const now = options.now ?? (() => new Date());
  const pruneAll = async () => {
    for (const what of kept) {
      try {
        const deleted = await prune(prisma, what, new Date(now().getTime() - what.keepMs));
        if (deleted > 0) log.info({ deleted, keepDays: what.keepMs / 86_400_000 }, `pruned old ${what.name}`);
      } catch (error) {
        log.warn({ err: error }, `could not prune old ${what.name}; trying again later`);
      }
    }
  };
  return runEvery(options.intervalMs ?? PRUNE_INTERVAL_MS, pruneAll, { atStart: true });
}
