import { ValidationError } from '../errors.js';
import type { DialList, PrismaClient } from '../generated/prisma/client.js';
import { findLiveCampaign } from './campaigns.js';
import { findLiveDialList } from './dialLists.js';
import { normaliseNumber } from './members/validation.js';

/**
 * Do-not-call lists (WombatDialer's black-lists, uContact's DNC): a dial list whose members' numbers a
 * campaign never dials, for one campaign (CampaignList BLACKLIST) or for all (DialList.blacklistForAll). Its
 * numbers are added as any list's members (addMembers, importMembers). The dialer checks them when it leases
 * a member (src/dialer/leasing.ts), so a number added mid-campaign stops every later attempt.
 */

/** The numbers given, normalised as members' numbers are; any that is not a phone number is a ValidationError naming it. */
export function blacklistNumbers(numbers: readonly string[]): string[] {
  if (numbers.length === 0) throw ValidationError.of('numbers', 'give at least one number');
  const problems = numbers.flatMap((number, index) => (normaliseNumber(number.trim()) === null ? [{ field: `numbers[${index}]`, message: `${JSON.stringify(number)} is not a phone number` }] : []));
  if (problems.length > 0) throw new ValidationError(`numbers: ${problems.map((p) => p.message).join('; ')}`, problems);
  return numbers.map((number) => normaliseNumber(number.trim()) as string);
}

export type BlacklistCancellation = { found: number; updated: number };

/**
 * WombatDialer's cancelBlacklist: every entry of the list with one of the numbers stops blocking it, marked
 * with the reason and when (BLACKLISTED_CANCEL). Entries cancelled before are found but left as they were.
 */
export async function cancelBlacklist(prisma: PrismaClient, dialListId: string, numbers: readonly string[], reason: string | null, now = new Date()): Promise<BlacklistCancellation> {
  await findLiveDialList(prisma, dialListId);
  const wanted = blacklistNumbers(numbers);
  if (reason !== null && /[\r\n]/.test(reason)) throw ValidationError.of('reason', 'must be one line');
  const where = { dialListId, numbers: { some: { number: { in: wanted } } } };
  const found = await prisma.member.count({ where });
  const { count } = await prisma.member.updateMany({
    where: { ...where, blacklistCancelledAt: null },
    data: { blacklistCancelledAt: now, blacklistCancelReason: reason ?? `cancelled ${now.toISOString()}` },
  });
  return { found, updated: count };
}

/** Makes a list a do-not-call list of one campaign, or stops it being one. Its own dial list cannot be. */
export async function setCampaignBlacklist(prisma: PrismaClient, campaignId: string, dialListId: string, blocking: boolean): Promise<DialList[]> {
  const campaign = await findLiveCampaign(prisma, campaignId);
  await findLiveDialList(prisma, dialListId);
  if (blocking && campaign.dialListId === dialListId) throw ValidationError.of('dialListId', 'is the list this campaign dials: it cannot also be its do-not-call list');
  const key = { campaignId_dialListId: { campaignId, dialListId } };
  if (blocking) {
    const existing = await prisma.campaignList.findUnique({ where: key });
    if (existing && existing.role !== 'BLACKLIST') throw ValidationError.of('dialListId', 'is a list this campaign dials: remove it from the campaign first');
    await prisma.campaignList.upsert({ where: key, create: { campaignId, dialListId, role: 'BLACKLIST' }, update: {} });
  } else {
    await prisma.campaignList.deleteMany({ where: { campaignId, dialListId, role: 'BLACKLIST' } });
  }
  return campaignBlacklists(prisma, campaignId);
}

/** Makes a list a do-not-call list of every campaign (uContact's `*`), or stops it being one. */
export async function setBlacklistForAll(prisma: PrismaClient, dialListId: string, forAll: boolean): Promise<DialList> {
  await findLiveDialList(prisma, dialListId);
  return prisma.dialList.update({ where: { id: dialListId }, data: { blacklistForAll: forAll } });
}

/** The do-not-call lists a campaign obeys: its own and those for every campaign. */
export async function campaignBlacklists(prisma: PrismaClient, campaignId: string): Promise<DialList[]> {
  return prisma.dialList.findMany({
    where: { inUse: true, OR: [{ blacklistForAll: true }, { campaignLists: { some: { campaignId, role: 'BLACKLIST' } } }] },
    orderBy: { name: 'asc' },
  });
}

/** Whether a campaign would refuse to dial the number, and which of its do-not-call lists hold it. */
export async function doNotCallListsOf(prisma: PrismaClient, campaignId: string, number: string): Promise<DialList[]> {
  const [normalised] = blacklistNumbers([number]);
  await findLiveCampaign(prisma, campaignId);
  const lists = await campaignBlacklists(prisma, campaignId);
  const holding = await prisma.member.findMany({
    where: { dialListId: { in: lists.map((list) => list.id) }, blacklistCancelledAt: null, numbers: { some: { number: normalised } } },
    select: { dialListId: true },
    distinct: ['dialListId'],
  });
  const ids = new Set(holding.map((member) => member.dialListId));
  return lists.filter((list) => ids.has(list.id));
}
