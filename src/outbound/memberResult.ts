import { orNotFound } from '../db/errors.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { Member, MemberNumber, Prisma, PrismaClient } from '../generated/prisma/client.js';
import { integer, Problems, text } from '../validate.js';
import { MAX_NUMBERS } from './members/index.js';
import { normaliseNumber } from './members/validation.js';

/**
 * Webitel's call result (PUT .../members/{id}/status): an external system says how a member's call went and
 * what comes next. It ends the member's wait for a result (the plan's waitForResult).
 */
export type MemberResultInput = {
  /** True: reached, stop calling it. False: go on dialing. */
  success: boolean;
  /** Clears every number's tries: dialing starts over. */
  resetRetries?: boolean | null;
  /** Seconds until the next try; the plan's retry delay when absent. */
  nextAfterSec?: number | null;
  /** The number to dial next, by slot (1-8) or number; a number the member lacks is added. It goes first. */
  nextCommunication?: string | null;
  /** Numbers never to dial again, by slot or number. */
  stopCommunications?: readonly string[] | null;
  /** Every number but nextCommunication is never dialed again (Webitel's "all"). */
  stopAllCommunications?: boolean | null;
  description?: string | null;
};

type Numbers = readonly MemberNumber[];

/** The member's number a slot (`2`) or a number (`+1 555 0100`) names; undefined when it has none such. */
function numberNamed(numbers: Numbers, named: string): MemberNumber | undefined {
  if (/^[1-8]$/.test(named.trim())) return numbers.find((number) => number.slot === Number(named.trim()));
  const normalised = normaliseNumber(named.trim());
  return normalised === null ? undefined : numbers.find((number) => number.number === normalised);
}

/**
 * The member and its numbers, its row locked until the transaction ends: two results for one member are then
 * decided one after the other (the second sees the number the first added), and the dialer, which leases with
 * SKIP LOCKED, cannot start a call of it in between.
 */
async function lockedMember(tx: Prisma.TransactionClient, memberId: string): Promise<Member & { numbers: MemberNumber[] }> {
  await tx.$queryRaw`SELECT id FROM "Member" WHERE id = ${memberId}::uuid FOR UPDATE`;
  const member = await tx.member.findUnique({ where: { id: memberId }, include: { numbers: true } });
  if (!member) throw new NotFoundError('Member', memberId);
  return member;
}

/** The retry delay of the campaign that last dialed the member (0 when none has). */
async function retryDelaySec(prisma: PrismaClient, memberId: string): Promise<number> {
  const last = await prisma.callAttempt.findFirst({ where: { memberId }, orderBy: { endedAt: 'desc' }, select: { campaign: { select: { plan: { select: { retryDelaySec: true } } } } } });
  return last?.campaign.plan.retryDelaySec ?? 0;
}

/** Applies an external system's result to a member, which must have no live call. */
export async function settleMember(prisma: PrismaClient, memberId: string, input: MemberResultInput, now = new Date()): Promise<Member> {
  const problems = new Problems();
  integer(problems, 'nextAfterSec', input.nextAfterSec, { min: 0, max: 365 * 86_400 });
  const description = text(problems, 'description', input.description, { max: 1000 });
  const delaySec = input.nextAfterSec ?? (input.success ? 0 : await retryDelaySec(prisma, memberId));
  return prisma.$transaction(async (tx) => {
    const member = await lockedMember(tx, memberId);
    const { next, stopped } = numberChanges(problems, member.numbers, input);
    problems.throwIfAny('member result');
    if (member.status === 'DIALING' || member.status === 'RESERVED') {
      throw new ConflictError('The member has a live call: set its result once the call has ended');
    }
    if (member.status === 'TERMINATED') throw new ConflictError('The member was terminated: it is never dialed again');
    const top = Math.max(0, ...member.numbers.map((number) => number.priority));
    if (input.resetRetries) await tx.memberNumber.updateMany({ where: { memberId }, data: { tryCount: 0 } });
    if (stopped.size > 0) await tx.memberNumber.updateMany({ where: { memberId, slot: { in: [...stopped] } }, data: { stopped: true } });
    if (next?.existing) await tx.memberNumber.update({ where: { memberId_slot: { memberId, slot: next.slot } }, data: { priority: top + 1, stopped: false } });
    else if (next) await tx.memberNumber.create({ data: { memberId, slot: next.slot, dialListId: member.dialListId, number: next.number, priority: top + 1 } });
    return tx.member.update({
      where: { id: memberId },
      data: {
        status: input.success ? 'DONE' : 'IDLE',
        nextAttemptAt: input.success ? null : new Date(now.getTime() + delaySec * 1000),
        resultDueAt: null,
        resultDescription: description ?? null,
      },
    });
  });
}

/** The number a result dials next: one of the member's, or a new one for a free slot. */
type NextNumber = { slot: number; number: string; existing: boolean };

/** The number a result dials next and the slots it stops, checked against the member's numbers. */
function numberChanges(problems: Problems, numbers: Numbers, input: MemberResultInput): { next: NextNumber | null; stopped: Set<number> } {
  let next: NextNumber | null = null;
  if (input.success && input.nextCommunication != null) problems.add('nextCommunication', 'a successful result dials nothing next: leave it out, or set success false');
  else if (input.nextCommunication != null) {
    const named = numberNamed(numbers, input.nextCommunication);
    const normalised = normaliseNumber(input.nextCommunication.trim());
    const free = Array.from({ length: MAX_NUMBERS }, (_, index) => index + 1).find((slot) => !numbers.some((number) => number.slot === slot));
    if (named) next = { slot: named.slot, number: named.number, existing: true };
    else if (/^[1-8]$/.test(input.nextCommunication.trim())) problems.add('nextCommunication', `the member has no number in slot ${input.nextCommunication.trim()}`);
    else if (normalised === null) problems.add('nextCommunication', 'must be a number slot (1-8) or a phone number (digits, optional +, * or #)');
    else if (free === undefined) problems.add('nextCommunication', `the member already has ${MAX_NUMBERS} numbers: name one of them`);
    else next = { slot: free, number: normalised, existing: false };
  }
  const stopped = new Set<number>();
  for (const [index, named] of (input.stopCommunications ?? []).entries()) {
    const number = numberNamed(numbers, named);
    if (number) stopped.add(number.slot);
    else problems.add(`stopCommunications[${index}]`, `${JSON.stringify(named)} is none of the member's numbers (give a slot 1-8 or one of its numbers)`);
  }
  if (input.stopAllCommunications) for (const number of numbers) stopped.add(number.slot);
  if (next) stopped.delete(next.slot);
  return { next, stopped };
}

/** Stops calling a member without deleting it (Webitel's cancel, uContact's remove contact): TERMINATED, kept with its history. */
export async function terminateMember(prisma: PrismaClient, memberId: string): Promise<Member> {
  const { count } = await prisma.member.updateMany({ where: { id: memberId }, data: { status: 'TERMINATED', nextAttemptAt: null, resultDueAt: null, scheduledAt: null } });
  if (count === 0) throw new NotFoundError('Member', memberId);
  return orNotFound(prisma.member.findUniqueOrThrow({ where: { id: memberId } }), 'Member', memberId);
}

