import { ConflictError } from '../errors.js';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';

/**
 * Soft-deletes campaigns as part of a forced delete of something they use. A live one is marked
 * FORCE_STOPPING so the dialer hangs up its calls; campaigns that chain to them lose the link.
 */
export async function softDeleteCampaigns(tx: Prisma.TransactionClient, ids: string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await tx.campaign.updateMany({
    where: { id: { in: ids }, status: { not: 'STOPPED' } },
    data: { status: 'FORCE_STOPPING' },
  });
  await tx.campaign.updateMany({ where: { id: { in: ids } }, data: { inUse: false, deletedAt: now } });
  await tx.campaign.updateMany({ where: { nextCampaignId: { in: ids } }, data: { nextCampaignId: null } });
}

/**
 * Deletes something campaigns may use (jade's `force`): refused with a ConflictError naming them while
 * live campaigns use it, unless `force`, which soft-deletes those campaigns in the same transaction.
 */
export async function deleteUsedByCampaigns<T>(
  prisma: PrismaClient,
  subject: string,
  usedBy: Prisma.CampaignWhereInput,
  force: boolean,
  remove: (tx: Prisma.TransactionClient, now: Date, campaignIds: string[]) => Promise<T>,
): Promise<T> {
  return prisma.$transaction(async (tx) => {
    const users = await tx.campaign.findMany({ where: { ...usedBy, inUse: true }, select: { id: true, name: true } });
    if (users.length > 0 && !force) {
      throw new ConflictError(
        `${subject} is used by campaigns ${users.map((c) => c.name).join(', ')}: delete them first or pass force: true`,
        users.map((c) => ({ typename: 'Campaign', id: c.id })),
      );
    }
    const now = new Date();
    const ids = users.map((c) => c.id);
    await softDeleteCampaigns(tx, ids, now);
    return remove(tx, now, ids);
  });
}
