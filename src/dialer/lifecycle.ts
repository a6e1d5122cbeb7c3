import type { Campaign, PrismaClient } from '../generated/prisma/client.js';
import type { CampaignStatus } from '../generated/prisma/enums.js';
import { afterCampaign, END_OF_LIST, SCHEDULE, UNKNOWN_REQUESTER } from '../requesters.js';

/**
 * jade's campaign state machine as the dialer completes it: people ask for STARTING, PAUSING, STOPPING
 * and FORCE_STOPPING (setCampaignStatus); the dialer confirms each once it holds, and opens and closes
 * the campaign's runs. Every move is a conditional update, so several dialer processes confirm it once.
 */

type Client = Pick<PrismaClient, 'campaign' | 'campaignRun'>;

/** Moves a campaign from one status to the next if it is still in the first; true when this call moved it. */
async function move(prisma: Client, campaign: Pick<Campaign, 'id'>, from: CampaignStatus, to: CampaignStatus, requestedBy?: string): Promise<boolean> {
  const { count } = await prisma.campaign.updateMany({
    where: { id: campaign.id, status: from },
    data: { status: to, ...(requestedBy ? { statusRequestedBy: requestedBy } : {}) },
  });
  return count === 1;
}

/** The open run of a campaign, opened now if it has none (a start from STOPPED; a resume keeps its run). */
export async function currentRun(prisma: PrismaClient, campaign: Pick<Campaign, 'id' | 'statusRequestedBy'>): Promise<string> {
  const open = await prisma.campaignRun.findFirst({ where: { campaignId: campaign.id, stoppedAt: null }, orderBy: { startedAt: 'desc' } });
  if (open) return open.id;
  const run = await prisma.campaignRun.create({ data: { campaignId: campaign.id, startedBy: campaign.statusRequestedBy ?? UNKNOWN_REQUESTER } });
  return run.id;
}

export async function confirmStart(prisma: PrismaClient, campaign: Campaign): Promise<void> {
  await currentRun(prisma, campaign);
  await move(prisma, campaign, 'STARTING', 'RUNNING');
}

/** Stops a campaign and closes its run together: nobody sees a STOPPED campaign with its run still open. */
async function stop(prisma: PrismaClient, campaign: Pick<Campaign, 'id'>, from: CampaignStatus, stoppedBy: string, requestedBy?: string): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    if (!(await move(tx, campaign, from, 'STOPPED', requestedBy))) return false;
    await tx.campaignRun.updateMany({ where: { campaignId: campaign.id, stoppedAt: null }, data: { stoppedAt: new Date(), stoppedBy } });
    return true;
  });
}

/** PAUSING, STOPPING and FORCE_STOPPING hold once the campaign has no live dialing left. */
export async function settleIfIdle(prisma: PrismaClient, campaign: Campaign, liveDialings: number): Promise<void> {
  if (liveDialings > 0) return;
  if (campaign.status === 'PAUSING') {
    await move(prisma, campaign, 'PAUSING', 'PAUSED');
    return;
  }
  if (campaign.status === 'STOPPING' || campaign.status === 'FORCE_STOPPING') {
    await stop(prisma, campaign, campaign.status, campaign.statusRequestedBy ?? UNKNOWN_REQUESTER);
  }
}

/**
 * The list is exhausted (nothing dialable, nothing live): with STOP_CAMPAIGN the campaign stops and the
 * next one, if set, starts; with KEEP_RUNNING it waits for new members.
 */
export async function endOfList(prisma: PrismaClient, campaign: Campaign): Promise<boolean> {
  if (!(await stop(prisma, campaign, 'RUNNING', END_OF_LIST, END_OF_LIST))) return false;
  if (campaign.nextCampaignId) {
    await prisma.campaign.updateMany({
      where: { id: campaign.nextCampaignId, status: 'STOPPED', inUse: true },
      data: { status: 'STARTING', statusRequestedBy: afterCampaign(campaign.name) },
    });
  }
  return true;
}

/** The schedule opened (start) or closed (stop) since the dialer last looked; acted on once. True when it moved the campaign. */
export async function scheduleEdge(prisma: PrismaClient, campaign: Campaign, open: boolean): Promise<boolean> {
  const { count } = await prisma.campaign.updateMany({
    where: { id: campaign.id, OR: [{ scheduleOpen: null }, { scheduleOpen: !open }] },
    data: { scheduleOpen: open },
  });
  if (count === 0) return false;
  if (open && campaign.status === 'STOPPED') return move(prisma, campaign, 'STOPPED', 'STARTING', SCHEDULE);
  if (!open && (campaign.status === 'RUNNING' || campaign.status === 'STARTING')) return move(prisma, campaign, campaign.status, 'STOPPING', SCHEDULE);
  return false;
}
