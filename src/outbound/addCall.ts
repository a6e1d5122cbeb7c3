import { orNotFound } from '../db/errors.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { Member, PrismaClient } from '../generated/prisma/client.js';
import { patterned, Problems, TECH_RESOURCE, variables } from '../validate.js';
import { findLiveCampaign } from './campaigns.js';
import { countryCode, normalizedNumber } from './members/phoneNumbers.js';
import { normaliseNumber } from './members/validation.js';

/** The latest a call may be scheduled: a year ahead. */
const MAX_AHEAD_SEC = 366 * 86_400;

export type AddCallInput = {
  number: string;
  /** Input attributes: the member's variables, passed to the dialplan as channel variables. */
  attributes?: Record<string, string> | null;
  /** When: in this many seconds, or at this instant; now when neither (WombatDialer's schedule=15 or a date). */
  inSec?: number | null;
  at?: Date | null;
  /** The agent's endpoint (e.g. PJSIP/2001): a callback only that agent's reserveCall is offered. */
  agent?: string | null;
};

/**
 * WombatDialer's addcall: drips one number into a campaign as a member of its dial list, due now or at a
 * time. Due scheduled calls are leased before the list's other members (src/dialer/leasing.ts), so a running
 * campaign, even one idling with nothing left to dial, calls it at its next tick.
 */
export async function addCall(prisma: PrismaClient, campaignId: string, input: AddCallInput, now = new Date()): Promise<Member> {
  const problems = new Problems();
  const number = normaliseNumber(input.number.trim());
  if (number === null) problems.add('number', `${JSON.stringify(input.number)} is not a phone number`);
  variables(problems, 'attributes', input.attributes ?? undefined);
  const agent = patterned(problems, 'agent', input.agent, TECH_RESOURCE, "the agent's endpoint as Asterisk dials it (e.g. PJSIP/2001)", { required: false });
  const dueAt = dueTime(problems, input, now);
  problems.throwIfAny('call');
  const campaign = await findLiveCampaign(prisma, campaignId);
  const list = await prisma.dialList.findUnique({ where: { id: campaign.dialListId }, select: { country: true } });
  const normalized = normalizedNumber(number as string, countryCode(list?.country));
  return prisma.member.create({
    data: {
      dialListId: campaign.dialListId,
      variables: input.attributes ?? {},
      agent: agent ?? null,
      scheduledAt: dueAt,
      nextAttemptAt: dueAt,
      numbers: { create: [{ slot: 1, dialListId: campaign.dialListId, number: number as string, normalized }] },
    },
  });
}

function dueTime(problems: Problems, input: AddCallInput, now: Date): Date {
  const { inSec, at } = input;
  if (inSec != null && at != null) {
    problems.add('at', 'cannot be given with inSec: give one of them');
    return now;
  }
  if (inSec != null) {
    if (!Number.isInteger(inSec) || inSec < 0 || inSec > MAX_AHEAD_SEC) problems.add('inSec', `must be a whole number of seconds from 0 to ${MAX_AHEAD_SEC}`);
    return new Date(now.getTime() + inSec * 1000);
  }
  if (at != null) {
    if (at.getTime() < now.getTime()) problems.add('at', `${at.toISOString()} is in the past`);
    else if (at.getTime() > now.getTime() + MAX_AHEAD_SEC * 1000) problems.add('at', 'is more than a year ahead');
    return at;
  }
  return now;
}

/** A campaign's scheduled calls not dialed yet (addCall, callbacks), soonest first; with dueBefore, those due by then. */
export async function scheduledCalls(prisma: PrismaClient, campaignId: string, dueBefore: Date | null): Promise<Member[]> {
  const campaign = await findLiveCampaign(prisma, campaignId);
  return prisma.member.findMany({
    where: { dialListId: campaign.dialListId, status: 'IDLE', scheduledAt: dueBefore === null ? { not: null } : { not: null, lte: dueBefore } },
    orderBy: [{ scheduledAt: 'asc' }, { id: 'asc' }],
  });
}

/**
 * Takes a scheduled call off the schedule: the member is TERMINATED (kept, with when it was due, never
 * dialed). One being dialed now cannot be: hang the call up (hangupDialing) instead.
 */
export async function cancelScheduledCall(prisma: PrismaClient, memberId: string): Promise<Member> {
  const member = await prisma.member.findUnique({ where: { id: memberId } });
  if (!member) throw new NotFoundError('Member', memberId);
  if (member.scheduledAt === null) throw ValidationError.of('memberId', 'is not a scheduled call (addCall or a callback)');
  const { count } = await prisma.member.updateMany({ where: { id: memberId, status: 'IDLE' }, data: { status: 'TERMINATED' } });
  if (count === 0) throw new ConflictError(`Member ${memberId} is ${member.status}: only a call still waiting can be cancelled`);
  return orNotFound(prisma.member.findUniqueOrThrow({ where: { id: memberId } }), 'Member', memberId);
}
