import { encodeGlobalID } from '@pothos/plugin-relay';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/roles.js';
import type { CampaignStatus } from '../../src/generated/prisma/enums.js';
import { END_OF_LIST } from '../../src/requesters.js';
import { postgresAvailable, resultOf, useServer } from '../support/fixture.js';

const INTAKE = 'created duplicates startedCampaigns { name status } startRefusals { campaign { name status } field message }';

type Intake = {
  created: number;
  duplicates: number;
  startedCampaigns: { name: string; status: string }[];
  startRefusals: { campaign: { name: string; status: string }; field: string | null; message: string }[];
};
type Answer = { __typename: string; data?: Intake; requiredRole?: string };

describe.skipIf(!postgresAvailable)('autoRun on member intake: which campaigns it starts', () => {
  const server = useServer();
  const prisma = () => server.current.database.prisma;

  /** A campaign over `dialListId` in `status`, as whatever `requestedBy` names left it. */
  async function campaign(name: string, dialListId: string, status: CampaignStatus, requestedBy: string | null, plan: Record<string, unknown> = { maxConcurrentCalls: 2 }) {
    const created = await prisma().plan.create({ data: { name: `${name} plan`, dialStringTemplate: 'Local/{number}@customers', ...plan } });
    const destination = await prisma().destination.create({ data: { name: `${name} destination`, type: 'EXTENSION', context: 'dest', exten: 'echo', priority: '1' } });
    return prisma().campaign.create({ data: { name, planId: created.id, destinationId: destination.id, dialListId, status, statusRequestedBy: requestedBy } });
  }
  const list = (name: string) => prisma().dialList.create({ data: { name } });
  const statuses = async (ids: string[]) =>
    Object.fromEntries((await prisma().campaign.findMany({ where: { id: { in: ids } }, select: { name: true, status: true } })).map((c) => [c.name, c.status]));

  const addMembers = async (dialListId: string, numbers: string[], autoRun?: boolean, role: Role = 'SUPERVISOR') =>
    (
      await server.current.graphql(
        `mutation($list: ID!, $members: [MemberInput!]!, $autoRun: Boolean) { addMembers(dialListId: $list, members: $members, dedupe: NUMBER, autoRun: $autoRun) {
          ${resultOf('AddMembersSuccess', INTAKE)} } }`,
        { list: encodeGlobalID('DialList', dialListId), members: numbers.map((number) => ({ numbers: [{ number }] })), autoRun },
        server.current.tokens[role],
      )
    ).data?.addMembers as Answer;

  const importMembers = async (dialListId: string, csv: string, autoRun: boolean) =>
    (
      await server.current.graphql(
        `mutation($list: ID!, $csv: String, $autoRun: Boolean) { importMembers(dialListId: $list, csv: $csv, input: { autoRun: $autoRun }) {
          ${resultOf('ImportMembersSuccess', INTAKE)} } }`,
        { list: encodeGlobalID('DialList', dialListId), csv, autoRun },
      )
    ).data?.importMembers as Answer;

  it('starts the stopped campaigns whose list ran out, calling it as their own or an added list, and no other', async () => {
    const renewals = await list('Renewals');
    const other = await list('Other');
    const ended = await campaign('Ended', renewals.id, 'STOPPED', END_OF_LIST);
    const endedElsewhere = await campaign('Ended, calls it as an added list', other.id, 'STOPPED', END_OF_LIST);
    await prisma().campaignList.create({ data: { campaignId: endedElsewhere.id, dialListId: renewals.id, role: 'CALLS' } });
    const pausedList = await campaign('Ended, its added list paused', other.id, 'STOPPED', END_OF_LIST);
    await prisma().campaignList.create({ data: { campaignId: pausedList.id, dialListId: renewals.id, role: 'CALLS', paused: true } });
    const blacklisting = await campaign('Ended, a do-not-call list', other.id, 'STOPPED', END_OF_LIST);
    await prisma().campaignList.create({ data: { campaignId: blacklisting.id, dialListId: renewals.id, role: 'BLACKLIST' } });
    const left = [
      await campaign('Stopped by a person', renewals.id, 'STOPPED', 'alice'),
      await campaign('Stopped by its schedule', renewals.id, 'STOPPED', 'schedule'),
      await campaign('Never started', renewals.id, 'STOPPED', null),
      await campaign('Paused by a person', renewals.id, 'PAUSED', 'alice'),
      await campaign('Running', renewals.id, 'RUNNING', 'alice'),
      await campaign('Ended on another list', other.id, 'STOPPED', END_OF_LIST),
    ];
    const deleted = await campaign('Deleted', renewals.id, 'STOPPED', END_OF_LIST);
    await prisma().campaign.update({ where: { id: deleted.id }, data: { inUse: false, deletedAt: new Date() } });
    const before = await statuses(left.map((c) => c.id));

    const answer = await addMembers(renewals.id, ['1001'], true);
    expect(answer.data?.startedCampaigns).toEqual([
      { name: 'Ended', status: 'STARTING' },
      { name: 'Ended, calls it as an added list', status: 'STARTING' },
    ]);
    expect(answer.data?.startRefusals).toEqual([]);
    expect(await statuses(left.map((c) => c.id))).toEqual(before);
    expect(await statuses([pausedList.id, blacklisting.id, deleted.id])).toEqual({ 'Ended, its added list paused': 'STOPPED', 'Ended, a do-not-call list': 'STOPPED', Deleted: 'STOPPED' });
    const started = await prisma().campaign.findUniqueOrThrow({ where: { id: ended.id } });
    expect(started.statusRequestedBy).toBe('test SUPERVISOR');
  });

  it('starts nothing without autoRun, nor when every member was a duplicate', async () => {
    const renewals = await list('Quiet');
    const ended = await campaign('Quiet ended', renewals.id, 'STOPPED', END_OF_LIST);
    expect((await addMembers(renewals.id, ['1001'])).data).toMatchObject({ created: 1, startedCampaigns: [] });
    expect((await importMembers(renewals.id, 'number\n1002\n', false)).data).toMatchObject({ created: 1, startedCampaigns: [] });
    expect((await addMembers(renewals.id, ['1001'], true)).data).toMatchObject({ created: 0, duplicates: 1, startedCampaigns: [] });
    expect(await statuses([ended.id])).toEqual({ 'Quiet ended': 'STOPPED' });

    expect((await importMembers(renewals.id, 'number\n1003\n', true)).data).toMatchObject({ created: 1, startedCampaigns: [{ name: 'Quiet ended', status: 'STARTING' }] });
  });

  it('starts a campaign once when two intakes ask at the same moment, and only the one that started it names it', async () => {
    const renewals = await list('Twice');
    await campaign('Twice ended', renewals.id, 'STOPPED', END_OF_LIST);
    const answers = await Promise.all([addMembers(renewals.id, ['1001'], true), addMembers(renewals.id, ['1002'], true)]);
    expect(answers.map((answer) => answer.data?.created)).toEqual([1, 1]);
    expect(answers.flatMap((answer) => answer.data?.startedCampaigns ?? [])).toEqual([{ name: 'Twice ended', status: 'STARTING' }]);
  });

  it('reports a campaign it cannot start, for want of a bound on its pacing, and stores the members all the same', async () => {
    const renewals = await list('Unbounded');
    await campaign('Unbounded', renewals.id, 'STOPPED', END_OF_LIST, { dialMode: 'PROGRESSIVE' });
    const answer = await addMembers(renewals.id, ['1001'], true);
    expect(answer.data).toMatchObject({ created: 1, startedCampaigns: [], startRefusals: [{ campaign: { name: 'Unbounded', status: 'STOPPED' }, field: 'maxConcurrentCalls' }] });
    expect(answer.data?.startRefusals[0]?.message).toMatch(/no queue to pace by/);
    expect(await prisma().member.count({ where: { dialListId: renewals.id } })).toBe(1);
  });

  it('lets no VIEWER start a campaign through it: the intake is refused whole', async () => {
    const renewals = await list('Viewer');
    const ended = await campaign('Viewer ended', renewals.id, 'STOPPED', END_OF_LIST);
    expect(await addMembers(renewals.id, ['1001'], true, 'VIEWER')).toMatchObject({ __typename: 'ForbiddenError', requiredRole: 'SUPERVISOR' });
    expect(await statuses([ended.id])).toEqual({ 'Viewer ended': 'STOPPED' });
    expect(await prisma().member.count({ where: { dialListId: renewals.id } })).toBe(0);
  });

  it('records autoRun with the intake in the audit log', async () => {
    const renewals = await list('Audited');
    await addMembers(renewals.id, ['1001'], true);
    const entry = await prisma().auditEntry.findFirstOrThrow({ where: { mutation: 'addMembers' }, orderBy: { at: 'desc' } });
    expect(entry.arguments).toMatchObject({ autoRun: true });
  });
});
