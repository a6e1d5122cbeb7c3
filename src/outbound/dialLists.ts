import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { DialList, PrismaClient } from '../generated/prisma/client.js';
import { deleteUsedByCampaigns } from './campaignRemoval.js';
import { countryCode } from './members/phoneNumbers.js';
import { Problems, text, variables } from '../validate.js';

export type DialListInput = {
  name?: string | null;
  detail?: string | null;
  variables?: Record<string, string> | null;
  /** ISO 3166 code numbers not written internationally are read in; null for none. */
  country?: string | null;
};

function dialListData(input: DialListInput, creating: boolean) {
  const problems = new Problems();
  const name = text(problems, 'name', input.name, { required: creating || input.name !== undefined, max: 100 });
  const detail = text(problems, 'detail', input.detail, { max: 1000 });
  variables(problems, 'variables', input.variables ?? undefined);
  let country: string | null | undefined = input.country === null ? null : undefined;
  if (input.country !== undefined && input.country !== null) {
    country = countryCode(input.country);
    if (country === null) problems.add('country', `${JSON.stringify(input.country)} is not an ISO 3166 country code such as PT, US or GB`);
  }
  problems.throwIfAny('dial list');
  return { name: name ?? undefined, detail, variables: input.variables ?? undefined, country };
}

export async function createDialList(prisma: PrismaClient, input: DialListInput): Promise<DialList> {
  const data = dialListData(input, true);
  return prisma.dialList.create({ data: { ...data, name: data.name ?? '' } });
}

export async function findLiveDialList(prisma: PrismaClient, id: string): Promise<DialList> {
  const list = await prisma.dialList.findUnique({ where: { id } });
  if (!list || !list.inUse) throw new NotFoundError('DialList', id);
  return list;
}

export async function updateDialList(prisma: PrismaClient, id: string, input: DialListInput): Promise<DialList> {
  await findLiveDialList(prisma, id);
  if (input.name === null) throw ValidationError.of('name', 'cannot be cleared');
  return prisma.dialList.update({ where: { id }, data: dialListData(input, false) });
}

/**
 * Soft-deletes a dial list. Like jade's dlma delete, a list that still has members or is used by live
 * campaigns is refused unless `force`, which removes its members and soft-deletes those campaigns.
 */
export async function deleteDialList(prisma: PrismaClient, id: string, force: boolean): Promise<DialList> {
  const list = await findLiveDialList(prisma, id);
  return deleteUsedByCampaigns(prisma, `Dial list "${list.name}"`, { dialListId: id }, force, async (tx, now) => {
    // Counted inside the transaction, so members an import adds meanwhile are never removed unasked.
    const members = await tx.member.count({ where: { dialListId: id } });
    if (members > 0 && !force) {
      throw new ConflictError(`Dial list "${list.name}" still has ${members} members: remove them first or pass force: true`);
    }
    await tx.member.deleteMany({ where: { dialListId: id } });
    return tx.dialList.update({ where: { id }, data: { inUse: false, deletedAt: now } });
  });
}
