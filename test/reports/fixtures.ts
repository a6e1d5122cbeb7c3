import { randomUUID } from 'node:crypto';
import type { CallOutcome } from '../../src/generated/prisma/enums.js';
import type { Prisma, PrismaClient } from '../../src/generated/prisma/client.js';

/** A STOPPED campaign over a queue destination, its plan (two tries a number) and list, with one run. */
export async function reportCampaign(prisma: PrismaClient, name = 'Reports') {
  const plan = await prisma.plan.create({ data: { name, maxRetries: [2, 2, 2, 2, 2, 2, 2, 2] } });
  const destination = await prisma.destination.create({ data: { name, type: 'APPLICATION', application: 'Queue', data: 'sales,t' } });
  const dialList = await prisma.dialList.create({ data: { name } });
  const campaign = await prisma.campaign.create({ data: { name, planId: plan.id, destinationId: destination.id, dialListId: dialList.id } });
  const run = await prisma.campaignRun.create({ data: { campaignId: campaign.id, startedBy: 'tester' } });
  return { plan, destination, dialList, campaign, run };
}

export type ReportCampaign = Awaited<ReturnType<typeof reportCampaign>>;

export type AttemptShape = {
  outcome: CallOutcome;
  completionCode?: string | null;
  /** Seconds after originate; null when it never happened. */
  answeredSec?: number | null;
  bridgedSec?: number | null;
  endedSec: number;
  dialedNumber?: string;
  runId?: string;
  originatedAt?: Date;
};

/** A CallAttempt row as the dialer records one, with the given outcome and times. */
export function attemptRow(setup: ReportCampaign, shape: AttemptShape): Prisma.CallAttemptCreateManyInput {
  const originatedAt = shape.originatedAt ?? new Date('2026-11-20T10:00:00Z');
  const at = (sec: number | null | undefined) => (sec === null || sec === undefined ? null : new Date(originatedAt.getTime() + sec * 1000));
  return {
    id: randomUUID(),
    campaignId: setup.campaign.id,
    planId: setup.plan.id,
    destinationId: setup.destination.id,
    dialListId: setup.dialList.id,
    server: 'pbx1',
    runId: shape.runId ?? setup.run.id,
    numberSlot: 1,
    dialedNumber: shape.dialedNumber ?? '1001',
    tryCount: 1,
    dialString: `Local/${shape.dialedNumber ?? '1001'}@customers`,
    outcome: shape.outcome,
    completionCode: shape.completionCode ?? null,
    dialResult: shape.answeredSec === null || shape.answeredSec === undefined ? 1 : 4,
    dialResultText: 'Hangup',
    originatedAt,
    answeredAt: at(shape.answeredSec),
    bridgedAt: at(shape.bridgedSec),
    endedAt: at(shape.endedSec) as Date,
    planSnapshot: {},
    destinationSnapshot: {},
  };
}

/** The run totals recording keeps (RunOutcome), counted again from the attempts a test wrote directly. */
export async function countRunOutcomes(prisma: PrismaClient): Promise<void> {
  await prisma.$executeRaw`
    INSERT INTO "RunOutcome" ("runId", outcome, count, bridged)
    SELECT "runId", outcome, count(*)::int, count("bridgedAt")::int FROM "CallAttempt" GROUP BY "runId", outcome
    ON CONFLICT ("runId", outcome) DO UPDATE SET count = EXCLUDED.count, bridged = EXCLUDED.bridged`;
}
