import { ValidationError } from '../errors.js';
import type { DialList, PrismaClient } from '../generated/prisma/client.js';
import { findLiveCampaign } from './campaigns.js';
import { findLiveDialList } from './dialLists.js';
import { countryCode, normalizedNumber } from './members/phoneNumbers.js';
import { normaliseNumber } from './members/validation.js';
import { isUniqueViolation } from '../db/errors.js';

/**
 * Do-not-call lists (WombatDialer's black-lists, uContact's DNC): a dial list whose members' numbers a
 * campaign never dials, for one campaign (CampaignList BLACKLIST) or for all (DialList.blacklistForAll). Its
 * numbers are added as any list's members (addMembers, importMembers). The dialer checks them when it leases
 * a member (src/dialer/leasing.ts), so a number added mid-campaign stops every later attempt.
 */

/**
 * The numbers given, as a list whose country is `country` compares them (E.164 when they are phone numbers:
 * see normalizedNumber); any that is not a phone number is a ValidationError naming it.
 */
export function blacklistNumbers(numbers: readonly string[], country: string | null): string[] {
  if (numbers.length === 0) throw ValidationError.of('numbers', 'give at least one number');
  const problems = numbers.flatMap((number, index) => (normaliseNumber(number.trim()) === null ? [{ field: `numbers[${index}]`, message: `${JSON.stringify(number)} is not a phone number` }] : []));
  if (problems.length > 0) throw new ValidationError(`numbers: ${problems.map((p) => p.message).join('; ')}`, problems);
  const code = countryCode(country);
  return numbers.map((number) => normalizedNumber(normaliseNumber(number.trim()) as string, code));
}

export type BlacklistCancellation = { found: number; updated: number };

/**
 * WombatDialer's cancelBlacklist: each of the numbers stops being blocked by the list, however it is written
 * (compared normalised). An entry holding other numbers too keeps blocking those: only the numbers named
 * stop (MemberNumber.stopped); an entry left with none is cancelled itself, marked with the reason and when
 * (BLACKLISTED_CANCEL). `found` counts the entries holding one of the numbers, `updated` those it changed.
 */
export async function cancelBlacklist(prisma: PrismaClient, dialListId: string, numbers: readonly string[], reason: string | null, now = new Date()): Promise<BlacklistCancellation> {
  const list = await findLiveDialList(prisma, dialListId);
  const wanted = blacklistNumbers(numbers, list.country);
  if (reason !== null && /[\r\n]/.test(reason)) throw ValidationError.of('reason', 'must be one line');
  return prisma.$transaction(async (tx) => {
    const entries = await tx.member.findMany({ where: { dialListId, numbers: { some: { normalized: { in: wanted } } } }, include: { numbers: true } });
    let updated = 0;
    for (const entry of entries) {
      if (entry.blacklistCancelledAt !== null) continue;
      const named = entry.numbers.filter((number) => !number.stopped && wanted.includes(number.normalized ?? number.number));
      if (named.length === 0) continue;
      updated++;
      await tx.memberNumber.updateMany({ where: { memberId: entry.id, slot: { in: named.map((number) => number.slot) } }, data: { stopped: true } });
      if (entry.numbers.every((number) => number.stopped || named.includes(number))) {
        await tx.member.update({ where: { id: entry.id }, data: { blacklistCancelledAt: now, blacklistCancelReason: reason ?? `cancelled ${now.toISOString()}` } });
      }
    }
    return { found: entries.length, updated };
  });
}

/** Makes a list a do-not-call list of one campaign, or stops it being one. Its own dial list cannot be. */
export async function setCampaignBlacklist(prisma: PrismaClient, campaignId: string, dialListId: string, blocking: boolean): Promise<DialList[]> {
  const campaign = await findLiveCampaign(prisma, campaignId);
  await findLiveDialList(prisma, dialListId);
  if (blocking && campaign.dialListId === dialListId) throw ValidationError.of('dialListId', 'is the list this campaign dials: it cannot also be its do-not-call list');
  const key = { campaignId_dialListId: { campaignId, dialListId } };
  if (blocking) {
    const dialed = () => ValidationError.of('dialListId', 'is a list this campaign dials: remove it from the campaign first');
    const existing = await prisma.campaignList.findUnique({ where: key });
    if (existing && existing.role !== 'BLACKLIST') throw dialed();
    if (!existing) {
      await prisma.campaignList.create({ data: { campaignId, dialListId, role: 'BLACKLIST' } }).catch(async (error: unknown) => {
        // Added by another request at the same moment: fine if as a do-not-call list too.
        if (!isUniqueViolation(error)) throw error;
        if ((await prisma.campaignList.findUnique({ where: key }))?.role !== 'BLACKLIST') throw dialed();
      });
    }
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
  const campaign = await findLiveCampaign(prisma, campaignId);
  const own = await prisma.dialList.findUnique({ where: { id: campaign.dialListId }, select: { country: true } });
  // Read as the campaign's own list reads its numbers; the lists' numbers were normalised as theirs read them.
  const [normalised] = blacklistNumbers([number], own?.country ?? null);
  const lists = await campaignBlacklists(prisma, campaignId);
  const holding = await prisma.member.findMany({
    where: { dialListId: { in: lists.map((list) => list.id) }, blacklistCancelledAt: null, numbers: { some: { normalized: normalised, stopped: false } } },
    select: { dialListId: true },
    distinct: ['dialListId'],
  });
  const ids = new Set(holding.map((member) => member.dialListId));
  return lists.filter((list) => ids.has(list.id));
}
