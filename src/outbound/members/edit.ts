/**
 * Changing and removing one member by hand (jade's PUT and DELETE /ob/dls): the same rules as intake.
 */
import { isUniqueViolation, orNotFound } from '../../db/errors.js';
import { countryCode } from './phoneNumbers.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import type { Member, MemberNumber, PrismaClient } from '../../generated/prisma/client.js';
import type { MemberStatus } from '../../generated/prisma/enums.js';
import type { MemberInput, NumberInput } from './types.js';
import { inputFieldNames, validateMember } from './validation.js';

/** Statuses a person may set; DIALING and RESERVED belong to the dialer. */
const SETTABLE: ReadonlySet<MemberStatus> = new Set(['IDLE', 'DONE', 'TERMINATED']);

export type MemberUpdate = Partial<Omit<MemberInput, 'numbers'>> & {
  numbers?: NumberInput[] | null;
  status?: MemberStatus | null;
  nextAttemptAt?: Date | null;
  /** Sets every number's tries back to 0 and forgets its last result (an operator's retry). */
  resetTries?: boolean | null;
};

type MemberWithNumbers = Member & { numbers: MemberNumber[]; dialList: { inUse: boolean; country: string | null } };

async function findLiveMember(prisma: PrismaClient, id: string): Promise<MemberWithNumbers> {
  const member = await prisma.member.findUnique({
    where: { id },
    include: { numbers: { orderBy: { slot: 'asc' } }, dialList: { select: { inUse: true, country: true } } },
  });
  if (!member || !member.dialList.inUse) throw new NotFoundError('Member', id);
  return member;
}

function given<T>(value: T | undefined, current: T): T {
  return value === undefined ? current : value;
}

/** A number keeps its tries and last result while it stays in its slot. */
function numberRows(member: MemberWithNumbers, numbers: string[], normalized: string[], input: NumberInput[] | null, resetTries: boolean) {
  return numbers.map((number, index) => {
    const slot = index + 1;
    const before = member.numbers.find((n) => n.slot === slot && n.number === number);
    const kept = before && !resetTries;
    return {
      slot,
      dialListId: member.dialListId,
      number,
      normalized: normalized[index] ?? number,
      type: input ? (input[index]?.type ?? null) : (before?.type ?? null),
      priority: input ? (input[index]?.priority ?? 0) : (before?.priority ?? 0),
      tryCount: kept ? before.tryCount : 0,
      lastDialAt: kept ? before.lastDialAt : null,
      lastHangupAt: kept ? before.lastHangupAt : null,
      lastDialResult: kept ? before.lastDialResult : null,
      lastHangupCause: kept ? before.lastHangupCause : null,
    };
  });
}

/** Changes a member; what is not given stays. Numbers, when given, replace the member's numbers. */
export async function updateMember(prisma: PrismaClient, id: string, update: MemberUpdate): Promise<Member> {
  const member = await findLiveMember(prisma, id);
  if (update.status && !SETTABLE.has(update.status)) {
    throw ValidationError.of('status', `can be set to IDLE, DONE or TERMINATED; ${update.status} is the dialer's to set`);
  }
  if (member.status === 'DIALING' && (update.numbers || update.status || update.resetTries)) {
    throw new ConflictError(`Member ${member.name ?? id} is being dialed: change its numbers or status after the call`);
  }
  const checked = validateMember(
    {
      name: given(update.name, member.name),
      detail: given(update.detail, member.detail),
      externalKey: given(update.externalKey, member.externalKey),
      email: given(update.email, member.email),
      variables: given(update.variables, member.variables as Record<string, string>),
      priority: given(update.priority, member.priority),
      expiresAt: given(update.expiresAt, member.expiresAt)?.toISOString() ?? null,
      timezone: given(update.timezone, member.timezone),
      agent: given(update.agent, member.agent),
      numbers: update.numbers ?? member.numbers.map((n) => ({ number: n.number, type: n.type, priority: n.priority })),
    },
    inputFieldNames,
    null,
    countryCode(member.dialList.country),
  );
  if (Array.isArray(checked)) {
    const problems = checked.map((error) => ({ field: error.field ?? 'member', message: error.message }));
    throw new ValidationError(`Invalid member: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems);
  }
  const numbers = numberRows(member, checked.numbers, checked.normalized, update.numbers ?? null, update.resetTries ?? false);
  try {
    return await prisma.$transaction(async (tx) => {
      await tx.memberNumber.deleteMany({ where: { memberId: id } });
      const updated = tx.member.update({
        where: { id },
        data: {
          name: checked.name,
          detail: checked.detail,
          externalKey: checked.externalKey,
          email: checked.email,
          variables: JSON.parse(checked.variablesJson) as Record<string, string>,
          priority: checked.priority,
          expiresAt: checked.expiresAt ? new Date(checked.expiresAt) : null,
          timezone: checked.timezone,
          agent: checked.agent,
          status: update.status ?? undefined,
          nextAttemptAt: update.resetTries ? null : given(update.nextAttemptAt, member.nextAttemptAt),
          numbers: { create: numbers },
        },
      });
      return orNotFound(updated, 'Member', id);
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ConflictError(`The external key ${checked.externalKey} is already used in this dial list`);
    }
    throw error;
  }
}

/** Removes a member (its call records keep their copy); one being dialed only with `force`. */
export async function deleteMember(prisma: PrismaClient, id: string, force: boolean): Promise<Member> {
  const member = await findLiveMember(prisma, id);
  const live = await prisma.dialing.count({ where: { memberId: id } });
  if ((live > 0 || member.status === 'DIALING') && !force) {
    throw new ConflictError(`Member ${member.name ?? id} is being dialed: wait for the call to end or pass force: true`);
  }
  return orNotFound(prisma.member.delete({ where: { id } }), 'Member', id);
}
