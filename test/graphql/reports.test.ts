import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEvent } from '../../src/ami/message.js';
import { reduce } from '../../src/live/reducer.js';
import { emptyLiveState, type LiveState } from '../../src/live/state.js';
import { MemoryLiveStore } from '../../src/live/storeMemory.js';
import { attemptRow, reportCampaign, type ReportCampaign, countRunOutcomes } from '../reports/fixtures.js';
import { createPostgresDatabase } from '../support/database.js';
import { postgresAvailable, resultOf } from '../support/fixture.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { receivedMessages } from '../support/transcripts.js';

type Figures = { attempts: number; answered: number; connected: number; talkSec: number; averageTalkSec: number | null };

describe.skipIf(!postgresAvailable)('reports over GraphQL: stats, attempt logs, recall info, queue and campaign status, engine control', () => {
  let server: TestServer;
  let setup: ReportCampaign;
  let campaignId: string;
  let secondRun: string;
  const store = new MemoryLiveStore();
  let waiting: LiveState;

  beforeAll(async () => {
    if (!postgresAvailable) return;
    // A customer waiting in queue sales, as the ingest worker would store it.
    let state = emptyLiveState();
    for (const message of receivedMessages('answered-to-queue')) {
      if (!isEvent(message)) continue;
      const reduction = reduce(state, message, 'pbx1');
      state = reduction.state;
      await store.apply('pbx1', reduction.changes);
      if (state.queueCaller.size > 0) break;
    }
    waiting = state;
    server = await startTestServer(await createPostgresDatabase(), { store });
    const prisma = server.database.prisma;
    setup = await reportCampaign(prisma);
    campaignId = encodeGlobalID('Campaign', setup.campaign.id);
    // The first run: two attempts. The current run: connected, abandoned and busy ones, some with codes.
    await prisma.callAttempt.createMany({
      data: [
        attemptRow(setup, { outcome: 'ANSWERED', answeredSec: 2, bridgedSec: 4, endedSec: 64, completionCode: 'SALE' }),
        attemptRow(setup, { outcome: 'BUSY', endedSec: 3 }),
      ],
    });
    secondRun = (await prisma.campaignRun.create({ data: { campaignId: setup.campaign.id, startedBy: 'tester', startedAt: new Date(Date.now() + 1_000) } })).id;
    await prisma.callAttempt.createMany({
      data: [
        attemptRow(setup, { outcome: 'ANSWERED', answeredSec: 1, bridgedSec: 3, endedSec: 33, completionCode: 'SALE', runId: secondRun }),
        attemptRow(setup, { outcome: 'ANSWERED', answeredSec: 1, bridgedSec: 2, endedSec: 12, completionCode: 'NOSALE', runId: secondRun }),
        attemptRow(setup, { outcome: 'ABANDONED', answeredSec: 2, endedSec: 7, runId: secondRun }),
        attemptRow(setup, { outcome: 'BUSY', endedSec: 4, runId: secondRun }),
      ],
    });
    await countRunOutcomes(prisma);
  });
  afterAll(async () => {
    if (!server) return;
    await server.close();
    await server.database.drop();
  });

  const viewer = (query: string, variables?: Record<string, unknown>) => server.graphql(query, variables, server.tokens.VIEWER);
  const FIGURES = 'attempts answered connected talkSec averageTalkSec';

  it("gives a campaign's stats over every run and a run's own, adding up to the attempts listed", async () => {
    const result = await viewer(
      `query($id: ID!) { campaign(id: $id) { stats { total { ${FIGURES} } byOutcome { outcome ${FIGURES} } byCompletionCode { completionCode attempts } } }
         callAttempts(filter: { campaignId: $id }, first: 100) { edges { cursor } } }`,
      { id: campaignId },
    );
    const data = result.data as { campaign: { stats: { total: Figures; byOutcome: (Figures & { outcome: string })[]; byCompletionCode: { completionCode: string | null; attempts: number }[] } }; callAttempts: { edges: unknown[] } };
    expect(result.errors).toBeUndefined();
    expect(data.campaign.stats.total).toEqual({ attempts: 6, answered: 4, connected: 3, talkSec: 60 + 30 + 10 + 5, averageTalkSec: 105 / 4 });
    expect(data.campaign.stats.total.attempts).toBe(data.callAttempts.edges.length);
    expect(data.campaign.stats.byOutcome.map((group) => [group.outcome, group.attempts])).toEqual([['ANSWERED', 3], ['BUSY', 2], ['ABANDONED', 1]]);
    expect(data.campaign.stats.byOutcome.find((group) => group.outcome === 'BUSY')).toMatchObject({ talkSec: 0, averageTalkSec: null });
    expect(data.campaign.stats.byCompletionCode).toEqual([
      { completionCode: null, attempts: 3 },
      { completionCode: 'SALE', attempts: 2 },
      { completionCode: 'NOSALE', attempts: 1 },
    ]);

    const run = await viewer(`query($id: ID!) { node(id: $id) { ... on CampaignRun { stats { total { ${FIGURES} } } } } }`, { id: encodeGlobalID('CampaignRun', secondRun) });
    expect((run.data as { node: { stats: { total: Figures } } }).node.stats.total).toMatchObject({ attempts: 4, answered: 3, connected: 2, talkSec: 45 });
    const same = await viewer(`query($id: ID!, $run: ID!) { campaign(id: $id) { stats(runId: $run) { total { attempts } } } }`, { id: campaignId, run: encodeGlobalID('CampaignRun', secondRun) });
    expect(same.data).toEqual({ campaign: { stats: { total: { attempts: 4 } } } });
  });

  it('pages the attempt log by cursor, filtered by run, outcome and completion code', async () => {
    const page = (filter: Record<string, unknown>, after?: string, first = 2) =>
      viewer(`query($filter: CallAttemptFilter, $after: String, $first: Int) { callAttempts(filter: $filter, first: $first, after: $after) { pageInfo { hasNextPage endCursor } edges { node { dialedNumber outcome } } } }`, { filter, after, first });
    type Page = { callAttempts: { pageInfo: { hasNextPage: boolean; endCursor: string }; edges: unknown[] } };
    const count = async (filter: Record<string, unknown>) => ((await page(filter, undefined, 100)).data as Page).callAttempts.edges.length;
    const run = { campaignId, runId: encodeGlobalID('CampaignRun', secondRun) };
    const first = (await page(run)).data as Page;
    expect(first.callAttempts).toMatchObject({ pageInfo: { hasNextPage: true } });
    expect(first.callAttempts.edges).toHaveLength(2);
    const second = (await page(run, first.callAttempts.pageInfo.endCursor)).data as Page;
    expect(second.callAttempts.edges).toHaveLength(2);
    expect(second.callAttempts.pageInfo.hasNextPage).toBe(false);
    expect(await count(run)).toBe(4);
    expect(await count({ ...run, completionCode: ['SALE'] })).toBe(1);
    expect(await count({ campaignId, completionCode: ['SALE', ''] })).toBe(5);
    expect(await count({ ...run, outcome: ['BUSY', 'ABANDONED'] })).toBe(2);
    const wrong = await page({ runId: campaignId });
    expect(wrong.errors?.[0]).toMatchObject({ message: expect.stringContaining('runId'), extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('gives recall info with the default 300 s limit or the one asked, and refuses a negative one', async () => {
    const prisma = server.database.prisma;
    const soon = new Date(Date.now() + 120_000);
    const later = new Date(Date.now() + 600_000);
    for (const [name, nextAttemptAt] of [['soon', soon], ['later', later]] as const) {
      await prisma.member.create({ data: { dialListId: setup.dialList.id, name, nextAttemptAt, numbers: { create: [{ slot: 1, dialListId: setup.dialList.id, number: '1001', tryCount: 1 }] } } });
    }
    const info = (late?: number) => viewer(`query($id: ID!, $late: Int) { campaign(id: $id) { recallInfo(lateRescheduleSec: $late) { reschedules reschedulingSoon reschedulingLater lateRescheduleSec membersByStatus { status count } } } }`, { id: campaignId, late });
    expect((await info()).data).toEqual({ campaign: { recallInfo: { reschedules: 2, reschedulingSoon: 1, reschedulingLater: 1, lateRescheduleSec: 300, membersByStatus: [{ status: 'IDLE', count: 2 }] } } });
    expect((await info(3_600)).data).toMatchObject({ campaign: { recallInfo: { reschedulingSoon: 2, reschedulingLater: 0 } } });
    expect((await info(-1)).errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining('lateRescheduleSec') });
  });

  it("shows the campaign's queue like uContact's campaign status, with its own calls of the current run", async () => {
    const result = await viewer(
      `query($id: ID!) { campaign(id: $id) { queueStatus { runId queueName attempts completed abandoned abandonRate liveDialings
         queue { server queue loggedIn available callers longestHoldSec holdSec talkSec agents { idle ringing onCall wrapUp paused loggedOff } } } } }`,
      { id: campaignId },
    );
    expect(result.errors).toBeUndefined();
    const status = (result.data as { campaign: { queueStatus: { queue: { longestHoldSec: number; agents: unknown } } } }).campaign.queueStatus;
    expect(status).toMatchObject({
      runId: encodeGlobalID('CampaignRun', secondRun),
      queueName: 'sales',
      attempts: 4,
      completed: 2,
      abandoned: 1,
      abandonRate: 1 / 3,
      liveDialings: 0,
      queue: { server: 'pbx1', queue: 'sales', loggedIn: 2, available: 2, callers: 1, holdSec: 0, talkSec: 0 },
    });
    // Counted from the members the live state holds: this recording never listed them (QueueStatus), so none yet.
    expect(status.queue.agents).toEqual({ idle: 0, ringing: 0, onCall: 0, wrapUp: 0, paused: 0, loggedOff: 0 });
    const since = [...waiting.queueCaller.values()][0]?.waitingSince as number;
    expect(status.queue.longestHoldSec).toBeGreaterThanOrEqual(Math.floor((Date.now() - since) / 1000) - 5);

    const summaries = await viewer('{ queueSummaries { server queue callers } }');
    expect(summaries.data).toEqual({ queueSummaries: [{ server: 'pbx1', queue: 'sales', callers: 1 }] });
  });

  it('shows the engine to any role and lets only an ADMIN stop and start it', async () => {
    const engine = () => viewer('{ dialerEngine { running state liveDialings changedBy } }');
    expect((await engine()).data).toEqual({ dialerEngine: { running: true, state: 'RUNNING', liveDialings: 0, changedBy: null } });
    const stop = (token: string) => server.graphql(`mutation { stopDialerEngine { ${resultOf('StopDialerEngineSuccess', 'running state changedBy')} } }`, {}, token);
    expect((await stop(server.tokens.SUPERVISOR)).data).toMatchObject({ stopDialerEngine: { __typename: 'ForbiddenError', requiredRole: 'ADMIN' } });
    expect((await engine()).data).toMatchObject({ dialerEngine: { running: true } });
    expect((await stop(server.tokens.ADMIN)).data).toEqual({ stopDialerEngine: { __typename: 'StopDialerEngineSuccess', data: { running: false, state: 'STOPPED', changedBy: 'test ADMIN' } } });
    const start = await server.graphql(`mutation { startDialerEngine { ${resultOf('StartDialerEngineSuccess', 'running state')} } }`);
    expect(start.data).toEqual({ startDialerEngine: { __typename: 'StartDialerEngineSuccess', data: { running: true, state: 'RUNNING' } } });
    expect((await server.graphql('{ dialerEngine { running } }', {}, null)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
