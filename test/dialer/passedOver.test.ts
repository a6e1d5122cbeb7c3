import { beforeEach, describe, expect, it } from 'vitest';
import { leaseDialings, type LeaseCampaign } from '../../src/dialer/leasing.js';
import { PASSED_OVER_MINUTES, PassedOverSweeps, setAsidePassedOver } from '../../src/dialer/passedOver.js';
import { createLogger } from '../../src/logger.js';
import { emptyDatabase, storageKinds } from '../support/database.js';
import { createLeaseCampaign } from '../support/leaseCampaign.js';
import { useStorage } from '../support/storage.js';

const NOW = new Date('2026-11-22T12:00:00Z');
const LATER = new Date(NOW.getTime() + PASSED_OVER_MINUTES * 60_000);

describe.each(storageKinds)('setting aside the members a lease would step over (%s)', (kind, create) => {
  const storage = useStorage(kind, create);
  let campaign: LeaseCampaign;
  let planId: string;
  let destinationId: string;

  beforeEach(async () => {
    if (storage.skip) return;
    await emptyDatabase(storage.database);
    const prisma = storage.database.prisma;
    ({ campaign, planId, destinationId } = await createLeaseCampaign(prisma));
    const dnc = await prisma.dialList.create({ data: { name: 'DNC' } });
    await prisma.member.create({ data: { dialListId: dnc.id, numbers: { create: [{ slot: 1, dialListId: dnc.id, number: '5550000' }] } } });
    await prisma.campaignList.create({ data: { campaignId: campaign.id, dialListId: dnc.id, role: 'BLACKLIST' } });
  });

  let lastId = 0;
  /** `count` members named `<prefix><n>`, each with the number `number`; their ids grow, so they are due in the order they were added. */
  async function addMembers(prefix: string, count: number, number: string, extra = ''): Promise<void> {
    const first = lastId;
    lastId += count;
    await storage.database.driver.withConnection((connection) =>
      connection.query(
        `WITH added AS (
           INSERT INTO "Member" (id, "dialListId", name, "createdAt", "updatedAt" ${extra === '' ? '' : ', "expiresAt"'})
           SELECT ('01900000-0000-7000-8000-' || lpad(to_hex($6::int + g), 12, '0'))::uuid, $1::uuid, $2 || lpad(g::text, 5, '0'), $3::timestamp, $3::timestamp ${extra === '' ? '' : `, ${extra}`}
             FROM generate_series(1, $4::int) g
           RETURNING id)
         INSERT INTO "MemberNumber" ("memberId", slot, "dialListId", number) SELECT id, 1, $1::uuid, $5 FROM added`,
        [campaign.dialListId, prefix, NOW.toISOString(), count, number, first],
      ),
    );
  }

  const nextAttempts = async (prefix: string) =>
    new Set(
      (await storage.database.prisma.member.findMany({ where: { dialListId: campaign.dialListId, name: { startsWith: prefix } }, select: { nextAttemptAt: true } })).map((m) =>
        m.nextAttemptAt?.toISOString() ?? null,
      ),
    );

  it.skipIf(storage.skip)(`moves a long run of members on a do-not-call list ${PASSED_OVER_MINUTES} minutes ahead, round after round, and leaves the callable ones due`, async () => {
    await addMembers('blocked', 1200, '5550000');
    await addMembers('callable', 30, '5551234');
    expect(await setAsidePassedOver(storage.database.driver, campaign, NOW)).toBe(1200);
    expect(await nextAttempts('blocked')).toEqual(new Set([LATER.toISOString()]));
    expect(await nextAttempts('callable')).toEqual(new Set([null]));
    const leased = await leaseDialings(storage.database.driver, {
      campaign,
      owner: 'a',
      now: NOW,
      howMany: () => 5,
      prepare: (_member, dialing) => ({ uniqueid: dialing.id, server: 'pbx', dialString: 'x', variables: {}, originate: {}, problem: null, notNow: null, trunkId: null, planSnapshot: {}, destinationSnapshot: {}, otherUniqueid: null }),
    });
    expect(leased.map((dialing) => dialing.dialedNumber)).toEqual(Array(5).fill('5551234'));
  });

  it.skipIf(storage.skip)('stops at a head of callable members, and sets aside none of them', async () => {
    await addMembers('callable', 600, '5551234');
    await addMembers('blocked', 10, '5550000');
    expect(await setAsidePassedOver(storage.database.driver, campaign, NOW)).toBe(0);
    expect(await nextAttempts('blocked')).toEqual(new Set([null]));
  });

  it.skipIf(storage.skip)('sets aside members outside their own hours, and expired ones', async () => {
    await addMembers('expired', 3, '5551234', `$3::timestamp - interval '1 minute'`);
    await storage.database.driver.withConnection((connection) => connection.query(`UPDATE "Member" SET timezone = 'Asia/Tokyo' WHERE "dialListId" = $1::uuid AND name = 'expired00001'`, [campaign.dialListId]));
    await addMembers('night', 3, '5551234');
    await storage.database.driver.withConnection((connection) =>
      connection.query(`UPDATE "Member" SET timezone = 'Asia/Tokyo' WHERE "dialListId" = $1::uuid AND name LIKE 'night%'`, [campaign.dialListId]),
    );
    // 12:00 UTC is 21:00 in Tokyo: outside 09:00-20:00.
    const windowed = { ...campaign, memberWindow: { timezone: 'Europe/Madrid', start: '09:00', end: '20:00' } };
    expect(await setAsidePassedOver(storage.database.driver, windowed, NOW)).toBe(6);
  });

  it.skipIf(storage.skip)('on a list another campaign also dials, sets aside only what holds for every campaign (expired members)', async () => {
    await storage.database.prisma.campaign.create({ data: { name: 'Other', status: 'STOPPED', planId, destinationId, dialListId: campaign.dialListId } });
    await addMembers('blocked', 5, '5550000');
    await addMembers('expired', 2, '5551234', `$3::timestamp - interval '1 minute'`);
    expect(await setAsidePassedOver(storage.database.driver, campaign, NOW)).toBe(2);
    expect(await nextAttempts('blocked')).toEqual(new Set([null]));
    expect(await nextAttempts('expired')).toEqual(new Set([LATER.toISOString()]));
  });

  it.skipIf(storage.skip)('does nothing to members already being dialed or done', async () => {
    await addMembers('blocked', 4, '5550000');
    await storage.database.driver.withConnection((connection) =>
      connection.query(`UPDATE "Member" SET status = 'DONE' WHERE "dialListId" = $1::uuid AND name IN ('blocked00001', 'blocked00002')`, [campaign.dialListId]),
    );
    expect(await setAsidePassedOver(storage.database.driver, campaign, NOW)).toBe(2);
  });

  it.skipIf(storage.skip)("runs a campaign's sweep beside the ticks, once a minute and one at a time, and a stop cuts it between rounds", async () => {
    await addMembers('blocked', 1200, '5550000');
    const sweeps = new PassedOverSweeps(storage.database.driver, createLogger('silent'));
    const asideCount = async () => (await storage.database.prisma.member.count({ where: { dialListId: campaign.dialListId, nextAttemptAt: { not: null } } }));
    sweeps.due(campaign, NOW);
    // Asked again while it runs, and then again within the minute: neither starts another.
    sweeps.due(campaign, NOW);
    await sweeps.inProgress;
    expect(await asideCount()).toBe(1200);
    await storage.database.driver.withConnection((connection) => connection.query(`UPDATE "Member" SET "nextAttemptAt" = NULL WHERE "dialListId" = $1::uuid`, [campaign.dialListId]));
    sweeps.due(campaign, new Date(NOW.getTime() + 59_000));
    await sweeps.inProgress;
    expect(await asideCount()).toBe(0);
    // A minute on, it sweeps again; stopped at once, it finishes the round in hand (500 members) and starts no other.
    sweeps.due(campaign, new Date(NOW.getTime() + 60_000));
    await sweeps.stop();
    expect(await asideCount()).toBe(500);
    sweeps.due(campaign, new Date(NOW.getTime() + 120_000));
    await sweeps.inProgress;
    expect(await asideCount()).toBe(500);
  });
});
