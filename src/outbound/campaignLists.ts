import { ValidationError } from '../errors.js';
import type { DialList, PrismaClient } from '../generated/prisma/client.js';
import { progressOfStatuses, type MemberProgress } from './campaignProgress.js';
import { findLiveCampaign } from './campaigns.js';
import { findLiveDialList } from './dialLists.js';
import { isUniqueViolation, orNotFound } from '../db/errors.js';

/**
 * More lists for a campaign to call after its own (WombatDialer's runlists): added or started again while it
 * runs, paused (no member is taken from it; its live calls go on, and the campaign does not end while a list
 * is paused), in the order they were added.
 */

export type CampaignListProgress = MemberProgress & {
  dialList: DialList;
  paused: boolean;
  position: number;
};

async function checkedList(prisma: PrismaClient, campaignId: string, dialListId: string) {
  const campaign = await findLiveCampaign(prisma, campaignId);
  await findLiveDialList(prisma, dialListId);
  if (campaign.dialListId === dialListId) throw ValidationError.of('dialListId', 'is the campaign\'s own list: it is always called');
  const existing = await prisma.campaignList.findUnique({ where: { campaignId_dialListId: { campaignId, dialListId } } });
  if (existing?.role === 'BLACKLIST') throw ValidationError.of('dialListId', 'is a do-not-call list of this campaign: remove it as one first');
  return existing;
}

/** Adds a list for the campaign to call after the others, or lets a paused one be called again. */
export async function startCampaignList(prisma: PrismaClient, campaignId: string, dialListId: string): Promise<CampaignListProgress[]> {
  const key = { campaignId_dialListId: { campaignId, dialListId } };
  const unpause = () => orNotFound(prisma.campaignList.update({ where: key, data: { paused: false } }), 'CampaignList', `${campaignId}/${dialListId}`);
  const existing = await checkedList(prisma, campaignId, dialListId);
  if (existing) {
    await unpause();
  } else {
    const last = await prisma.campaignList.aggregate({ where: { campaignId, role: 'CALLS' }, _max: { position: true } });
    try {
      await prisma.campaignList.create({ data: { campaignId, dialListId, role: 'CALLS', position: (last._max.position ?? -1) + 1 } });
    } catch (error) {
      // Another request added it at the same moment (a double click, two screens): it is there, started.
      if (!isUniqueViolation(error)) throw error;
      await unpause();
    }
  }
  return campaignListProgress(prisma, campaignId);
}

/** Stops taking members from one of the campaign's added lists; a list it does not call is left as it is. */
export async function pauseCampaignList(prisma: PrismaClient, campaignId: string, dialListId: string): Promise<CampaignListProgress[]> {
  await checkedList(prisma, campaignId, dialListId);
  await prisma.campaignList.updateMany({ where: { campaignId, dialListId, role: 'CALLS' }, data: { paused: true } });
  return campaignListProgress(prisma, campaignId);
}

/** The lists added to a campaign to call, in order, with how far each has got. */
export async function campaignListProgress(prisma: PrismaClient, campaignId: string): Promise<CampaignListProgress[]> {
  const entries = await prisma.campaignList.findMany({ where: { campaignId, role: 'CALLS' }, include: { dialList: true }, orderBy: { position: 'asc' } });
  const counts = await prisma.member.groupBy({ by: ['dialListId', 'status'], where: { dialListId: { in: entries.map((entry) => entry.dialListId) } }, _count: { _all: true } });
  return entries.map((entry) => ({
    dialList: entry.dialList,
    paused: entry.paused,
    position: entry.position,
    ...progressOfStatuses(counts.filter((row) => row.dialListId === entry.dialListId)),
  }));
}
