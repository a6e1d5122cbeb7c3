import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { Disposition, Prisma, PrismaClient } from '../generated/prisma/client.js';
import { Problems, text } from '../validate.js';

/**
 * uContact's call disposition (DispositionCall): up to three levels of what came of a call, extra data, a
 * comment, and optionally a callback: a scheduled disposition has the member dialed again at that time.
 */
export type DispositionInput = {
  /** The attempt (its id is the dialing's) the disposition is for; its campaign and member follow from it. */
  attemptId?: string | null;
  /** Without an attempt: the member and the campaign it was worked in. */
  memberId?: string | null;
  campaignId?: string | null;
  level1: string;
  level2?: string | null;
  level3?: string | null;
  data?: Record<string, string> | null;
  comment?: string | null;
  scheduledAt?: Date | null;
};

const MAX_DATA = 32;

async function target(prisma: PrismaClient, input: DispositionInput): Promise<{ campaignId: string; memberId: string | null; attemptId: string | null }> {
  if (input.attemptId) {
    const attempt = await prisma.callAttempt.findUnique({ where: { id: input.attemptId }, select: { campaignId: true, memberId: true } });
    if (!attempt) throw new NotFoundError('CallAttempt', input.attemptId);
    return { campaignId: attempt.campaignId, memberId: attempt.memberId, attemptId: input.attemptId };
  }
  if (!input.memberId || !input.campaignId) throw ValidationError.of('attemptId', 'give the attempt, or the member and the campaign');
  const member = await prisma.member.findUnique({ where: { id: input.memberId }, select: { id: true } });
  if (!member) throw new NotFoundError('Member', input.memberId);
  const campaign = await prisma.campaign.findUnique({ where: { id: input.campaignId }, select: { inUse: true } });
  if (!campaign?.inUse) throw new NotFoundError('Campaign', input.campaignId);
  return { campaignId: input.campaignId, memberId: input.memberId, attemptId: null };
}

export async function createDisposition(prisma: PrismaClient, input: DispositionInput, createdBy: string, now = new Date()): Promise<Disposition> {
  const problems = new Problems();
  const level1 = text(problems, 'level1', input.level1, { required: true, max: 100 }) as string;
  const level2 = text(problems, 'level2', input.level2, { max: 100 });
  const level3 = text(problems, 'level3', input.level3, { max: 100 });
  const comment = text(problems, 'comment', input.comment, { max: 2000 });
  const data = input.data ?? {};
  if (Object.keys(data).length > MAX_DATA) problems.add('data', `must hold at most ${MAX_DATA} entries`);
  for (const [key, value] of Object.entries(data)) text(problems, `data.${key}`, value, { max: 1000 });
  if (input.scheduledAt && input.scheduledAt.getTime() <= now.getTime()) problems.add('scheduledAt', `must be in the future (it is ${now.toISOString()} now)`);
  if (level3 && !level2) problems.add('level3', 'needs level2');
  problems.throwIfAny('disposition');
  const found = await target(prisma, input);
  const scheduledAt = input.scheduledAt ?? null;
  if (scheduledAt && found.memberId === null) throw new ConflictError('The member was deleted: there is no one to call back');
  return prisma.$transaction(async (tx) => {
    if (scheduledAt && found.memberId) {
      // A callback: dialed at that time, whatever the member's retries said. Not while a call of it is live
      // (its recording would decide over it), nor once it was stopped by hand.
      const { count } = await tx.member.updateMany({
        where: { id: found.memberId, status: { in: ['IDLE', 'DONE'] } },
        data: { status: 'IDLE', scheduledAt, nextAttemptAt: scheduledAt, resultDueAt: null },
      });
      if (count === 0) throw new ConflictError('The member is being dialed or was terminated: schedule a callback once its call has ended, for a member not terminated');
    }
    return tx.disposition.create({
      data: { ...found, level1, level2: level2 ?? null, level3: level3 ?? null, data: data as Prisma.InputJsonObject, comment: comment ?? null, scheduledAt, createdBy },
    });
  });
}

/** A campaign's or a member's dispositions, as a where clause (newest first is the caller's order). */
export function dispositionsWhere(filter: { campaignId?: string | null; memberId?: string | null }): Prisma.DispositionWhereInput {
  return { ...(filter.campaignId ? { campaignId: filter.campaignId } : {}), ...(filter.memberId ? { memberId: filter.memberId } : {}) };
}
