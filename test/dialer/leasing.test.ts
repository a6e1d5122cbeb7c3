import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/open.js';
import { memberCallable } from '../../src/dialer/schedule/memberWindow.js';
import { beat, leave, outliveOthers } from '../../src/dialer/heartbeat.js';
import { claimOrphaned, leaseDialings, stillOwned, waitingMembers, type LeaseCampaign, type LeaseRequest, type LiveCounts } from '../../src/dialer/leasing.js';
import { emptyDatabase, storageKinds, type TestDatabase } from '../support/database.js';
import { createLeaseCampaign, prepareLocal } from '../support/leaseCampaign.js';
import { lockWaiters } from '../support/locks.js';

const NOW = new Date('2026-11-22T12:00:00Z');
const MANUAL_DATES = { startDate: null, endDate: null, weekdays: [], dates: [], exceptDates: [] };

describe.each(storageKinds)('leasing members to dial (%s)', (kind, create) => {
  let database: TestDatabase;
  let campaign: LeaseCampaign;

  // One database for the block, emptied before each test: a new one a test cost more than the tests themselves.
  beforeAll(async () => {
    database = await create();
  });
  afterAll(async () => database?.drop());

  beforeEach(async () => {
    await emptyDatabase(database);
    ({ campaign } = await createLeaseCampaign(database.prisma));
  });

  async function addMember(
    name: string,
    data: Record<string, unknown> = {},
    numbers: { number: string; normalized?: string; tryCount?: number; priority?: number }[] = [{ number: `n-${name}` }],
  ) {
    return database.prisma.member.create({
      data: {
        dialListId: campaign.dialListId,
        name,
        ...data,
        numbers: { create: numbers.map((number, index) => ({ slot: index + 1, dialListId: campaign.dialListId, ...number })) },
      },
    });
  }

  const request = (owner: string, howMany: (live: LiveCounts) => number, extra: Partial<LeaseRequest> = {}): LeaseRequest => ({
    campaign,
    owner,
    now: NOW,
    howMany,
    prepare: prepareLocal,
    ...extra,
  });

  it('takes the highest-priority dialable members, marks them DIALING and records a dialing for each', async () => {
    await addMember('low', { priority: 1 });
    await addMember('high', { priority: 9 });
    await addMember('later', { priority: 9, nextAttemptAt: new Date(NOW.getTime() + 60_000) });
    await addMember('expired', { priority: 9, expiresAt: new Date(NOW.getTime() - 1) });
    await addMember('spent', { priority: 9 }, [{ number: 'x', tryCount: 2 }]);
    await addMember('done', { priority: 9, status: 'DONE' });

    const leased = await leaseDialings(database.driver, request('a', () => 10));
    const names = await database.prisma.member.findMany({ where: { id: { in: leased.map((d) => d.memberId) } }, select: { name: true, status: true } });
    expect(names.map((m) => m.name).sort()).toEqual(['high', 'low']);
    expect(names.every((m) => m.status === 'DIALING')).toBe(true);
    const dialings = await database.prisma.dialing.findMany({ orderBy: { dialedNumber: 'asc' } });
    expect(dialings.map((d) => [d.dialedNumber, d.status, d.owner, d.tryCount, d.uniqueid === d.id])).toEqual([
      ['n-high', 'PENDING', 'a', 1, true],
      ['n-low', 'PENDING', 'a', 1, true],
    ]);
  });

  it('passes over a member whose number cannot be placed now, leaving it as it was, and looks further for one that can, in up to lookAhead rounds', async () => {
    for (const [index, name] of ['full-1', 'full-2', 'open-1', 'open-2', 'open-3'].entries()) await addMember(name, { priority: 10 - index });
    const waitsForItsTrunk = (base: LeaseRequest['prepare']): LeaseRequest['prepare'] => (member, dialing) => ({
      ...base(member, dialing),
      notNow: member.name?.startsWith('full') ? 'every trunk that takes it is full' : null,
    });
    const plain = request('a', () => 2);
    const leased = await leaseDialings(database.driver, { ...plain, lookAhead: 2, prepare: waitsForItsTrunk(plain.prepare) });
    expect(leased.map((dialing) => dialing.dialedNumber)).toEqual(['n-open-1', 'n-open-2']);
    const members = await database.prisma.member.findMany({ orderBy: { priority: 'desc' }, select: { name: true, status: true } });
    expect(members.map((member) => [member.name, member.status])).toEqual([
      ['full-1', 'IDLE'],
      ['full-2', 'IDLE'],
      ['open-1', 'DIALING'],
      ['open-2', 'DIALING'],
      ['open-3', 'IDLE'],
    ]);
    expect(await database.prisma.dialing.count()).toBe(2);
    // Looking no further than it wants, the members at the head that wait take its whole lease.
    await database.prisma.dialing.deleteMany();
    await database.prisma.member.updateMany({ data: { status: 'IDLE' } });
    expect(await leaseDialings(database.driver, { ...plain, prepare: waitsForItsTrunk(plain.prepare) })).toEqual([]);
  });

  it('leaves a member waiting for its result until it is due, and never dials a stopped number', async () => {
    await addMember('waiting', { resultDueAt: new Date(NOW.getTime() + 60_000) });
    await addMember('due', { resultDueAt: new Date(NOW.getTime() - 1) });
    await addMember('all stopped', {}, [{ number: 'stopped-1' }]);
    await database.prisma.memberNumber.updateMany({ where: { number: 'stopped-1' }, data: { stopped: true } });
    const second = await addMember('second number', {}, [{ number: 'first-stopped', priority: 9 }, { number: 'second-open' }]);
    await database.prisma.memberNumber.update({ where: { memberId_slot: { memberId: second.id, slot: 1 } }, data: { stopped: true } });

    const leased = await leaseDialings(database.driver, request('a', () => 10));
    expect(leased.map((d) => d.dialedNumber).sort()).toEqual(['n-due', 'second-open']);
  });

  /** A do-not-call list holding these numbers, one entry each. */
  async function doNotCallList(name: string, numbers: string[], data: { blacklistForAll?: boolean } = {}) {
    const list = await database.prisma.dialList.create({ data: { name, ...data } });
    for (const number of numbers) {
      await database.prisma.member.create({ data: { dialListId: list.id, numbers: { create: [{ slot: 1, dialListId: list.id, number }] } } });
    }
    return list;
  }
  const leasedNumbers = async (extra: Partial<LeaseRequest> = {}) => (await leaseDialings(database.driver, request('a', () => 10, extra))).map((d) => d.dialedNumber).sort();

  it("never dials a number on one of the campaign's do-not-call lists or on one for every campaign, and skips to the member's other number", async () => {
    await addMember('blocked', {}, [{ number: '5550001' }]);
    await addMember('blocked everywhere', {}, [{ number: '5550002' }]);
    await addMember('other list', {}, [{ number: '5550003' }]);
    await addMember('two numbers', {}, [{ number: '5550001', priority: 9 }, { number: '5550004' }]);
    const mine = await doNotCallList('DNC', ['5550001']);
    await database.prisma.campaignList.create({ data: { campaignId: campaign.id, dialListId: mine.id, role: 'BLACKLIST' } });
    await doNotCallList('National DNC', ['5550002'], { blacklistForAll: true });
    await doNotCallList('Not attached', ['5550003']);
    expect(await leasedNumbers()).toEqual(['5550003', '5550004']);
  });

  it('compares numbers normalised: one written nationally is blocked by the same written internationally, a number stopped on the list no longer blocks', async () => {
    await addMember('national', {}, [{ number: '912345678', normalized: '+351912345678' }]);
    await addMember('other', {}, [{ number: '912345679', normalized: '+351912345679' }]);
    const list = await database.prisma.dialList.create({ data: { name: 'DNC', blacklistForAll: true } });
    await database.prisma.member.create({
      data: { dialListId: list.id, numbers: { create: [{ slot: 1, dialListId: list.id, number: '+351912345678', normalized: '+351912345678' }, { slot: 2, dialListId: list.id, number: '+351912345679', stopped: true }] } },
    });
    expect(await leasedNumbers()).toEqual(['912345679']);
  });

  it('dials a number again once its do-not-call entry is cancelled', async () => {
    await addMember('cancelled', {}, [{ number: '5550001' }]);
    const list = await doNotCallList('DNC', ['5550001']);
    await database.prisma.campaignList.create({ data: { campaignId: campaign.id, dialListId: list.id, role: 'BLACKLIST' } });
    expect(await leasedNumbers()).toEqual([]);
    await database.prisma.member.updateMany({ where: { dialListId: list.id }, data: { blacklistCancelledAt: NOW, blacklistCancelReason: 'consent' } });
    expect(await leasedNumbers()).toEqual(['5550001']);
  });

  it('takes a due scheduled call before members of higher priority, and one not yet due not at all', async () => {
    await addMember('important', { priority: 50 });
    await addMember('callback', { scheduledAt: new Date(NOW.getTime() - 1_000), nextAttemptAt: new Date(NOW.getTime() - 1_000) });
    await addMember('tomorrow', { scheduledAt: new Date(NOW.getTime() + 86_400_000), nextAttemptAt: new Date(NOW.getTime() + 86_400_000) });
    const [first, ...rest] = await leaseDialings(database.driver, request('a', () => 10));
    expect(first?.dialedNumber).toBe('n-callback');
    expect(rest.map((d) => d.dialedNumber)).toEqual(['n-important']);
  });

  it("offers a member meant for one agent to that agent's reservation only, ahead of the others", async () => {
    await addMember('anyone', { priority: 5 });
    await addMember('for 2001', { agent: 'PJSIP/2001' });
    const forOther = await leaseDialings(database.driver, request('preview 2002', () => 10, { reserveFor: 'PJSIP/2002' }));
    expect(forOther.map((d) => d.dialedNumber)).toEqual(['n-anyone']);
    await database.prisma.dialing.deleteMany();
    await database.prisma.member.updateMany({ data: { status: 'IDLE' } });
    const forAgent = await leaseDialings(database.driver, request('preview 2001', () => 1, { reserveFor: 'PJSIP/2001' }));
    expect(forAgent.map((d) => d.dialedNumber)).toEqual(['n-for 2001']);
  });

  it("takes members of lists added to the campaign after its own list's, in their order, never from a paused one", async () => {
    await addMember('own', { priority: 1 });
    const second = await database.prisma.dialList.create({ data: { name: 'Second', variables: { SOURCE: 'second' } } });
    const third = await database.prisma.dialList.create({ data: { name: 'Third' } });
    const paused = await database.prisma.dialList.create({ data: { name: 'Paused' } });
    for (const [list, name, priority] of [[third, 'third', 99], [second, 'second', 50], [paused, 'paused', 99]] as const) {
      await database.prisma.member.create({ data: { dialListId: list.id, name, priority, numbers: { create: [{ slot: 1, dialListId: list.id, number: `n-${name}` }] } } });
    }
    await database.prisma.campaignList.createMany({
      data: [
        { campaignId: campaign.id, dialListId: second.id, role: 'CALLS', position: 0 },
        { campaignId: campaign.id, dialListId: third.id, role: 'CALLS', position: 1 },
        { campaignId: campaign.id, dialListId: paused.id, role: 'CALLS', position: 2, paused: true },
      ],
    });
    const lists: Record<string, string> = {};
    const leased = await leaseDialings(database.driver, {
      ...request('a', () => 10),
      prepare: (member, ids) => {
        lists[member.number.number] = member.dialList.name;
        return request('a', () => 10).prepare(member, ids);
      },
    });
    expect(leased.map((d) => d.dialedNumber)).toEqual(['n-own', 'n-second', 'n-third']);
    expect(lists).toEqual({ 'n-own': 'List', 'n-second': 'Second', 'n-third': 'Third' });
  });

  it('counts the members still to be tried, and says when the first falls due: a retry, or a result waited for', async () => {
    const inAnHour = new Date(NOW.getTime() + 3_600_000);
    const inTenMinutes = new Date(NOW.getTime() + 600_000);
    await addMember('retrying', { nextAttemptAt: inAnHour, priority: 3 });
    await addMember('waiting for its result', { resultDueAt: inTenMinutes });
    await addMember('out of tries', {}, [{ number: 'n-out', tryCount: 2 }]);
    await addMember('done', { status: 'DONE', nextAttemptAt: new Date(NOW.getTime() + 60_000) });
    expect(await waitingMembers(database.driver, campaign, NOW)).toEqual({ count: 2, countCapped: false, nextDueAt: inTenMinutes });
    await database.prisma.member.updateMany({ where: { name: 'waiting for its result' }, data: { resultDueAt: null, nextAttemptAt: new Date(NOW.getTime() + 7_200_000) } });
    expect((await waitingMembers(database.driver, campaign, NOW)).nextDueAt).toEqual(inAnHour);
  });

  it("holds each number to its own slot's retry limit, in the count of members waiting and in the lease", async () => {
    campaign = { ...campaign, maxRetries: [1, 3, 0, 0, 0, 0, 0, 0] };
    await addMember('slot 2 has a try left', {}, [{ number: 'n-a1', tryCount: 1 }, { number: 'n-a2', tryCount: 2 }]);
    await addMember('slot 2 has two left', {}, [{ number: 'n-d1', tryCount: 1 }, { number: 'n-d2', tryCount: 1 }]);
    await addMember('both slots used up', {}, [{ number: 'n-b1', tryCount: 1 }, { number: 'n-b2', tryCount: 3 }]);
    await addMember('slot 3 has no tries', {}, [{ number: 'n-c1', tryCount: 1 }, { number: 'n-c2', tryCount: 3 }, { number: 'n-c3' }]);
    expect(await waitingMembers(database.driver, campaign, NOW)).toMatchObject({ count: 2 });
    expect((await leaseDialings(database.driver, request('a', () => 10))).map((dialing) => dialing.dialedNumber).sort()).toEqual(['n-a2', 'n-d2']);
  });

  if (kind === 'postgresql') it('never lets two campaigns sharing a list take the same member at once: what the other is leasing is skipped, not waited for', async () => {
    const [first, second] = [await addMember('first'), await addMember('second')];
    const row = await database.prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    const sharing = await database.prisma.campaign.create({ data: { name: 'Sharing', status: 'RUNNING', planId: row.planId, destinationId: row.destinationId, dialListId: campaign.dialListId } });
    const sharingRun = await database.prisma.campaignRun.create({ data: { campaignId: sharing.id, startedBy: 'test' } });
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      // The first campaign's lease, caught between taking its member and committing.
      await holder.query('BEGIN');
      await holder.query(`UPDATE "Member" SET status = 'DIALING' WHERE id = $1`, [first.id]);
      let settled = false;
      const leasing = leaseDialings(database.driver, { ...request('b', () => 2), campaign: { ...campaign, id: sharing.id, runId: sharingRun.id } }).finally(() => {
        settled = true;
      });
      // It either passes the locked member by at once, or waits for the holder (a lease that takes it without SKIP LOCKED).
      let waited = false;
      while (!settled && !waited) waited = (await lockWaiters(database.driver)) > 0;
      await holder.query('COMMIT');
      expect((await leasing).map((dialing) => dialing.memberId)).toEqual([second.id]);
      expect(waited).toBe(false);
    } finally {
      await holder.end();
    }
  });

  it('takes only as many as the decision allows, given live dialings of every process', async () => {
    for (let i = 0; i < 10; i++) await addMember(`m${i}`);
    const capTo = (limit: number) => (live: LiveCounts) => limit - live.total;
    expect(await leaseDialings(database.driver, request('a', capTo(3)))).toHaveLength(3);
    expect(await leaseDialings(database.driver, request('b', capTo(5)))).toHaveLength(2);
    expect(await leaseDialings(database.driver, request('a', capTo(5)))).toHaveLength(0);
  });

  it("calls a member only inside the daily window in the member's own timezone, as memberCallable decides", async () => {
    // 12:00 UTC is 07:00 in New York, 13:00 in Berlin, 17:30 in Kolkata and 21:00 in Tokyo.
    const zones = { newyork: 'America/New_York', tokyo: 'Asia/Tokyo', kolkata: 'Asia/Kolkata', 'campaign zone': null };
    for (const [name, timezone] of Object.entries(zones)) await addMember(name, timezone ? { timezone } : {});
    const windows = [
      { timezone: 'Europe/Berlin', start: '09:00:00', end: '20:00:00' },
      // Crosses midnight; open for the campaign (21:00 in Tokyo), as the engine asks before it leases.
      { timezone: 'Asia/Tokyo', start: '20:00:00', end: '08:00:00' },
    ];
    for (const window of windows) {
      await database.prisma.member.updateMany({ data: { status: 'IDLE' } });
      await database.prisma.dialing.deleteMany();
      campaign = { ...campaign, memberWindow: window };
      const leased = (await leaseDialings(database.driver, request('a', () => 10))).map((d) => d.dialedNumber).sort();
      const schedule = { ...MANUAL_DATES, scheduleMode: 'SCHEDULED' as const, timezone: window.timezone, dailyStartTime: window.start, dailyEndTime: window.end };
      const callable = Object.entries(zones)
        .filter(([, zone]) => memberCallable(schedule, zone, NOW))
        .map(([name]) => `n-${name}`)
        .sort();
      expect(leased).toEqual(callable);
    }
  });

  it('lets another process claim the dialings of a process that stopped beating, and no others', async () => {
    await addMember('m1');
    await addMember('m2');
    await beat(database.driver, 'dead');
    await beat(database.driver, 'alive');
    await leaseDialings(database.driver, request('dead', () => 1));
    await leaseDialings(database.driver, request('alive', () => 1));
    expect(await claimOrphaned(database.driver, 'other', NOW, 60_000)).toEqual([]);
    // Its last beat a minute ago by the database's clock: silent for longer than deadAfterMs.
    await database.prisma.$executeRaw`UPDATE "DialerProcess" SET "seenAt" = now() - interval '1 minute' WHERE id = 'dead'`;
    const claimed = await claimOrphaned(database.driver, 'other', NOW, 30_000);
    expect(claimed).toHaveLength(1);
    expect(claimed[0]).toMatchObject({ server: 'pbx1', status: 'PENDING' });
    expect((await database.prisma.dialing.findMany({ orderBy: { owner: 'asc' } })).map((d) => d.owner)).toEqual(['alive', 'other']);
    expect(await stillOwned(database.driver, 'alive', (await database.prisma.dialing.findMany()).map((d) => d.id))).toHaveProperty('size', 1);
  });

  it('claims at once the dialings of a process that left, and a reservation once it ran out', async () => {
    await addMember('m1');
    await addMember('m2');
    await beat(database.driver, 'gone');
    await leaseDialings(database.driver, request('gone', () => 1));
    await leaseDialings(database.driver, request('preview PJSIP/2001', () => 1, { reserveFor: 'PJSIP/2001', reservedUntil: new Date(NOW.getTime() + 60_000) }));
    expect(await claimOrphaned(database.driver, 'other', NOW, 60_000)).toEqual([]);
    await leave(database.driver, 'gone');
    expect(await claimOrphaned(database.driver, 'other', NOW, 60_000)).toMatchObject([{ status: 'PENDING' }]);
    expect(await claimOrphaned(database.driver, 'other', new Date(NOW.getTime() + 61_000), 60_000)).toMatchObject([{ status: 'RESERVED' }]);
  });

  it('lets a process that alone can open its database adopt at once what its predecessor held', async () => {
    await addMember('m1');
    await beat(database.driver, 'predecessor');
    await leaseDialings(database.driver, request('predecessor', () => 1));
    await beat(database.driver, 'successor');
    expect(await claimOrphaned(database.driver, 'successor', NOW, 60_000)).toEqual([]);
    await outliveOthers(database.driver, 'successor');
    expect(await claimOrphaned(database.driver, 'successor', NOW, 60_000)).toHaveLength(1);
    expect(await database.prisma.dialerProcess.findMany({ select: { id: true } })).toEqual([{ id: 'successor' }]);
  });

  // Two processes need two connections to one server: PostgreSQL only (the embedded database is one process's).
  if (kind === 'postgresql') it('never gives one member to two processes leasing at the same time', async () => {
    for (let i = 0; i < 60; i++) await addMember(`m${i}`);
    const second: Database = await openDatabase({ databaseUrl: database.url, dataDir: '' });
    try {
      const rounds = await Promise.all(
        Array.from({ length: 12 }, (_, i) => leaseDialings((i % 2 === 0 ? database : second).driver, request(`p${i % 2}`, (live) => Math.min(8, 50 - live.total)))),
      );
      const ids = rounds.flat().map((dialing) => dialing.memberId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(50);
      expect(await database.prisma.member.count({ where: { status: 'DIALING' } })).toBe(50);
    } finally {
      await second.close();
    }
  });
});
