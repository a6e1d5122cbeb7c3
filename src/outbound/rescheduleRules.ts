import { orNotFound } from '../db/errors.js';
import { NotFoundError } from '../errors.js';
import type { PrismaClient, RescheduleRule } from '../generated/prisma/client.js';
import type { CallOutcome } from '../generated/prisma/enums.js';
import { integer, Problems, text } from '../validate.js';

/**
 * A campaign's reschedule rules (WombatDialer's campaign/reschedule): checked in order when an attempt ends,
 * before the plan's default retry. A rule matches an outcome and/or a completion code; it retries the member
 * after retryAfterSec, at most maxAttempts times, after which the member is done.
 */

/** A rule as the dialer weighs it: with how many times it already rescheduled this member. */
export type UsableRescheduleRule = Pick<RescheduleRule, 'id' | 'outcome' | 'completionCode' | 'maxAttempts' | 'retryAfterSec'> & { used: number };

/** The first rule (in the given order) whose outcome and completion code (any case) fit the attempt; null when none does. */
export function matchRescheduleRule<Rule extends Pick<RescheduleRule, 'outcome' | 'completionCode'>>(
  rules: readonly Rule[],
  outcome: CallOutcome,
  completionCode: string | null,
): Rule | null {
  const code = completionCode?.toLowerCase() ?? null;
  return rules.find((rule) => (rule.outcome === null || rule.outcome === outcome) && (rule.completionCode === null || rule.completionCode.toLowerCase() === code)) ?? null;
}

export type RescheduleRuleInput = {
  outcome?: CallOutcome | null;
  completionCode?: string | null;
  maxAttempts?: number | null;
  retryAfterSec?: number | null;
};

function ruleData(input: RescheduleRuleInput, creating: boolean) {
  const problems = new Problems();
  const completionCode = text(problems, 'completionCode', input.completionCode, { max: 100 });
  if (creating && (input.maxAttempts ?? null) === null) problems.add('maxAttempts', 'is required');
  if (creating && (input.retryAfterSec ?? null) === null) problems.add('retryAfterSec', 'is required');
  integer(problems, 'maxAttempts', input.maxAttempts, { min: 0, max: 1000 });
  integer(problems, 'retryAfterSec', input.retryAfterSec, { min: 0, max: 365 * 86_400 });
  problems.throwIfAny('reschedule rule');
  return {
    ...(input.outcome !== undefined ? { outcome: input.outcome } : {}),
    ...(completionCode !== undefined ? { completionCode } : {}),
    ...(input.maxAttempts != null ? { maxAttempts: input.maxAttempts } : {}),
    ...(input.retryAfterSec != null ? { retryAfterSec: input.retryAfterSec } : {}),
  };
}

async function liveCampaign(prisma: PrismaClient, campaignId: string): Promise<void> {
  const campaign = await prisma.campaign.findUnique({ where: { id: campaignId }, select: { inUse: true } });
  if (!campaign?.inUse) throw new NotFoundError('Campaign', campaignId);
}

async function findRule(prisma: PrismaClient, id: string): Promise<RescheduleRule> {
  const rule = await prisma.rescheduleRule.findUnique({ where: { id } });
  if (!rule) throw new NotFoundError('RescheduleRule', id);
  return rule;
}

/** A campaign's rules in the order they are checked. */
export function rescheduleRulesOf(prisma: PrismaClient, campaignId: string): Promise<RescheduleRule[]> {
  return prisma.rescheduleRule.findMany({ where: { campaignId }, orderBy: [{ position: 'asc' }, { id: 'asc' }] });
}

/** Adds a rule after the campaign's last one. */
export async function createRescheduleRule(prisma: PrismaClient, campaignId: string, input: RescheduleRuleInput): Promise<RescheduleRule> {
  const data = ruleData(input, true) as ReturnType<typeof ruleData> & { maxAttempts: number; retryAfterSec: number };
  await liveCampaign(prisma, campaignId);
  const last = await prisma.rescheduleRule.aggregate({ where: { campaignId }, _max: { position: true } });
  return prisma.rescheduleRule.create({ data: { ...data, campaignId, position: (last._max.position ?? 0) + 1 } });
}

export async function updateRescheduleRule(prisma: PrismaClient, id: string, input: RescheduleRuleInput): Promise<RescheduleRule> {
  const data = ruleData(input, false);
  await findRule(prisma, id);
  return orNotFound(prisma.rescheduleRule.update({ where: { id }, data }), 'RescheduleRule', id);
}

export async function deleteRescheduleRule(prisma: PrismaClient, id: string): Promise<RescheduleRule> {
  await findRule(prisma, id);
  return orNotFound(prisma.rescheduleRule.delete({ where: { id } }), 'RescheduleRule', id);
}

/** Swaps a rule with its neighbour above (UP, checked earlier) or below (DOWN); at either end it stays. */
export async function moveRescheduleRule(prisma: PrismaClient, id: string, direction: 'UP' | 'DOWN'): Promise<RescheduleRule> {
  // A rule of the campaign deleted while it is renumbered: the move answers NotFoundError, nothing half-done.
  const moved = prisma.$transaction(async (tx) => {
    const rule = await tx.rescheduleRule.findUnique({ where: { id } });
    if (!rule) throw new NotFoundError('RescheduleRule', id);
    const ordered = await tx.rescheduleRule.findMany({ where: { campaignId: rule.campaignId }, orderBy: [{ position: 'asc' }, { id: 'asc' }] });
    const index = ordered.findIndex((candidate) => candidate.id === id);
    const other = ordered[direction === 'UP' ? index - 1 : index + 1];
    if (!other) return rule;
    // Renumbered as a whole: positions may have gaps or ties left by deletions.
    ordered[index] = other;
    ordered[direction === 'UP' ? index - 1 : index + 1] = rule;
    for (const [position, candidate] of ordered.entries()) {
      if (candidate.position !== position + 1) await tx.rescheduleRule.update({ where: { id: candidate.id }, data: { position: position + 1 } });
    }
    return tx.rescheduleRule.findUniqueOrThrow({ where: { id } });
  });
  return orNotFound(moved, 'RescheduleRule', id);
}
