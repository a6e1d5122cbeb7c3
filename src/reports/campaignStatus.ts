import { outcomesOfRun, totalOf } from '../outbound/campaignProgress.js';
import { queueOf } from '../outbound/destinations.js';
import { NotFoundError } from '../errors.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { LiveStore } from '../live/store.js';
import { queueSummaries, type QueueSummary } from './queueSummary.js';

/**
 * A campaign as uContact's campaignstatus shows it: the agents and callers of the queue it sends answered
 * calls to, and its own calls in the current run (completed = put through to an agent, abandoned = answered
 * but hung up before an agent took it).
 */
export type CampaignQueueStatus = {
  campaignId: string;
  /** The open run, or the last one; null before the first start. */
  runId: string | null;
  /** The queue of the campaign's destination; null when it sends calls elsewhere. */
  queueName: string | null;
  /** That queue as the live state shows it now; null when no followed PBX has it. */
  queue: QueueSummary | null;
  attempts: number;
  completed: number;
  abandoned: number;
  /** Abandoned over answered (completed or abandoned), 0-1; null before any answer, and for a BROADCAST, which waits for no agent. */
  abandonRate: number | null;
  liveDialings: number;
};

export async function campaignQueueStatus(prisma: PrismaClient, store: LiveStore, campaignId: string, now = Date.now()): Promise<CampaignQueueStatus> {
  const campaign = await prisma.campaign.findUnique({ where: { id: campaignId }, include: { destination: true, plan: { select: { dialMode: true } } } });
  if (!campaign) throw new NotFoundError('Campaign', campaignId);
  const queueName = queueOf(campaign.destination);
  const run = await prisma.campaignRun.findFirst({ where: { campaignId }, orderBy: { startedAt: 'desc' }, select: { id: true } });
  // The totals recording keeps (RunOutcome): the same cost for a run of ten attempts or ten million.
  const [outcomes, liveDialings, summaries] = await Promise.all([
    run ? outcomesOfRun(prisma, run.id) : [],
    prisma.dialing.count({ where: { campaignId } }),
    queueName === null ? [] : queueSummaries(store, campaign.pbxServer ?? undefined, now),
  ]);
  const attempts = totalOf(outcomes, (outcome) => outcome.count);
  const completed = totalOf(outcomes, (outcome) => outcome.bridged);
  const abandoned = totalOf(outcomes, (outcome) => (outcome.outcome === 'ABANDONED' ? outcome.count : 0));
  const answered = completed + abandoned;
  return {
    campaignId,
    runId: run?.id ?? null,
    queueName,
    // Without a server of its own the campaign dials the first connected one: the first (by name) with the queue.
    queue: summaries.find((summary) => summary.queue === queueName) ?? null,
    attempts,
    completed,
    abandoned,
    abandonRate: answered === 0 || campaign.plan.dialMode === 'BROADCAST' ? null : abandoned / answered,
    liveDialings,
  };
}
