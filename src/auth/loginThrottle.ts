import type { PrismaClient } from '../generated/prisma/client.js';

/**
 * The login throttle: failed logins are recorded, and after FREE_FAILURES of them within WINDOW_MS for one
 * username (or FREE_FAILURES_PER_ADDRESS from one client address: a call centre's agents often share one),
 * each further try waits twice as long as the last (1 s, 2 s, 4 s..., at most MAX_WAIT_MS). Counted in the
 * database, so every API process throttles alike.
 */
export const FREE_FAILURES = 5;
export const FREE_FAILURES_PER_ADDRESS = 50;
export const WINDOW_MS = 15 * 60_000;
export const MAX_WAIT_MS = 15 * 60_000;

/** How long a login for username from address must still wait (ms); 0 when it may try now. */
export async function loginWaitMs(prisma: PrismaClient, username: string, address: string, now = new Date()): Promise<number> {
  const since = new Date(now.getTime() - WINDOW_MS);
  const [byName, byAddress] = await Promise.all([
    prisma.loginFailure.aggregate({ where: { username, at: { gt: since } }, _count: true, _max: { at: true } }),
    prisma.loginFailure.aggregate({ where: { address, at: { gt: since } }, _count: true, _max: { at: true } }),
  ]);
  const wait = (failures: number, free: number, last: Date | null) => {
    if (failures < free || last === null) return 0;
    const delay = Math.min(MAX_WAIT_MS, 1000 * 2 ** (failures - free));
    return Math.max(0, last.getTime() + delay - now.getTime());
  };
  return Math.max(wait(byName._count, FREE_FAILURES, byName._max.at), wait(byAddress._count, FREE_FAILURES_PER_ADDRESS, byAddress._max.at));
}

/** Records a failed login, and forgets those too old to count. */
export async function recordLoginFailure(prisma: PrismaClient, username: string, address: string, now = new Date()): Promise<void> {
  await prisma.$transaction([
    prisma.loginFailure.create({ data: { username, address, at: now } }),
    prisma.loginFailure.deleteMany({ where: { at: { lt: new Date(now.getTime() - WINDOW_MS) } } }),
  ]);
}
