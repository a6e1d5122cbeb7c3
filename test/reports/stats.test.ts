import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallOutcome } from '../../src/generated/prisma/enums.js';
import { attemptStats, type AttemptFigures } from '../../src/reports/attemptStats.js';
import { recallInfo } from '../../src/reports/recallInfo.js';
import { createPostgresDatabase, type TestDatabase } from '../support/database.js';
import { postgresAvailable } from '../support/fixture.js';
import { attemptRow, reportCampaign, type AttemptShape, type ReportCampaign } from './fixtures.js';

const OUTCOMES: CallOutcome[] = ['ANSWERED', 'BUSY', 'NO_ANSWER', 'ABANDONED', 'FAILED', 'MACHINE'];
const CODES = [null, 'SALE', 'NOSALE', 'CALLBACK'];

/** 157 attempts over two runs with every outcome, codes and uneven durations, as the dialer would record them. */
function shapes(runs: [string, string]): AttemptShape[] {
  return Array.from({ length: 157 }, (_, i) => {
    const outcome = OUTCOMES[i % OUTCOMES.length] as CallOutcome;
    const answered = outcome === 'ANSWERED' || outcome === 'ABANDONED' || outcome === 'MACHINE';
    const answeredSec = answered ? 3 + (i % 7) + 0.25 : null;
    const bridgedSec = outcome === 'ANSWERED' ? (answeredSec as number) + (i % 5) : null;
    return {
      outcome,
      completionCode: answered ? CODES[i % CODES.length] : null,
      answeredSec,
      bridgedSec,
      endedSec: (bridgedSec ?? answeredSec ?? 0) + 10 + (i % 11) * 1.5,
      runId: runs[i % 3 === 0 ? 1 : 0],
      originatedAt: new Date(Date.UTC(2026, 10, 20, 10, 0, i)),
    };
  });
}

/** The same figures summed here, from the shapes, to check the database's. */
function expected(rows: readonly AttemptShape[]): AttemptFigures {
  const sum = (value: (row: AttemptShape) => number | null) => rows.reduce((total, row) => total + (value(row) ?? 0), 0);
  return {
    attempts: rows.length,
    answered: rows.filter((row) => row.answeredSec != null).length,
    connected: rows.filter((row) => row.bridgedSec != null).length,
    totalSec: sum((row) => row.endedSec),
    ringSec: sum((row) => row.answeredSec ?? null),
    waitSec: sum((row) => (row.bridgedSec == null ? null : row.bridgedSec - (row.answeredSec as number))),
    talkSec: sum((row) => (row.answeredSec == null ? null : row.endedSec - (row.bridgedSec ?? row.answeredSec))),
  };
}

function expectFigures(actual: AttemptFigures, wanted: AttemptFigures): void {
  expect({ attempts: actual.attempts, answered: actual.answered, connected: actual.connected }).toEqual({
    attempts: wanted.attempts,
    answered: wanted.answered,
    connected: wanted.connected,
  });
  for (const key of ['totalSec', 'ringSec', 'waitSec', 'talkSec'] as const) expect(actual[key]).toBeCloseTo(wanted[key], 6);
}

