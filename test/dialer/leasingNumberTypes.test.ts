import { beforeEach, describe, expect, it } from 'vitest';
import { leaseDialings, waitingMembers, type LeaseCampaign, type LeaseRequest } from '../../src/dialer/leasing.js';
import { listExhausted } from '../../src/dialer/listEnd.js';
import { PASSED_OVER_MINUTES, setAsidePassedOver } from '../../src/dialer/passedOver.js';
import { CAMPAIGN_SETUP, campaignRules } from '../../src/dialer/rules.js';
import { updatePlan } from '../../src/outbound/plans.js';
import type { PlanNumberTypeInput } from '../../src/outbound/numberTypeInput.js';
import { recallInfo } from '../../src/reports/recallInfo.js';
import { emptyDatabase, storageKinds } from '../support/database.js';
import { createLeaseCampaign, prepareLocal } from '../support/leaseCampaign.js';
import { useStorage } from '../support/storage.js';

// Sunday 22 November 2026; Lisbon is on UTC in November, so its members' local time is the UTC time.
const SUNDAY_NOON = new Date('2026-11-22T12:00:00Z');
const SUNDAY_EVENING = new Date('2026-11-22T19:00:00Z');
const MONDAY_ONE_AM = new Date('2026-11-23T01:00:00Z');
const SUNDAY_ONE_AM = new Date('2026-11-22T01:00:00Z');

const TYPES: PlanNumberTypeInput[] = [
  // Sunday evenings, into Monday's small hours.
  { code: 'mobile', name: 'Mobile', maxTries: 3, priority: 10, windows: [{ weekdays: [0], start: '18:00', end: '02:00' }] },
  { code: 'home', name: 'Home', maxTries: 1, priority: 1, windows: [{ start: '09:00', end: '21:00' }] },
  { code: 'work', name: 'Work', maxTries: 2 },
];

