import { encodeGlobalID } from '@pothos/plugin-relay';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CallOutcome } from '../../src/generated/prisma/enums.js';
import { postgresAvailable, useServer } from '../support/fixture.js';

/** A UUIDv7 for instant `at`, as the dialer makes them: ids sort by when the attempt began. */
function uuidv7(at: Date, sequence: number): string {
  const time = at.getTime().toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8)}-7000-8000-${sequence.toString(16).padStart(12, '0')}`;
}

const at = (hour: number) => new Date(Date.UTC(2026, 2, 1, hour));

type Edges<T> = { edges: { cursor: string; node: T }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
type Attempt = { id: string; dialedNumber: string; outcome: CallOutcome };

describe.skipIf(!postgresAvailable)('call attempts and dialings', () => {
  const server = useServer();
  const campaigns = { north: '', south: '' };
  const memberIds: string[] = [];

  beforeAll(async () => {
    if (!postgresAvailable) return;
    const prisma = server.current.database.prisma;
    const plan = await prisma.plan.create({ data: { name: 'Plan' } });
    const destination = await prisma.destination.create({ data: { name: 'Sales', type: 'APPLICATION', application: 'Queue', data: 'sales' } });
    const dialList = await prisma.dialList.create({ data: { name: 'List' } });
    const refs = { planId: plan.id, destinationId: destination.id, dialListId: dialList.id };
    const north = await prisma.campaign.create({ data: { name: 'North', status: 'RUNNING', ...refs } });
    const south = await prisma.campaign.create({ data: { name: 'South', status: 'RUNNING', ...refs } });
    campaigns.north = north.id;
    campaigns.south = south.id;
    const runs: Record<string, string> = {};
    for (const campaign of [north, south]) {
      runs[campaign.id] = (await prisma.campaignRun.create({ data: { campaignId: campaign.id, startedBy: 'test' } })).id;
    }
    for (const name of ['Ana', 'Ben', 'Cleo']) {
      const member = await prisma.member.create({
        data: { dialListId: dialList.id, name, numbers: { create: [{ slot: 1, dialListId: dialList.id, number: `555-${name}` }] } },
      });
      memberIds.push(member.id);
    }

    // Finished attempts, each one hour after the last: 10:00 .. 13:00.
    const finished: [string, number, CallOutcome][] = [
      [north.id, 0, 'ANSWERED'],
      [north.id, 1, 'BUSY'],
      [south.id, 1, 'NO_ANSWER'],
      [north.id, 2, 'NO_ANSWER'],
    ];
    for (const [index, [campaignId, member, outcome]] of finished.entries()) {
      const originatedAt = at(10 + index);
      await prisma.callAttempt.create({
        data: {
          // Ids sorting against the order they finished in (ids made before v7 were random): the list must not follow them.
          id: uuidv7(at(20 - index), index),
          createdAt: originatedAt,
          campaignId,
          runId: runs[campaignId] as string,
          server: 'pbx1',
          ...refs,
          memberId: memberIds[member],
          numberSlot: 1,
          dialedNumber: `attempt-${index + 1}`,
          tryCount: 1,
          dialString: `PJSIP/attempt-${index + 1}@carrier`,
          outcome,
          dialResult: outcome === 'ANSWERED' ? 4 : 5,
          dialResultText: outcome === 'ANSWERED' ? 'Answer' : 'Busy',
          originatedAt,
          answeredAt: outcome === 'ANSWERED' ? originatedAt : null,
          endedAt: originatedAt,
          planSnapshot: { dialMode: 'PROGRESSIVE', trunkName: 'carrier' },
          destinationSnapshot: { type: 'APPLICATION', application: 'Queue', data: 'sales' },
          variables: { ATTEMPT: String(index + 1) },
        },
      });
    }

    // Live dialings: two on North, one on South.
    const live: [string, number][] = [
      [north.id, 0],
      [south.id, 1],
      [north.id, 2],
    ];
    for (const [index, [campaignId, member]] of live.entries()) {
      await prisma.dialing.create({
        data: {
          id: uuidv7(at(14 + index), index),
          campaignId,
          runId: runs[campaignId] as string,
          server: 'pbx1',
          memberId: memberIds[member] ?? '',
          numberSlot: 1,
          dialedNumber: `live-${index + 1}`,
          tryCount: 1,
          status: 'RINGING',
          dialString: `PJSIP/live-${index + 1}@carrier`,
          planSnapshot: {},
          destinationSnapshot: {},
        },
      });
    }
  });

  const campaignId = (name: keyof typeof campaigns) => encodeGlobalID('Campaign', campaigns[name]);
  const callAttempts = async (filter: Record<string, unknown> = {}, page: { first?: number; after?: string } = {}) => {
    const { data, errors } = await server.current.graphql<{ callAttempts: Edges<Attempt> }>(
      `query($filter: CallAttemptFilter, $first: Int, $after: String) {
        callAttempts(filter: $filter, first: $first, after: $after) { edges { cursor node { id dialedNumber outcome } } pageInfo { hasNextPage endCursor } } }`,
      { filter, first: page.first ?? 50, after: page.after },
      server.current.tokens.VIEWER,
    );
    expect(errors).toBeUndefined();
    return data?.callAttempts as Edges<Attempt>;
  };
  const numbers = (connection: Edges<{ dialedNumber: string }>) => connection.edges.map((edge) => edge.node.dialedNumber);

  describe('callAttempts', () => {
    it('lists every finished attempt newest first, to a VIEWER', async () => {
      expect(numbers(await callAttempts())).toEqual(['attempt-4', 'attempt-3', 'attempt-2', 'attempt-1']);
    });

    it('filters by campaign', async () => {
      expect(numbers(await callAttempts({ campaignId: campaignId('north') }))).toEqual(['attempt-4', 'attempt-2', 'attempt-1']);
      expect(numbers(await callAttempts({ campaignId: campaignId('south') }))).toEqual(['attempt-3']);
    });

    it('filters by outcome', async () => {
      expect(numbers(await callAttempts({ outcome: ['NO_ANSWER', 'BUSY'] }))).toEqual(['attempt-4', 'attempt-3', 'attempt-2']);
      expect(numbers(await callAttempts({ outcome: ['ANSWERED'], campaignId: campaignId('south') }))).toEqual([]);
    });

    it('filters by when the attempt ended', async () => {
      const window = { endedAfter: '2026-03-01T10:30:00Z', endedBefore: '2026-03-01T12:30:00Z' };
      expect(numbers(await callAttempts(window))).toEqual(['attempt-3', 'attempt-2']);
      expect(numbers(await callAttempts({ endedAfter: '2026-03-01T12:30:00+00:00' }))).toEqual(['attempt-4']);
      expect(numbers(await callAttempts({ endedBefore: '2026-03-01T10:30:00Z' }))).toEqual(['attempt-1']);
    });

    it('splits back-to-back windows without counting an attempt twice', async () => {
      const morning = await callAttempts({ endedAfter: '2026-03-01T10:00:00Z', endedBefore: '2026-03-01T12:00:00Z' });
      const midday = await callAttempts({ endedAfter: '2026-03-01T12:00:00Z', endedBefore: '2026-03-01T14:00:00Z' });
      expect(numbers(morning)).toEqual(['attempt-2', 'attempt-1']);
      expect(numbers(midday)).toEqual(['attempt-4', 'attempt-3']);
    });

    it('pages by cursor, keeping the newest-first order', async () => {
      const first = await callAttempts({}, { first: 3 });
      expect(numbers(first)).toEqual(['attempt-4', 'attempt-3', 'attempt-2']);
      expect(first.pageInfo.hasNextPage).toBe(true);
      const second = await callAttempts({}, { first: 3, after: first.pageInfo.endCursor });
      expect(numbers(second)).toEqual(['attempt-1']);
      expect(second.pageInfo.hasNextPage).toBe(false);
    });

    it('answers a BAD_USER_INPUT error for a malformed campaignId', async () => {
      for (const campaignId of ['not-an-id', encodeGlobalID('Plan', campaigns.north)]) {
        const { data, errors } = await server.current.graphql(`query($filter: CallAttemptFilter) { callAttempts(filter: $filter) { edges { cursor } } }`, {
          filter: { campaignId },
        });
        expect(data).toBeNull();
        expect(errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining('campaignId') });
      }
    });
  });

  describe('dialings', () => {
    const dialings = async (campaignId?: string) => {
      const { data, errors } = await server.current.graphql<{ dialings: Edges<{ id: string; dialedNumber: string }> }>(
        `query($campaignId: ID) { dialings(filter: { campaignId: $campaignId }, first: 50) { edges { cursor node { id dialedNumber } } pageInfo { hasNextPage endCursor } } }`,
        { campaignId },
        server.current.tokens.VIEWER,
      );
      expect(errors).toBeUndefined();
      return data?.dialings as Edges<{ id: string; dialedNumber: string }>;
    };

    it('lists live dialings oldest first, all or one campaign\'s', async () => {
      expect(numbers(await dialings())).toEqual(['live-1', 'live-2', 'live-3']);
      expect(numbers(await dialings(campaignId('north')))).toEqual(['live-1', 'live-3']);
      expect(numbers(await dialings(campaignId('south')))).toEqual(['live-2']);
    });

    it('answers a BAD_USER_INPUT error for a malformed campaignId', async () => {
      const { data, errors } = await server.current.graphql(`{ dialings(filter: { campaignId: "garbage" }) { edges { cursor } } }`);
      expect(data).toBeNull();
      expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('node(id)', () => {
    it('finds a call attempt with its campaign, member, result and snapshots', async () => {
      const [newest] = (await callAttempts({ campaignId: campaignId('north') }, { first: 1 })).edges;
      const { data } = await server.current.graphql(
        `query($id: ID!) { node(id: $id) { __typename ... on CallAttempt { id dialedNumber outcome dialResult dialResultText
          campaign { name } member { name } planSnapshot destinationSnapshot variables endedAt } } }`,
        { id: newest?.node.id },
        server.current.tokens.VIEWER,
      );
      expect(data).toEqual({
        node: {
          __typename: 'CallAttempt',
          id: newest?.node.id,
          dialedNumber: 'attempt-4',
          outcome: 'NO_ANSWER',
          dialResult: 5,
          dialResultText: 'Busy',
          campaign: { name: 'North' },
          member: { name: 'Cleo' },
          planSnapshot: { dialMode: 'PROGRESSIVE', trunkName: 'carrier' },
          destinationSnapshot: { type: 'APPLICATION', application: 'Queue', data: 'sales' },
          variables: { ATTEMPT: '4' },
          endedAt: '2026-03-01T13:00:00.000Z',
        },
      });
    });

    it('finds a live dialing with its campaign and member', async () => {
      const { data: list } = await server.current.graphql<{ dialings: Edges<{ id: string }> }>(`{ dialings(first: 1) { edges { node { id } } } }`);
      const dialing = list?.dialings.edges[0];
      const { data } = await server.current.graphql(
        `query($id: ID!) { node(id: $id) { __typename ... on Dialing { dialedNumber status dialString campaign { name } member { name } } } }`,
        { id: dialing?.node.id },
        server.current.tokens.VIEWER,
      );
      expect(data).toEqual({
        node: { __typename: 'Dialing', dialedNumber: 'live-1', status: 'RINGING', dialString: 'PJSIP/live-1@carrier', campaign: { name: 'North' }, member: { name: 'Ana' } },
      });
    });
  });

  it('keeps an attempt after its member is deleted, with member null', async () => {
    const prisma = server.current.database.prisma;
    const template = await prisma.callAttempt.findFirstOrThrow({ where: { dialedNumber: 'attempt-1' } });
    const member = await prisma.member.create({ data: { dialListId: template.dialListId, name: 'Gone' } });
    await prisma.callAttempt.create({
      data: {
        ...template,
        id: uuidv7(at(20), 99),
        memberId: member.id,
        dialedNumber: 'orphaned',
        outcome: 'MACHINE',
        planSnapshot: {},
        destinationSnapshot: {},
        variables: {},
        outputs: {},
      },
    });
    await prisma.member.delete({ where: { id: member.id } });
    const [orphan] = (await callAttempts({ outcome: ['MACHINE'] })).edges;
    const { data } = await server.current.graphql(`query($id: ID!) { node(id: $id) { ... on CallAttempt { dialedNumber member { name } } } }`, {
      id: orphan?.node.id,
    });
    expect(data).toEqual({ node: { dialedNumber: 'orphaned', member: null } });
  });
});