describe.skipIf(!postgresAvailable)('stats of a campaign and of a run (WombatDialer reports/stats)', () => {
  let database: TestDatabase;
  let setup: ReportCampaign;
  let rows: AttemptShape[];
  let secondRun: string;

  beforeAll(async () => {
    if (!postgresAvailable) return;
    database = await createPostgresDatabase();
    setup = await reportCampaign(database.prisma);
    secondRun = (await database.prisma.campaignRun.create({ data: { campaignId: setup.campaign.id, startedBy: 'tester' } })).id;
    rows = shapes([setup.run.id, secondRun]);
    await database.prisma.callAttempt.createMany({ data: rows.map((shape) => attemptRow(setup, shape)) });
    // Another campaign's attempts never count.
    const other = await reportCampaign(database.prisma, 'Other');
    await database.prisma.callAttempt.createMany({ data: [attemptRow(other, { outcome: 'ANSWERED', answeredSec: 1, bridgedSec: 2, endedSec: 30 })] });
  });
  afterAll(async () => database?.drop());

  it('adds up to the attempts recorded, exactly, in total, by outcome, by completion code and by both', async () => {
    const stats = await attemptStats(database.driver, { campaignId: setup.campaign.id });
    const recorded = await database.prisma.callAttempt.count({ where: { campaignId: setup.campaign.id } });
    expect(stats.total.attempts).toBe(recorded);
    for (const list of [stats.byOutcome, stats.byCompletionCode, stats.byOutcomeAndCompletionCode]) {
      expect(list.reduce((sum, group) => sum + group.attempts, 0)).toBe(recorded);
      expect(list.reduce((sum, group) => sum + group.talkSec, 0)).toBeCloseTo(stats.total.talkSec, 6);
    }
    for (const group of stats.byOutcome) {
      expect(group.attempts).toBe(await database.prisma.callAttempt.count({ where: { campaignId: setup.campaign.id, outcome: group.outcome } }));
    }
    expect(stats.byCompletionCode.find((group) => group.completionCode === null)?.attempts).toBe(
      await database.prisma.callAttempt.count({ where: { campaignId: setup.campaign.id, completionCode: null } }),
    );
    expectFigures(stats.total, expected(rows));
  });

  it('times each outcome and completion code: ring, wait before the bridge, talk', async () => {
    const stats = await attemptStats(database.driver, { campaignId: setup.campaign.id });
    for (const outcome of OUTCOMES) {
      expectFigures(stats.byOutcome.find((group) => group.outcome === outcome) as AttemptFigures, expected(rows.filter((row) => row.outcome === outcome)));
    }
    expectFigures(stats.byCompletionCode.find((group) => group.completionCode === 'SALE') as AttemptFigures, expected(rows.filter((row) => row.completionCode === 'SALE')));
    const busy = stats.byOutcome.find((group) => group.outcome === 'BUSY');
    expect(busy).toMatchObject({ answered: 0, ringSec: 0, waitSec: 0, talkSec: 0 });
    expect(stats.byOutcome.map((group) => group.attempts)).toEqual([...stats.byOutcome.map((group) => group.attempts)].sort((a, b) => b - a));
  });

  it('narrows to one run and to when attempts ended', async () => {
    const second = await attemptStats(database.driver, { campaignId: setup.campaign.id, runId: secondRun });
    expectFigures(second.total, expected(rows.filter((row) => row.runId === secondRun)));
    const from = new Date(Date.UTC(2026, 10, 20, 10, 1, 0));
    const to = new Date(Date.UTC(2026, 10, 20, 10, 2, 0));
    const ended = (row: AttemptShape) => (row.originatedAt as Date).getTime() + row.endedSec * 1000;
    const windowed = await attemptStats(database.driver, { campaignId: setup.campaign.id, from, to });
    const inWindow = rows.filter((row) => ended(row) >= from.getTime() && ended(row) < to.getTime());
    expect(inWindow.length).toBeGreaterThan(10);
    expectFigures(windowed.total, expected(inWindow));
  });

  it('answers zeros, not an error, for a campaign without attempts', async () => {
    const empty = await reportCampaign(database.prisma, 'Empty');
    const stats = await attemptStats(database.driver, { campaignId: empty.campaign.id });
    expect(stats).toEqual({ total: { attempts: 0, answered: 0, connected: 0, totalSec: 0, ringSec: 0, waitSec: 0, talkSec: 0 }, byOutcome: [], byCompletionCode: [], byOutcomeAndCompletionCode: [] });
  });
});