describe.each(storageKinds)('calling windows and tries per number type (%s)', (kind, create) => {
  const storage = useStorage(kind, create);
  let campaign: LeaseCampaign;

  beforeEach(async () => {
    if (storage.skip) return;
    const { database } = storage;
    await emptyDatabase(database);
    const created = await createLeaseCampaign(database.prisma);
    await updatePlan(database.prisma, created.planId, { numberTypes: TYPES, maxRetries: [2, 2, 2, 2, 2, 2, 2, 2] });
    await database.prisma.campaign.update({ where: { id: created.campaign.id }, data: { timezone: 'Europe/Lisbon' } });
    const setup = await database.prisma.campaign.findUniqueOrThrow({ where: { id: created.campaign.id }, include: CAMPAIGN_SETUP });
    campaign = campaignRules(setup).lease(created.campaign.runId);
  });

  type NumberGiven = { number: string; type?: string; priority?: number; tryCount?: number };
  async function addMember(name: string, numbers: NumberGiven[], data: Record<string, unknown> = {}) {
    return storage.database.prisma.member.create({
      data: { dialListId: campaign.dialListId, name, ...data, numbers: { create: numbers.map((number, index) => ({ slot: index + 1, dialListId: campaign.dialListId, ...number })) } },
    });
  }

  const request = (now: Date, extra: Partial<LeaseRequest> = {}): LeaseRequest => ({
    campaign,
    owner: 'a',
    now,
    howMany: () => 10,
    prepare: prepareLocal,
    ...extra,
  });

  async function dialedAt(now: Date): Promise<string[]> {
    const { database } = storage;
    await database.prisma.member.updateMany({ data: { status: 'IDLE' } });
    await database.prisma.dialing.deleteMany();
    return (await leaseDialings(database.driver, request(now))).map((dialing) => dialing.dialedNumber).sort();
  }

  it.skipIf(storage.skip)("dials the member's number whose type is open, and the open type of highest priority first", async () => {
    // The home number's own priority is higher: its type's priority comes first.
    await addMember('both', [
      { number: 'mobile', type: 'mobile' },
      { number: 'home', type: 'home', priority: 50 },
    ]);
    expect(await dialedAt(SUNDAY_NOON)).toEqual(['home']);
    expect(await dialedAt(SUNDAY_EVENING)).toEqual(['mobile']);
    // After midnight, in the Sunday window that crosses it; the same hour of Sunday belongs to Saturday, not listed.
    expect(await dialedAt(MONDAY_ONE_AM)).toEqual(['mobile']);
    expect(await dialedAt(SUNDAY_ONE_AM)).toEqual([]);
  });

  it.skipIf(storage.skip)("matches a number's type to the plan's whatever its case, as an import writes it", async () => {
    await addMember('shouting', [{ number: 'MOBILE-number', type: 'MOBILE', tryCount: 2 }]);
    // Mobile's window, and its 3 tries rather than the slot's 2.
    expect(await dialedAt(SUNDAY_NOON)).toEqual([]);
    expect(await dialedAt(SUNDAY_EVENING)).toEqual(['MOBILE-number']);
  });

  it.skipIf(storage.skip)("reads the window in the member's own time zone, the campaign's when it has none", async () => {
    // 12:00 UTC is 21:00 in Tokyo: past home's hours, inside mobile's.
    await addMember('tokyo', [{ number: 'tokyo-home', type: 'home' }, { number: 'tokyo-mobile', type: 'mobile' }], { timezone: 'Asia/Tokyo' });
    await addMember('lisbon', [{ number: 'lisbon-home', type: 'home' }, { number: 'lisbon-mobile', type: 'mobile' }]);
    expect(await dialedAt(SUNDAY_NOON)).toEqual(['lisbon-home', 'tokyo-mobile']);
  });

  it.skipIf(storage.skip)("counts a number's tries against its type's maxTries instead of its slot's; a type the plan does not define keeps the slot's", async () => {
    await addMember('home used up', [{ number: 'home-used', type: 'home', tryCount: 1 }]);
    await addMember('work has one left', [{ number: 'work-left', type: 'work', tryCount: 1 }]);
    await addMember('mobile past its slot', [{ number: 'mobile-left', type: 'mobile', tryCount: 2 }]);
    await addMember('fax on its slot', [{ number: 'fax-used', type: 'fax', tryCount: 2 }]);
    await addMember('untyped on its slot', [{ number: 'plain-left', tryCount: 1 }]);
    expect(await dialedAt(SUNDAY_EVENING)).toEqual(['mobile-left', 'plain-left', 'work-left']);
  });

  it.skipIf(storage.skip)('leases another member while one has only numbers out of their window, and keeps the list going for it', async () => {
    const { database } = storage;
    const waiting = await addMember('mobile only', [{ number: 'mobile', type: 'mobile' }]);
    await addMember('work', [{ number: 'work', type: 'work' }]);
    expect(await dialedAt(SUNDAY_NOON)).toEqual(['work']);
    // The one dialed is done; the other still has tries, only not now.
    await database.prisma.dialing.deleteMany();
    await database.prisma.member.updateMany({ where: { name: 'work' }, data: { status: 'DONE' } });
    await database.prisma.member.updateMany({ where: { name: 'mobile only' }, data: { status: 'IDLE' } });
    const setup = await database.prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id }, include: CAMPAIGN_SETUP });
    expect(await listExhausted(database.prisma, database.driver, setup)).toBe(false);
    expect(await waitingMembers(database.driver, campaign, SUNDAY_NOON)).toMatchObject({ count: 1, nextDueAt: null });
    expect((await recallInfo(database.driver, campaign.id, 300, SUNDAY_NOON)).readyNow).toBe(0);
    expect((await recallInfo(database.driver, campaign.id, 300, SUNDAY_EVENING)).readyNow).toBe(1);

    // The sweep sets it aside as it does a member outside its own hours, and the list is still not at an end.
    expect(await setAsidePassedOver(database.driver, campaign, SUNDAY_NOON)).toBe(1);
    const setAside = await database.prisma.member.findUniqueOrThrow({ where: { id: waiting.id } });
    expect(setAside.nextAttemptAt?.getTime()).toBe(SUNDAY_NOON.getTime() + PASSED_OVER_MINUTES * 60_000);
    expect(await listExhausted(database.prisma, database.driver, setup)).toBe(false);
    expect((await leaseDialings(database.driver, request(SUNDAY_EVENING))).map((dialing) => dialing.dialedNumber)).toEqual(['mobile']);
  });
});
