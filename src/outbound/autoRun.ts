import { ConflictError, ValidationError } from '../errors.js';
import type { Campaign, PrismaClient } from '../generated/prisma/client.js';
import { requestCampaignStatus } from './campaigns.js';
import { END_OF_LIST } from '../requesters.js';

/**
 * autoRun (Webitel's `members?autoRun=true`): after members are added to a list, the campaigns that call it
 * and stopped only because their lists ran out start again, as setCampaignStatus would start them. A
 * campaign a person (or its schedule) stopped or paused stays as they left it: new members are no reason to
 * overrule them. A RUNNING campaign needs nothing: it takes new members of its lists at its next tick.
 */

/** A campaign autoRun would have started but the start was refused, and why. */
export type CampaignStartRefusal = { campaign: Campaign; field: string | null; message: string };

export type AutoRunResult = { startedCampaigns: Campaign[]; startRefusals: CampaignStartRefusal[] };

export const NOTHING_STARTED: AutoRunResult = { startedCampaigns: [], startRefusals: [] };

/**
 * Starts every live campaign calling `dialListId` (its own list, or an added list it has not paused) that is
 * STOPPED by the end of its list. A start refused (nothing bounds its pacing) is reported, not thrown: the
 * members are in either way. A campaign another request moved meanwhile is left to that request.
 */
export async function startCampaignsEndedOn(prisma: PrismaClient, dialListId: string, requestedBy: string): Promise<AutoRunResult> {
  const ended = await prisma.campaign.findMany({
    where: {
      inUse: true,
      status: 'STOPPED',
      statusRequestedBy: END_OF_LIST,
      OR: [{ dialListId }, { lists: { some: { dialListId, role: 'CALLS', paused: false } } }],
    },
    orderBy: { name: 'asc' },
  });
  const result: AutoRunResult = { startedCampaigns: [], startRefusals: [] };
  for (const campaign of ended) {
    try {
      result.startedCampaigns.push(await requestCampaignStatus(prisma, campaign, 'RUNNING', false, requestedBy));
    } catch (error) {
      if (error instanceof ValidationError) result.startRefusals.push({ campaign, field: error.problems[0]?.field ?? null, message: error.message });
      else if (!(error instanceof ConflictError)) throw error;
    }
  }
  return result;
}