describe.skipIf(!postgresAvailable)('recall info: calls waiting and coming back (WombatDialer recallinfo)', () => {
  let database: TestDatabase;
  let setup: ReportCampaign;
  const now = new Date('2026-11-22T12:00:00Z');
  const inSec = (sec: number) => new Date(now.getTime() + sec * 1000);

  beforeAll(async () => {
    if (!postgresAvailable) return;
    database = await createPostgresDatabase();
    setup = await reportCampaign(database.prisma);
    const prisma = database.prisma;
    const extra = await prisma.dialList.create({ data: { name: 'Added list' } });
    const blacklist = await prisma.dialList.create({ data: { name: 'Do not call' } });
    await prisma.campaignList.createMany({
      data: [
        { campaignId: setup.campaign.id, dialListId: extra.id, role: 'CALLS' },
        { campaignId: setup.campaign.id, dialListId: blacklist.id, role: 'BLACKLIST' },
      ],
    });
    const member = (dialListId: string, data: Record<string, unknown>, tryCount = 0) =>
      prisma.member.create({ data: { dialListId, ...data, numbers: { create: [{ slot: 1, dialListId, number: '1001', tryCount }] } } });
    const list = setup.dialList.id;
    await member(list, { name: 'fresh' });
    await member(list, { name: 'due', nextAttemptAt: inSec(-10) }, 1);
    await member(list, { name: 'soon', nextAttemptAt: inSec(100) }, 1);
    await member(list, { name: 'edge', nextAttemptAt: inSec(300) }, 1);
    await member(list, { name: 'callback', scheduledAt: inSec(50) });
    await member(list, { name: 'later', nextAttemptAt: inSec(301) }, 1);
    await member(extra.id, { name: 'much later', nextAttemptAt: inSec(1_000) }, 1);
    await member(extra.id, { name: 'out of tries' }, 2);
    await member(extra.id, { name: 'expired', expiresAt: inSec(-1) });
    await member(list, { name: 'done', status: 'DONE' }, 1);
    await member(list, { name: 'dialing', status: 'DIALING' });
    await member(blacklist.id, { name: 'blacklisted', nextAttemptAt: inSec(10) });
    const other = await reportCampaign(prisma, 'Other');
    await member(other.dialList.id, { name: 'elsewhere', nextAttemptAt: inSec(10) });
    const dialing = await prisma.member.findFirstOrThrow({ where: { name: 'dialing' } });
    await prisma.dialing.create({
      data: { id: '019aa000-0000-7000-8000-000000000001', campaignId: setup.campaign.id, memberId: dialing.id, numberSlot: 1, dialedNumber: '1001', tryCount: 1, server: 'pbx1', runId: setup.run.id, status: 'RINGING', dialString: 'Local/1001@customers', planSnapshot: {}, destinationSnapshot: {} },
    });
  });
  afterAll(async () => database?.drop());

  it('splits reschedules at 300 s by default: due now or within it is soon, after it later', async () => {
    const info = await recallInfo(database.driver, setup.campaign.id, 300, now);
    expect(info).toMatchObject({ reschedules: 6, reschedulingSoon: 4, reschedulingLater: 2, lateRescheduleSec: 300 });
  });

  it('moves the split with the threshold', async () => {
    expect(await recallInfo(database.driver, setup.campaign.id, 0, now)).toMatchObject({ reschedulingSoon: 1, reschedulingLater: 5 });
    expect(await recallInfo(database.driver, setup.campaign.id, 1_000, now)).toMatchObject({ reschedulingSoon: 6, reschedulingLater: 0 });
  });

  it("counts the members of every list it dials by status, those ready now, and the live calls, never a blacklist's or another campaign's", async () => {
    const info = await recallInfo(database.driver, setup.campaign.id, 300, now);
    expect(info.membersByStatus).toEqual([
      { status: 'IDLE', count: 9 },
      { status: 'DIALING', count: 1 },
      { status: 'DONE', count: 1 },
    ]);
    // fresh and due: the others wait, are out of tries, or expired.
    expect(info.readyNow).toBe(2);
    expect(info.dialingsByStatus).toEqual([{ status: 'RINGING', count: 1 }]);
  });
});
