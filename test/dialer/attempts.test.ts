import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DialingProgressWriter } from '../../src/dialer/dialingProgress.js';
import { leaseDialings } from '../../src/dialer/leasing.js';
import { createLogger } from '../../src/logger.js';
import { recordAttempts, type AttemptResult, type FinishedAttempt, type MemberNext } from '../../src/dialer/attempts.js';
import { emptyDatabase, storageKinds, type TestDatabase } from '../support/database.js';
import { lockWaiters } from '../support/locks.js';

const NOW = new Date('2026-11-22T12:00:00Z');
const DONE: MemberNext = { status: 'DONE', nextAttemptAt: null, rescheduleRuleId: null, rescheduleSec: null, resultDueAt: null };

describe.each(storageKinds)('recording attempts (%s)', (kind, create) => {
  let database: TestDatabase;
  let dialingIds: string[];

  beforeAll(async () => {
    database = await create();
  });
  afterAll(async () => database?.drop());

  beforeEach(async () => {
    await emptyDatabase(database);
    const prisma = database.prisma;
    const plan = await prisma.plan.create({ data: { name: 'Plan' } });
    const destination = await prisma.destination.create({ data: { name: 'Echo', type: 'EXTENSION', context: 'dest', exten: 'echo' } });
    const dialList = await prisma.dialList.create({ data: { name: 'List' } });
    const campaign = await prisma.campaign.create({ data: { name: 'C', status: 'RUNNING', planId: plan.id, destinationId: destination.id, dialListId: dialList.id } });
    const run = await prisma.campaignRun.create({ data: { campaignId: campaign.id, startedBy: 'test' } });
    for (const name of ['busy', 'answered']) {
      await prisma.member.create({ data: { dialListId: dialList.id, name, numbers: { create: [{ slot: 1, dialListId: dialList.id, number: name }, { slot: 2, dialListId: dialList.id, number: `${name}-2` }] } } });
    }
    const leased = await leaseDialings(database.driver, {
      campaign: { id: campaign.id, runId: run.id, dialListId: dialList.id, maxRetries: [2, 2, 2, 2, 2, 2, 2, 2], numberStrategy: 'TOP_DOWN', memberWindow: null, numberTypes: [], timezone: 'UTC' },
      owner: 'test',
      now: NOW,
      howMany: () => 2,
      prepare: (member, dialing) => ({ uniqueid: dialing.id, server: 'pbx1', dialString: `Local/${member.number.number}@customers`, variables: {}, originate: {}, problem: null, notNow: null, trunkId: null, planSnapshot: {}, destinationSnapshot: {}, otherUniqueid: null }),
    });
    dialingIds = leased.sort((a, b) => a.dialedNumber.localeCompare(b.dialedNumber)).map((dialing) => dialing.id);
  });

  const result = (outcome: AttemptResult['outcome'], answered: boolean): AttemptResult => ({
    outcome,
    dialResult: answered ? 4 : 5,
    dialResultText: answered ? 'Remote end has answered' : 'Remote end is busy',
    hangupCause: answered ? 16 : 17,
    hangupCauseText: answered ? 'Normal Clearing' : 'User busy',
    amdStatus: null,
    amdCause: null,
    messageLeft: false,
    recordingFile: null,
    channel: 'Local/x@customers-00000001;1',
    linkedid: null,
    originatedAt: NOW,
    answeredAt: answered ? NOW : null,
    bridgedAt: answered ? NOW : null,
    endedAt: new Date(NOW.getTime() + 5_000),
    sent: true,
  });

  it('records a batch in one go: attempts, tries, last results, member status, and the dialings gone; a second time changes nothing', async () => {
    const retryAt = new Date(NOW.getTime() + 65_000);
    const batch: FinishedAttempt[] = [
      { dialingId: dialingIds[0] as string, result: result('ANSWERED', true), decide: () => ({ ...DONE }) },
      {
        dialingId: dialingIds[1] as string,
        result: result('BUSY', false),
        decide: (numbers, attempt) => {
          expect(numbers).toEqual([{ slot: 1, tryCount: 1, stopped: false, type: null }, { slot: 2, tryCount: 0, stopped: false, type: null }]);
          expect(attempt).toEqual({ slot: 1, tryCount: 1 });
          return { ...DONE, status: 'IDLE', nextAttemptAt: retryAt, rescheduleSec: 65 };
        },
      },
    ];
    expect(await recordAttempts(database.driver, batch)).toEqual([{ recorded: true }, { recorded: true }]);
    expect(await recordAttempts(database.driver, batch)).toEqual([{ recorded: false }, { recorded: false }]);

    const prisma = database.prisma;
    expect(await prisma.callAttempt.count()).toBe(2);
    expect(await prisma.dialing.count()).toBe(0);
    // Counted into the run's totals once, though recorded twice; the answered call reached the destination.
    expect(await prisma.runOutcome.findMany({ select: { outcome: true, count: true, bridged: true }, orderBy: { outcome: 'asc' } })).toEqual([
      { outcome: 'ANSWERED', count: 1, bridged: 1 },
      { outcome: 'BUSY', count: 1, bridged: 0 },
    ]);
    const members = await prisma.member.findMany({ include: { numbers: { orderBy: { slot: 'asc' } } }, orderBy: { name: 'asc' } });
    expect(members.map((m) => [m.name, m.status, m.nextAttemptAt?.getTime() ?? null, m.lastHangupCause, m.numbers.map((n) => n.tryCount)])).toEqual([
      ['answered', 'DONE', null, 16, [1, 0]],
      ['busy', 'IDLE', retryAt.getTime(), 17, [1, 0]],
    ]);
  });

  // The embedded database has one connection: nothing there waits for a lock another statement holds.
  if (kind === 'postgresql') it('locks the dialings of a batch, and the progress writer its, in id order, so the two wait for each other instead of deadlocking', async () => {
    const [low, high] = [...dialingIds].sort() as [string, string];
    const connect = async () => {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      return client;
    };
    const [holder, prober] = [await connect(), await connect()];
    try {
      const lockedNow = async (id: string) =>
        prober.query('SELECT id FROM "Dialing" WHERE id = $1 FOR UPDATE NOWAIT', [id]).then(
          () => false,
          (error: { code?: string }) => error.code === '55P03',
        );
      const waitingOnHolder = () => vi.waitFor(async () => expect(await lockWaiters(database.driver)).toBe(1), { timeout: 10_000 });
      // Someone holds the higher row: each writer, given the higher first, has taken the lower and waits for the higher.
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM "Dialing" WHERE id = $1 FOR UPDATE', [high]);
      const writer = new DialingProgressWriter(database.driver, createLogger('silent'));
      for (const id of [high, low]) writer.note(id, { status: 'RINGING', channel: 'Local/x@customers-00000001;1', acceptedAt: null, answeredAt: null, bridgedAt: null });
      const written = writer.flush();
      await waitingOnHolder();
      expect(await lockedNow(low)).toBe(true);
      await holder.query('COMMIT');
      await written;
      writer.close();

      await holder.query('BEGIN');
      await holder.query('SELECT id FROM "Dialing" WHERE id = $1 FOR UPDATE', [high]);
      const recording = recordAttempts(database.driver, [high, low].map((dialingId) => ({ dialingId, result: result('ANSWERED', true), decide: () => ({ ...DONE }) })));
      await waitingOnHolder();
      expect(await lockedNow(low)).toBe(true);
      await holder.query('COMMIT');
      expect(await recording).toEqual([{ recorded: true }, { recorded: true }]);
    } finally {
      await holder.end();
      await prober.end();
    }
  });

  it('stops a number that does not exist, so the member goes on with its other numbers only', async () => {
    const unallocated = { ...result('UNALLOCATED', false), hangupCause: 1, hangupCauseText: 'Unallocated (unassigned) number' };
    let seen: unknown;
    const attempt = {
      dialingId: dialingIds[1] as string,
      result: unallocated,
      decide: (numbers: unknown) => {
        seen = numbers;
        return { ...DONE, status: 'IDLE' as const, nextAttemptAt: NOW };
      },
    };
    await recordAttempts(database.driver, [attempt]);
    expect(seen).toEqual([{ slot: 1, tryCount: 1, stopped: true, type: null }, { slot: 2, tryCount: 0, stopped: false, type: null }]);
    const numbers = await database.prisma.memberNumber.findMany({ where: { member: { name: 'busy' } }, orderBy: { slot: 'asc' } });
    expect(numbers.map((n) => [n.number, n.stopped])).toEqual([
      ['busy', true],
      ['busy-2', false],
    ]);
  });

  it('frees a member whose call never left, recording nothing', async () => {
    const unsent = { ...result('FAILED', false), sent: false };
    expect(await recordAttempts(database.driver, [{ dialingId: dialingIds[0] as string, result: unsent, decide: () => ({ ...DONE }) }])).toEqual([{ recorded: false }]);
    expect(await database.prisma.callAttempt.count()).toBe(0);
    expect((await database.prisma.member.findFirstOrThrow({ where: { name: 'answered' } })).status).toBe('IDLE');
  });
});
