import type { PrismaClient } from '../generated/prisma/client.js';
import type { CallOutcome, CampaignStatus } from '../generated/prisma/enums.js';

/**
 * A campaign's progress as dashboards follow it: its status, its current run's attempts by outcome, its live
 * dialings, and the run's answer and abandon rates (fractions).
 */
export type CampaignProgress = {
  readonly campaignId: string;
  readonly status: CampaignStatus;
  /** The open run, or the last one once stopped; null before the first start. */
  readonly runId: string | null;
  readonly attempts: number;
  readonly outcomes: readonly OutcomeCount[];
  readonly liveDialings: number;
  /** Answered (connected or abandoned) over attempts; null before the first attempt. */
  readonly answerRate: number | null;
  /** Abandoned over answered (the regulators' silent-call rate); null before the first answer. */
  readonly abandonRate: number | null;
  /** Epoch milliseconds it was read at. */
  readonly at: number;
};

export type OutcomeCount = { readonly outcome: CallOutcome; readonly count: number };

/** A run's attempts by outcome, most first. */
export async function outcomesOfRun(prisma: PrismaClient, runId: string): Promise<OutcomeCount[]> {
  const groups = await prisma.callAttempt.groupBy({ by: ['outcome'], where: { runId }, _count: { _all: true } });
  return groups.map((group) => ({ outcome: group.outcome, count: group._count._all })).sort((a, b) => b.count - a.count);
}

const ANSWERED: ReadonlySet<CallOutcome> = new Set(['ANSWERED', 'ABANDONED', 'MACHINE']);

/** The campaign's progress now; null for a campaign that does not exist. */
export async function campaignProgress(prisma: PrismaClient, campaignId: string): Promise<CampaignProgress | null> {
  const campaign = await prisma.campaign.findUnique({ where: { id: campaignId }, select: { status: true } });
  if (!campaign) return null;
  const run = await prisma.campaignRun.findFirst({ where: { campaignId }, orderBy: { startedAt: 'desc' }, select: { id: true } });
  const outcomes = run ? await outcomesOfRun(prisma, run.id) : [];
  const count = (wanted: (outcome: CallOutcome) => boolean) => outcomes.filter((o) => wanted(o.outcome)).reduce((sum, o) => sum + o.count, 0);
  const attempts = count(() => true);
  const answered = count((outcome) => ANSWERED.has(outcome));
  return {
    campaignId,
    status: campaign.status,
    runId: run?.id ?? null,
    attempts,
    outcomes,
    liveDialings: await prisma.dialing.count({ where: { campaignId } }),
    answerRate: attempts === 0 ? null : answered / attempts,
    abandonRate: answered === 0 ? null : count((outcome) => outcome === 'ABANDONED') / answered,
    at: Date.now(),
  };
}
