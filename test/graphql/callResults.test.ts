import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AsteriskManagerConnection } from '../../src/ami/asteriskManager.js';
import { startSimulator, type Simulator } from '../../src/ami/simulator/index.js';
import { createBus } from '../../src/bus/bus.js';
import { startDialer, type Dialer } from '../../src/dialer/engine.js';
import { localPbxActions } from '../../src/pbx/actions.js';
import { MemoryLiveStore } from '../../src/live/storeMemory.js';
import { createLogger } from '../../src/logger.js';
import { setCampaignStatus } from '../../src/outbound/campaigns.js';
import { createPostgresDatabase, type TestDatabase } from '../support/database.js';
import { postgresAvailable, resultOf } from '../support/fixture.js';
import { startTestServer, type TestServer } from '../support/server.js';

const credentials = { username: 'dialer', secret: 'dialer-secret' };
const log = createLogger('silent');

type Result = { __typename: string; data?: Record<string, unknown>; message?: string; problems?: { field: string }[]; requiredRole?: string; resource?: string };

/** Steering calls and members through the API while the dialer dials the simulated PBX. */
describe.skipIf(!postgresAvailable)('call results, member results, reschedule rules and dispositions over GraphQL', () => {
  let simulator: Simulator;
  let connection: AsteriskManagerConnection;
  let database: TestDatabase;
  let api: TestServer;
  let dialer: Dialer;

  beforeAll(async () => {
    simulator = await startSimulator({ ...credentials, speed: 1 });
    connection = new AsteriskManagerConnection({ name: 'pbx1', host: simulator.host, port: simulator.port, ...credentials }, { log });
    await connection.start();
    database = await createPostgresDatabase();
    api = await startTestServer(database, { actions: localPbxActions(new Map([['pbx1', connection]])) });
    dialer = startDialer({ prisma: database.prisma, driver: database.driver, connections: new Map([['pbx1', connection]]), store: new MemoryLiveStore(), bus: createBus(), log, tickMs: 100 });
  }, 60_000);

  afterAll(async () => {
    await dialer?.stop();
    await api?.close();
    await connection?.close();
    await simulator?.close();
    await database?.drop();
  });

  async function campaignOver(numbers: string[], plan: Record<string, unknown> = {}) {
    const prisma = database.prisma;
    const created = await prisma.plan.create({ data: { name: 'Plan', dialStringTemplate: 'Local/{number}@customers', dialTimeoutMs: 60_000, retryDelaySec: 60, maxRetries: [3, 3, 3, 3, 3, 3, 3, 3], maxConcurrentCalls: 1, ...plan } });
    const destination = await prisma.destination.create({ data: { name: 'Echo', type: 'EXTENSION', context: 'dest', exten: 'echo', priority: '1' } });
    const dialList = await prisma.dialList.create({ data: { name: 'List' } });
    for (const number of numbers) {
      await prisma.member.create({ data: { dialListId: dialList.id, name: number, numbers: { create: [{ slot: 1, dialListId: dialList.id, number }] } } });
    }
    return prisma.campaign.create({ data: { name: 'Campaign', planId: created.id, destinationId: destination.id, dialListId: dialList.id } });
  }

  async function mutate(field: string, args: string, variables: Record<string, unknown>, data: string, token = api.tokens.SUPERVISOR): Promise<Result> {
    const success = `${field.charAt(0).toUpperCase()}${field.slice(1)}Success`;
    const { data: body, errors } = await api.graphql<Record<string, Result>>(`mutation { ${field}(${args}) { ${resultOf(success, data)} } }`.replace('mutation {', `mutation(${Object.keys(variables).map((name) => `$${name}: ${TYPES[name]}`).join(', ')}) {`), variables, token);
    expect(errors).toBeUndefined();
    return body?.[field] as Result;
  }

  const TYPES: Record<string, string> = {
    id: 'ID!',
    status: 'String!',
    name: 'String!',
    value: 'String!',
    campaignId: 'ID!',
    memberId: 'ID!',
    direction: 'MoveDirection!',
    rule: 'CreateRescheduleRuleInput!',
    result: 'MemberResultInput!',
    disposition: 'CreateDispositionInput!',
  };

  const liveDialing = async (campaignId: string, status: string) => {
    let found: { id: string } | undefined;
    await vi.waitFor(async () => {
      found = (await database.prisma.dialing.findMany({ where: { campaignId, status: status as 'RINGING' } }))[0];
      expect(found).toBeDefined();
    }, { timeout: 15_000 });
    return found as { id: string };
  };

  it('sets the status and attributes of a live call, which the dialing shows and its attempt keeps, and its rule fires; hangupDialing ends it', async () => {
    const campaign = await campaignOver(['6001']);
    const rule = await database.prisma.rescheduleRule.create({ data: { campaignId: campaign.id, position: 1, completionCode: 'CALLBACK', maxAttempts: 1, retryAfterSec: 3600 } });
    await setCampaignStatus(database.prisma, campaign.id, 'RUNNING', false, 'tester');
    const dialing = await liveDialing(campaign.id, 'ANSWERED');
    const id = encodeGlobalID('Dialing', dialing.id);

    expect(await mutate('setCallStatus', 'dialingId: $id, status: $status', { id, status: 'CALLBACK' }, 'finished completionCode')).toMatchObject({ data: { finished: false, completionCode: 'CALLBACK' } });
    await mutate('setCallAttribute', 'dialingId: $id, name: $name, value: $value', { id, name: 'Step', value: 'a' }, 'finished');
    expect(await mutate('appendCallAttribute', 'dialingId: $id, name: $name, value: $value', { id, name: 'step', value: 'b' }, 'outputs')).toMatchObject({ data: { outputs: { step: 'ab' } } });
    const shown = await api.graphql<{ dialings: { edges: { node: { completionCode: string; outputs: unknown } }[] } }>('{ dialings { edges { node { completionCode outputs } } } }', {}, api.tokens.VIEWER);
    expect(shown.data?.dialings.edges.map((edge) => edge.node)).toEqual([{ completionCode: 'CALLBACK', outputs: { step: 'ab' } }]);

    expect(await mutate('hangupDialing', 'id: $id', { id }, 'server message')).toMatchObject({ __typename: 'HangupDialingSuccess', data: { server: 'pbx1', message: 'Channel Hungup' } });
    await vi.waitFor(async () => expect(await database.prisma.callAttempt.count({ where: { campaignId: campaign.id } })).toBe(1), { timeout: 15_000 });
    const attempt = await database.prisma.callAttempt.findFirstOrThrow({ where: { campaignId: campaign.id } });
    expect(attempt).toMatchObject({ outcome: 'ANSWERED', completionCode: 'CALLBACK', outputs: { step: 'ab' }, rescheduleRuleId: rule.id, rescheduleSec: 3600 });

    // Finished now: the same id still reaches it, and clearing changes the attempt.
    expect(await mutate('clearCallAttributes', 'dialingId: $id', { id }, 'finished outputs')).toMatchObject({ data: { finished: true, outputs: {} } });
    await setCampaignStatus(database.prisma, campaign.id, 'STOPPED', true, 'tester');
  }, 60_000);

  it('hangupDialing before the answer records the call CANCELLED, using no try', async () => {
    const campaign = await campaignOver(['3001']);
    await setCampaignStatus(database.prisma, campaign.id, 'RUNNING', false, 'tester');
    const dialing = await liveDialing(campaign.id, 'RINGING');
    await setCampaignStatus(database.prisma, campaign.id, 'PAUSED', false, 'tester');
    expect((await mutate('hangupDialing', 'id: $id', { id: encodeGlobalID('Dialing', dialing.id) }, 'message')).__typename).toBe('HangupDialingSuccess');
    await vi.waitFor(async () => expect(await database.prisma.callAttempt.findUnique({ where: { id: dialing.id } })).toMatchObject({ outcome: 'CANCELLED' }), { timeout: 15_000 });
    expect((await database.prisma.memberNumber.findFirstOrThrow({ where: { dialListId: campaign.dialListId } })).tryCount).toBe(0);
  }, 60_000);

  it('answers unknown dialings, wrong ids and viewers with typed errors', async () => {
    const unknown = encodeGlobalID('Dialing', '0190a000-0000-7000-8000-000000000000');
    expect(await mutate('setCallStatus', 'dialingId: $id, status: $status', { id: unknown, status: 'X' }, 'finished')).toMatchObject({ __typename: 'NotFoundError', resource: 'Dialing' });
    expect(await mutate('hangupDialing', 'id: $id', { id: unknown }, 'message')).toMatchObject({ __typename: 'NotFoundError' });
    expect(await mutate('setCallStatus', 'dialingId: $id, status: $status', { id: encodeGlobalID('Plan', unknown), status: 'X' }, 'finished')).toMatchObject({ __typename: 'ValidationError' });
    expect(await mutate('setCallAttribute', 'dialingId: $id, name: $name, value: $value', { id: unknown, name: 'bad name', value: 'x' }, 'finished')).toMatchObject({
      __typename: 'ValidationError',
      problems: [{ field: 'name' }],
    });
    expect(await mutate('setCallStatus', 'dialingId: $id, status: $status', { id: unknown, status: 'X' }, 'finished', api.tokens.VIEWER)).toMatchObject({ __typename: 'ForbiddenError', requiredRole: 'SUPERVISOR' });
  });

  it("hangupDialing keeps a dialing as it was when the PBX refuses, and refuses one with no channel yet", async () => {
    const campaign = await campaignOver(['3001']);
    const member = await database.prisma.member.findFirstOrThrow({ where: { dialListId: campaign.dialListId } });
    const run = await database.prisma.campaignRun.create({ data: { campaignId: campaign.id, startedBy: 'tester' } });
    const dialing = (id: string, status: 'RINGING' | 'PENDING', channel: string | null) =>
      database.prisma.dialing.create({
        data: { id, campaignId: campaign.id, memberId: member.id, numberSlot: 1, dialedNumber: '3001', tryCount: 1, server: 'pbx1', runId: run.id, status, channel, dialString: 'Local/3001@customers', planSnapshot: {}, destinationSnapshot: {} },
      });
    const gone = await dialing('0190a000-0000-7000-8000-0000000000a1', 'RINGING', 'Local/3001@customers-0000dead;1');
    expect(await mutate('hangupDialing', 'id: $id', { id: encodeGlobalID('Dialing', gone.id) }, 'message')).toMatchObject({ __typename: 'PbxRefusedError' });
    expect((await database.prisma.dialing.findUniqueOrThrow({ where: { id: gone.id } })).status).toBe('RINGING');
    const pending = await dialing('0190a000-0000-7000-8000-0000000000a2', 'PENDING', null);
    expect(await mutate('hangupDialing', 'id: $id', { id: encodeGlobalID('Dialing', pending.id) }, 'message')).toMatchObject({ __typename: 'ConflictError' });
    await database.prisma.dialing.deleteMany({ where: { id: { in: [gone.id, pending.id] } } });
  });

  it('keeps reschedule rules in order, moves them, and lets only an ADMIN change them', async () => {
    const campaign = await campaignOver([]);
    const campaignId = encodeGlobalID('Campaign', campaign.id);
    const create = (rule: Record<string, unknown>, token = api.tokens.ADMIN) => mutate('createRescheduleRule', 'campaignId: $campaignId, input: $rule', { campaignId, rule }, 'id position completionCode', token);
    const busy = await create({ outcome: 'BUSY', maxAttempts: 2, retryAfterSec: 60 });
    const sale = await create({ completionCode: 'SALE', maxAttempts: 1, retryAfterSec: 600 });
    expect([busy.data?.position, sale.data?.position]).toEqual([1, 2]);
    expect(await create({ maxAttempts: -1, retryAfterSec: 60 })).toMatchObject({ __typename: 'ValidationError', problems: [{ field: 'maxAttempts' }] });
    expect(await create({ maxAttempts: 1, retryAfterSec: 60 }, api.tokens.SUPERVISOR)).toMatchObject({ __typename: 'ForbiddenError', requiredRole: 'ADMIN' });

    expect(await mutate('moveRescheduleRule', 'id: $id, direction: $direction', { id: sale.data?.id, direction: 'UP' }, 'position', api.tokens.ADMIN)).toMatchObject({ data: { position: 1 } });
    await mutate('moveRescheduleRule', 'id: $id, direction: $direction', { id: sale.data?.id, direction: 'UP' }, 'position', api.tokens.ADMIN);
    const listed = await api.graphql<{ rescheduleRules: { completionCode: string | null }[] }>('query($id: ID!) { rescheduleRules(campaignId: $id) { completionCode } }', { id: campaignId }, api.tokens.VIEWER);
    expect(listed.data?.rescheduleRules.map((rule) => rule.completionCode)).toEqual(['SALE', null]);
    expect(await mutate('moveRescheduleRule', 'id: $id, direction: $direction', { id: encodeGlobalID('RescheduleRule', '0190a000-0000-7000-8000-000000000000'), direction: 'DOWN' }, 'position', api.tokens.ADMIN)).toMatchObject({ __typename: 'NotFoundError' });
  });

  it("sets a member's result as Webitel's call result, and terminates one without deleting it", async () => {
    const campaign = await campaignOver([]);
    const member = await database.prisma.member.create({
      data: { dialListId: campaign.dialListId, name: 'Ana', status: 'DONE', resultDueAt: new Date(Date.now() + 60_000), numbers: { create: [{ slot: 1, dialListId: campaign.dialListId, number: '5550001', tryCount: 3 }, { slot: 2, dialListId: campaign.dialListId, number: '5550002' }] } },
    });
    const memberId = encodeGlobalID('Member', member.id);
    const set = (result: Record<string, unknown>) => mutate('settleMember', 'memberId: $memberId, input: $result', { memberId, result }, 'status nextAttemptAt');
    expect(await set({ success: false, stopCommunications: ['5550009'] })).toMatchObject({ __typename: 'ValidationError', problems: [{ field: 'stopCommunications[0]' }] });
    expect(await set({ success: false, nextCommunication: 'not a number' })).toMatchObject({ __typename: 'ValidationError', problems: [{ field: 'nextCommunication' }] });

    const retried = await set({ success: false, resetRetries: true, nextAfterSec: 120, nextCommunication: '+1 555 0003', stopCommunications: ['2'], description: 'wrong person' });
    expect(retried).toMatchObject({ __typename: 'SettleMemberSuccess', data: { status: 'IDLE' } });
    const stored = await database.prisma.member.findUniqueOrThrow({ where: { id: member.id }, include: { numbers: { orderBy: { slot: 'asc' } } } });
    expect(stored).toMatchObject({ resultDueAt: null, resultDescription: 'wrong person' });
    expect(stored.nextAttemptAt?.getTime()).toBeGreaterThan(Date.now() + 100_000);
    expect(stored.numbers.map((n) => [n.slot, n.number, n.tryCount, n.stopped, n.priority])).toEqual([
      [1, '5550001', 0, false, 0],
      [2, '5550002', 0, true, 0],
      [3, '+15550003', 0, false, 1],
    ]);

    expect(await set({ success: true })).toMatchObject({ data: { status: 'DONE', nextAttemptAt: null } });
    expect(await mutate('terminateMember', 'memberId: $memberId', { memberId }, 'status')).toMatchObject({ data: { status: 'TERMINATED' } });
    expect(await set({ success: false })).toMatchObject({ __typename: 'ConflictError' });
    expect(await mutate('terminateMember', 'memberId: $memberId', { memberId: encodeGlobalID('Member', '0190a000-0000-7000-8000-000000000000') }, 'status')).toMatchObject({ __typename: 'NotFoundError' });
  });

  it("accepts and shows the plan's result settings, refusing a negative minimum talk", async () => {
    const plan = await database.prisma.plan.create({ data: { name: 'Settings' } });
    const update = (input: Record<string, unknown>) =>
      api.graphql<{ updatePlan: Result }>(
        `mutation($id: ID!, $input: UpdatePlanInput!) { updatePlan(id: $id, input: $input) { ${resultOf('UpdatePlanSuccess', 'minTalkSec retryAbandoned waitForResult waitForResultSec')} } }`,
        { id: encodeGlobalID('Plan', plan.id), input },
        api.tokens.SUPERVISOR,
      );
    expect((await update({ minTalkSec: 10, retryAbandoned: true, waitForResult: true, waitForResultSec: 90 })).data?.updatePlan).toMatchObject({
      data: { minTalkSec: 10, retryAbandoned: true, waitForResult: true, waitForResultSec: 90 },
    });
    expect((await update({ minTalkSec: -1 })).data?.updatePlan).toMatchObject({ __typename: 'ValidationError', problems: [{ field: 'minTalkSec' }] });
  });

  it('files dispositions, schedules the member for a callback, and refuses a schedule in the past', async () => {
    const campaign = await campaignOver([]);
    const member = await database.prisma.member.create({ data: { dialListId: campaign.dialListId, name: 'Ben', status: 'DONE', numbers: { create: [{ slot: 1, dialListId: campaign.dialListId, number: '5550010' }] } } });
    const base = { memberId: encodeGlobalID('Member', member.id), campaignId: encodeGlobalID('Campaign', campaign.id), level1: 'Sale', level2: 'Callback' };
    const file = (disposition: Record<string, unknown>) => mutate('createDisposition', 'input: $disposition', { disposition }, 'level1 level2 scheduledAt createdBy');
    expect(await file({ ...base, scheduledAt: new Date(Date.now() - 60_000).toISOString() })).toMatchObject({ __typename: 'ValidationError', problems: [{ field: 'scheduledAt' }] });
    expect(await file({ ...base, level2: null, level3: 'x' })).toMatchObject({ __typename: 'ValidationError', problems: [{ field: 'level3' }] });

    const when = new Date(Date.now() + 3_600_000);
    expect(await file({ ...base, scheduledAt: when.toISOString(), data: { product: 'gold' } })).toMatchObject({ __typename: 'CreateDispositionSuccess', data: { level1: 'Sale', createdBy: 'test SUPERVISOR' } });
    expect(await database.prisma.member.findUniqueOrThrow({ where: { id: member.id } })).toMatchObject({ status: 'IDLE', scheduledAt: when, nextAttemptAt: when });
    expect(await file({ ...base, memberId: encodeGlobalID('Member', '0190a000-0000-7000-8000-000000000000') })).toMatchObject({ __typename: 'NotFoundError' });

    const listed = await api.graphql<{ dispositions: { edges: { node: { level1: string; data: unknown } }[] } }>('query($id: ID) { dispositions(filter: { memberId: $id }) { edges { node { level1 data } } } }', { id: base.memberId }, api.tokens.VIEWER);
    expect(listed.data?.dispositions.edges.map((edge) => edge.node)).toEqual([{ level1: 'Sale', data: { product: 'gold' } }]);
  });
});
