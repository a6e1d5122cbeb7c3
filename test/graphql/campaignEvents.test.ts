import { encodeGlobalID } from '@pothos/plugin-relay';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { postgresAvailable } from '../support/fixture.js';
import { startLiveStack, type LiveStack } from '../support/liveStack.js';

type Progress = { status: string; attempts: number; liveDialings: number; answerRate: number | null; outcomes: { outcome: string; count: number }[] };

/** A campaign dialed by the dialer, followed by a dashboard over graphql-ws. */
describe.skipIf(!postgresAvailable)('campaignEvents', () => {
  let stack: LiveStack;

  beforeAll(async () => {
    stack = await startLiveStack({ secret: 'progress-secret', speed: 20 });
  }, 60_000);

  afterAll(async () => stack?.close());

  it('streams the progress as it is, then as the campaign dials, to its end', async () => {
    const { prisma } = stack.database;
    const { api } = stack;
    const plan = await prisma.plan.create({ data: { name: 'Plan', dialStringTemplate: 'Local/{number}@customers', maxRetries: [1, 1, 1, 1, 1, 1, 1, 1], maxConcurrentCalls: 2 } });
    const destination = await prisma.destination.create({ data: { name: 'Echo', type: 'EXTENSION', context: 'dest', exten: 'echo' } });
    const dialList = await prisma.dialList.create({ data: { name: 'List' } });
    for (const number of ['1001', '2001']) {
      await prisma.member.create({ data: { dialListId: dialList.id, numbers: { create: [{ slot: 1, dialListId: dialList.id, number }] } } });
    }
    const campaign = await prisma.campaign.create({ data: { name: 'Followed', planId: plan.id, destinationId: destination.id, dialListId: dialList.id } });
    const campaignId = encodeGlobalID('Campaign', campaign.id);
    // Paused, so the subscription of every campaign answers with it at once: then it is surely listening.
    await prisma.campaign.create({ data: { name: 'Paused', status: 'PAUSED', planId: plan.id, destinationId: destination.id, dialListId: dialList.id } });

    const received: Progress[] = [];
    // Every error the subscription reports, in a payload or as its end: each check below first asks for none.
    const failures: unknown[] = [];
    const client = createClient({ url: api.wsUrl, webSocketImpl: WebSocket, connectionParams: { token: api.tokens.VIEWER }, retryAttempts: 0 });
    client.subscribe<{ campaignEvents: Progress }>(
      { query: 'subscription($id: ID!) { campaignEvents(campaignId: $id) { status attempts liveDialings answerRate outcomes { outcome count } } }', variables: { id: campaignId } },
      {
        next: (result) => (result.errors ? failures.push(...result.errors) : result.data && received.push(result.data.campaignEvents)),
        error: (error) => failures.push(error),
        complete: () => failures.push('the subscription ended'),
      },
    );
    // A wallboard follows every campaign at once, with the campaign's name and its members' progress.
    type Every = { status: string; campaign: { name: string } | null; members: { waiting: number; dialing: number; finished: number } };
    const everyCampaign: Every[] = [];
    client.subscribe<{ campaignEvents: Every }>(
      { query: 'subscription { campaignEvents { status campaign { name } members { waiting dialing finished } } }' },
      {
        next: (result) => (result.errors ? failures.push(...result.errors) : result.data && everyCampaign.push(result.data.campaignEvents)),
        error: (error) => failures.push(error),
        complete: () => failures.push('the subscription of every campaign ended'),
      },
    );
    const receivedNow = (expected: Partial<Progress>, at: 'first' | 'last') => {
      expect(failures).toEqual([]);
      expect(at === 'first' ? received[0] : received.at(-1)).toMatchObject(expected);
    };
    try {
      await vi.waitFor(() => receivedNow({ status: 'STOPPED', attempts: 0, liveDialings: 0, answerRate: null }, 'first'));
      await vi.waitFor(() => expect(everyCampaign).toEqual([{ status: 'PAUSED', campaign: { name: 'Paused' }, members: { waiting: 2, dialing: 0, finished: 0 } }]));
      const started = await api.graphql(`mutation($id: ID!) { setCampaignStatus(id: $id, status: RUNNING) { __typename } }`, { id: campaignId }, api.tokens.SUPERVISOR);
      expect(started.data).toEqual({ setCampaignStatus: { __typename: 'SetCampaignStatusSuccess' } });
      await vi.waitFor(() => receivedNow({ status: 'STOPPED', attempts: 2, liveDialings: 0, answerRate: 0.5 }, 'last'), { timeout: 20_000 });
      expect(received.some((progress) => progress.status === 'RUNNING' && progress.liveDialings > 0)).toBe(true);
      expect(received.at(-1)?.outcomes).toEqual(expect.arrayContaining([{ outcome: 'ANSWERED', count: 1 }, { outcome: 'BUSY', count: 1 }]));
      // The stopped campaign was not sent at first; its run was, to its end.
      const followed = () => everyCampaign.filter((progress) => progress.campaign?.name === 'Followed');
      await vi.waitFor(() => expect(followed().at(-1)).toEqual({ status: 'STOPPED', campaign: { name: 'Followed' }, members: { waiting: 0, dialing: 0, finished: 2 } }));
      expect(followed().some((progress) => progress.members.dialing > 0)).toBe(true);

      const { data } = await api.graphql<{ node: { progress: Progress } }>('query($id: ID!) { node(id: $id) { ... on Campaign { progress { status attempts } } } }', { id: campaignId }, api.tokens.VIEWER);
      expect(data?.node.progress).toMatchObject({ status: 'STOPPED', attempts: 2 });
      expect(failures).toEqual([]);
    } finally {
      await client.dispose();
    }
  }, 40_000);
});
