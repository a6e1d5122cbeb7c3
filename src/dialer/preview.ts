import type { SqlDriver } from '../db/driver.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { patterned, Problems, TECH_RESOURCE } from '../validate.js';
import { leaseDialings } from './leasing.js';
import { currentRun } from './lifecycle.js';
import { CAMPAIGN_SETUP, campaignRules } from './rules.js';

/**
 * PREVIEW dialing, as WombatDialer's reserveCall / dialReservedCall / skipReservedCall: an agent reserves the
 * next member of a running PREVIEW campaign, sees it, and then has it dialed (the answered call is put
 * through to the agent's endpoint) or skips it. A reservation not acted on in time is released, untried.
 */

export const RESERVATION_MS = 10 * 60_000;

export type Reservation = { dialingId: string; memberId: string; number: string; numberSlot: number; tryCount: number; reservedUntil: Date };

export async function reserveCall(prisma: PrismaClient, driver: SqlDriver, campaignId: string, agent: string): Promise<Reservation | null> {
  const problems = new Problems();
  const endpoint = patterned(problems, 'agent', agent, TECH_RESOURCE, "the agent's endpoint as Asterisk dials it (e.g. PJSIP/2001)", { required: true }) as string;
  problems.throwIfAny('reservation');
  const campaign = await prisma.campaign.findUnique({ where: { id: campaignId }, include: CAMPAIGN_SETUP });
  if (!campaign || !campaign.inUse) throw new NotFoundError('Campaign', campaignId);
  if (campaign.plan.dialMode !== 'PREVIEW') throw new ConflictError(`Campaign "${campaign.name}" dials ${campaign.plan.dialMode}, not PREVIEW`);
  if (campaign.status !== 'RUNNING') throw new ConflictError(`Campaign "${campaign.name}" is ${campaign.status}: only a RUNNING campaign hands out calls`);
  const rules = campaignRules(campaign);
  const runId = await currentRun(prisma, campaign);
  const now = new Date();
  const limit = campaign.plan.maxConcurrentCalls;
  const [dialing] = await leaseDialings(driver, {
    campaign: rules.lease(runId),
    owner: `preview ${endpoint}`,
    now,
    howMany: (live) => (limit === null ? 1 : Math.min(1, limit - live.total)),
    // The PBX is chosen when it is dialed, by the dialer that takes it.
    prepare: (member, ids) => rules.prepare(campaign.pbxServer ?? '', runId, member, ids, { agent: endpoint }),
    reserveFor: endpoint,
    reservedUntil: new Date(now.getTime() + RESERVATION_MS),
  });
  if (!dialing) return null;
  return {
    dialingId: dialing.id,
    memberId: dialing.memberId,
    number: dialing.dialedNumber,
    numberSlot: dialing.numberSlot,
    tryCount: dialing.tryCount,
    reservedUntil: new Date(now.getTime() + RESERVATION_MS),
  };
}

/** Has a reserved call dialed: the member is DIALING from now, and the next dialer tick (of any dialer process) originates it. */
export async function dialReservedCall(prisma: PrismaClient, dialingId: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const dialing = await tx.dialing.findUnique({ where: { id: dialingId } });
    if (!dialing) throw new NotFoundError('Dialing', dialingId);
    const { count } = await tx.dialing.updateMany({ where: { id: dialingId, status: 'RESERVED' }, data: { status: 'PENDING', owner: null, leaseExpiresAt: null } });
    if (count === 0) throw new ConflictError('This call is no longer reserved: it is being dialed already');
    await tx.member.updateMany({ where: { id: dialing.memberId, status: 'RESERVED' }, data: { status: 'DIALING' } });
  });
}

export const skipDecisions = ['RETRY', 'DONE', 'TERMINATED'] as const;
export type SkipDecision = (typeof skipDecisions)[number];

/** Gives a reserved call back without dialing it: to be tried again after the retry delay, done, or never again. No try counts. */
export async function skipReservedCall(prisma: PrismaClient, dialingId: string, decision: SkipDecision): Promise<void> {
  if (!skipDecisions.includes(decision)) throw ValidationError.of('status', `must be one of ${skipDecisions.join(', ')}`);
  await prisma.$transaction(async (tx) => {
    const dialing = await tx.dialing.findUnique({ where: { id: dialingId }, include: { campaign: { include: { plan: true } } } });
    if (!dialing) throw new NotFoundError('Dialing', dialingId);
    if (dialing.status !== 'RESERVED') throw new ConflictError('This call is no longer reserved: it is being dialed already');
    await tx.dialing.delete({ where: { id: dialingId } });
    const retryAt = new Date(Date.now() + dialing.campaign.plan.retryDelaySec * 1000);
    await tx.member.update({
      where: { id: dialing.memberId },
      data: decision === 'RETRY' ? { status: 'IDLE', nextAttemptAt: retryAt } : { status: decision, nextAttemptAt: null },
    });
  });
}
