import type { PrismaClient } from '../generated/prisma/client.js';
import type { CallOutcome, CampaignStatus, HoldReason, MemberStatus } from '../generated/prisma/enums.js';

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
  /** Abandoned over answered (the regulators' silent-call rate); null before the first answer, and for a BROADCAST, which waits for no agent. */
  readonly abandonRate: number | null;
  /** Why it places no call now, while RUNNING; null while it dials, or is not running. */
  readonly hold: CampaignHold | null;
  /** Epoch milliseconds it was read at. */
  readonly at: number;
};

export type OutcomeCount = { readonly outcome: CallOutcome; readonly count: number };

export type CampaignHold = { readonly reason: HoldReason; readonly detail: string; readonly nextAt: Date | null; readonly since: Date };

/** A dialer process is running while it beats: it beats every 2 s, and counts as gone after 8 s of silence. */
const DIALER_ALIVE_SECONDS = 8;

/**
 * Reasons a running campaign places no call, most telling first. A PBX down for one dialer may be up for
 * another, so it comes last.
 */
const PRECEDENCE: readonly HoldReason[] = [
  'NO_DIALER',
  'ENGINE_STOPPED',
  'SETUP_INVALID',
  'OUTSIDE_SCHEDULE',
  'NO_CALL_LIMIT',
  'PREVIEW',
  'BOOSTED_TO_ZERO',
  'CALL_LIMIT',
  'TRUNKS_UNREACHABLE',
  'TRUNK_FULL',
  'ABANDON_LIMIT',
  'NO_AGENTS',
  'NO_FREE_SEAT',
  'NO_DUE_MEMBER',
  'PBX_UNAVAILABLE',
];

/**
 * Why a running campaign places no call now, as the live dialer processes see it: null as soon as one of
 * them dials it (has no hold for it); with none running, NO_DIALER.
 */
export async function campaignHold(prisma: PrismaClient, campaignId: string): Promise<CampaignHold | null> {
  const [dialers, holds] = await Promise.all([
    prisma.$queryRaw<{ count: number }[]>`SELECT count(*)::int AS count FROM "DialerProcess" WHERE "seenAt" > now() - ${DIALER_ALIVE_SECONDS} * interval '1 second'`,
    prisma.$queryRaw<CampaignHold[]>`
      SELECT h.reason, h.detail, h."nextAt", h.since FROM "DialingHold" h
        JOIN "DialerProcess" p ON p.id = h."dialerId" AND p."seenAt" > now() - ${DIALER_ALIVE_SECONDS} * interval '1 second'
       WHERE h."campaignId" = ${campaignId}::uuid`,
  ]);
  const running = dialers[0]?.count ?? 0;
  if (running === 0) return { reason: 'NO_DIALER', detail: 'no dialer process is running', nextAt: null, since: new Date() };
  if (holds.length < running) return null;
  return [...holds].sort((a, b) => PRECEDENCE.indexOf(a.reason) - PRECEDENCE.indexOf(b.reason))[0] ?? null;
}

/**
 * A run's attempts by outcome, most first, with how many of each reached the destination: the totals recording
 * keeps, a row per outcome whatever the run's size.
 */
export async function outcomesOfRun(prisma: PrismaClient, runId: string): Promise<RunOutcomeTotal[]> {
  const totals = await prisma.runOutcome.findMany({ where: { runId }, select: { outcome: true, count: true, bridged: true } });
  return totals.sort((a, b) => b.count - a.count);
}

export type RunOutcomeTotal = OutcomeCount & { bridged: number };

/** The sum over a run's outcome totals of what `pick` takes from each. */
export function totalOf(outcomes: readonly RunOutcomeTotal[], pick: (outcome: RunOutcomeTotal) => number): number {
  return outcomes.reduce((sum, outcome) => sum + pick(outcome), 0);
}

const ANSWERED: ReadonlySet<CallOutcome> = new Set(['ANSWERED', 'ABANDONED', 'MACHINE']);

/** Members by where they are: still to be dialed (IDLE), being dialed (DIALING, or RESERVED for a preview agent), finished (DONE or TERMINATED). */
export type MemberProgress = { readonly waiting: number; readonly dialing: number; readonly finished: number };

/** Member counts by status, as a GROUP BY gives them, read as a MemberProgress. */
export function progressOfStatuses(counts: readonly { status: MemberStatus; _count: { _all: number } }[]): MemberProgress {
  const count = (...statuses: MemberStatus[]) => counts.filter((row) => statuses.includes(row.status)).reduce((sum, row) => sum + row._count._all, 0);
  return { waiting: count('IDLE'), dialing: count('DIALING', 'RESERVED'), finished: count('DONE', 'TERMINATED') };
}

/** A campaign's members by where they are, over its own list and the lists added for it to call. */
export async function memberProgress(prisma: PrismaClient, campaignId: string): Promise<MemberProgress> {
  const campaign = await prisma.campaign.findUnique({ where: { id: campaignId }, select: { dialListId: true, lists: { where: { role: 'CALLS' }, select: { dialListId: true } } } });
  if (!campaign) return { waiting: 0, dialing: 0, finished: 0 };
  const dialListIds = [campaign.dialListId, ...campaign.lists.map((list) => list.dialListId)];
  const counts = await prisma.member.groupBy({ by: ['status'], where: { dialListId: { in: dialListIds } }, _count: { _all: true } });
  return progressOfStatuses(counts);
}

/** One list's members by where they are: how far its campaigns have got through it. */
export async function listProgress(prisma: PrismaClient, dialListId: string): Promise<MemberProgress> {
  const counts = await prisma.member.groupBy({ by: ['status'], where: { dialListId }, _count: { _all: true } });
  return progressOfStatuses(counts);
}

/** The campaign's progress now; null for a campaign that does not exist. */
export async function campaignProgress(prisma: PrismaClient, campaignId: string): Promise<CampaignProgress | null> {
  const campaign = await prisma.campaign.findUnique({ where: { id: campaignId }, select: { status: true, plan: { select: { dialMode: true } } } });
  if (!campaign) return null;
  const run = await prisma.campaignRun.findFirst({ where: { campaignId }, orderBy: { startedAt: 'desc' }, select: { id: true } });
  const outcomes = run ? await outcomesOfRun(prisma, run.id) : [];
  const count = (wanted: (outcome: CallOutcome) => boolean) => totalOf(outcomes, (o) => (wanted(o.outcome) ? o.count : 0));
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
    abandonRate: answered === 0 || campaign.plan.dialMode === 'BROADCAST' ? null : count((outcome) => outcome === 'ABANDONED') / answered,
    hold: campaign.status === 'RUNNING' ? await campaignHold(prisma, campaignId) : null,
    at: Date.now(),
  };
}
