import { decodeGlobalID } from '@pothos/plugin-relay';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CampaignStatus } from '../../src/generated/prisma/enums.js';
import { postgresAvailable, resultOf, success, useServer } from '../support/fixture.js';

const CAMPAIGN = `id name status scheduleMode timezone priority dailyStartTime dailyEndTime startDate endDate weekdays dates exceptDates
  plan { id } destination { id } dialList { id } nextCampaign { id } inUse deletedAt`;
const CREATED = resultOf('CreateCampaignSuccess', CAMPAIGN);
const UPDATED = resultOf('UpdateCampaignSuccess', CAMPAIGN);
const STATUS_SET = resultOf('SetCampaignStatusSuccess', CAMPAIGN);
const DELETED = resultOf('DeleteCampaignSuccess', CAMPAIGN);

type Campaign = { id: string; name: string; status: CampaignStatus; nextCampaign: { id: string } | null; inUse: boolean; [field: string]: unknown };
type Failure = { __typename: string; message?: string; problems?: { field: string }[]; blockingIds?: string[]; resource?: string };

const fieldsOf = (failure: unknown) => (failure as Failure).problems?.map((problem) => problem.field).sort();
const unknownId = (typename: string) => Buffer.from(`${typename}:01900000-0000-7000-8000-000000000000`).toString('base64');

describe.skipIf(!postgresAvailable)('campaigns', () => {
  const server = useServer();
  const refs = { planId: '', destinationId: '', dialListId: '' };

  /** The id of what `mutation` (e.g. `createPlan`) made from `input`, an input object literal. */
  const create = async (mutation: string, successType: string, input: string) =>
    success<{ id: string }>((await server.current.graphql(`mutation { ${mutation}(input: ${input}) { ${resultOf(successType, 'id')} } }`)).data, mutation).id;

  beforeAll(async () => {
    if (!postgresAvailable) return;
    refs.planId = await create('createPlan', 'CreatePlanSuccess', '{ name: "Campaign plan" }');
    refs.destinationId = await create('createDestination', 'CreateDestinationSuccess', '{ name: "Sales", type: APPLICATION, application: "Queue", data: "sales" }');
    refs.dialListId = await create('createDialList', 'CreateDialListSuccess', '{ name: "Campaign list" }');
  });

  const createCampaign = (input: Record<string, unknown>) =>
    server.current.graphql(`mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { ${CREATED} } }`, { input: { ...refs, ...input } });
  const updateCampaign = (id: string, input: Record<string, unknown>) =>
    server.current.graphql(`mutation($id: ID!, $input: UpdateCampaignInput!) { updateCampaign(id: $id, input: $input) { ${UPDATED} } }`, { id, input });
  const setStatus = (id: string, status: string, force?: boolean) =>
    server.current.graphql(`mutation($id: ID!, $status: RequestedCampaignStatus!, $force: Boolean) {
      setCampaignStatus(id: $id, status: $status, force: $force) { ${STATUS_SET} } }`, { id, status, force });
  const deleteCampaign = (id: string, force?: boolean) =>
    server.current.graphql(`mutation($id: ID!, $force: Boolean) { deleteCampaign(id: $id, force: $force) { ${DELETED} } }`, { id, force });
  const newCampaign = async (name: string, input: Record<string, unknown> = {}) =>
    success<Campaign>((await createCampaign({ name, ...input })).data, 'createCampaign');
  const readCampaign = async (id: string) =>
    (await server.current.graphql<{ campaign: Campaign | null }>(`query($id: ID!) { campaign(id: $id) { ${CAMPAIGN} } }`, { id })).data?.campaign;
  /** Moves a campaign as the dialer would, straight in the database. */
  const dialerSets = (id: string, status: CampaignStatus) =>
    server.current.database.prisma.campaign.update({ where: { id: decodeGlobalID(id).id }, data: { status } });

  describe('creating', () => {
    it('creates a STOPPED, MANUAL campaign with its plan, destination and dial list', async () => {
      const campaign = await newCampaign('Spring sale');
      expect(campaign).toMatchObject({
        name: 'Spring sale',
        status: 'STOPPED',
        scheduleMode: 'MANUAL',
        timezone: 'UTC',
        priority: 0,
        weekdays: [],
        plan: { id: refs.planId },
        destination: { id: refs.destinationId },
        dialList: { id: refs.dialListId },
        nextCampaign: null,
        inUse: true,
      });
    });

    it.each(['planId', 'destinationId', 'dialListId'])('refuses an empty %s with a ValidationError naming it', async (field) => {
      const { data } = await createCampaign({ name: 'No reference', [field]: '' });
      expect(data?.createCampaign).toMatchObject({ __typename: 'ValidationError' });
      expect(fieldsOf(data?.createCampaign)).toEqual([field]);
    });

    it.each([
      ['planId', 'Plan'],
      ['destinationId', 'Destination'],
      ['dialListId', 'DialList'],
    ])('answers NotFoundError when %s names no %s', async (field, resource) => {
      const { data } = await createCampaign({ name: 'Dangling', [field]: unknownId(resource) });
      expect(data?.createCampaign).toMatchObject({ __typename: 'NotFoundError', resource });
    });

    it('names in NotFoundError the id the client sent', async () => {
      const planId = unknownId('Plan');
      const { data } = await createCampaign({ name: 'Which id?', planId });
      expect(data?.createCampaign).toMatchObject({ __typename: 'NotFoundError', id: planId });
    });

    it('answers NotFoundError for a plan that was deleted', async () => {
      const planId = await create('createPlan', 'CreatePlanSuccess', '{ name: "Deleted plan" }');
      await server.current.graphql(`mutation($id: ID!) { deletePlan(id: $id) { __typename } }`, { id: planId });
      const { data } = await createCampaign({ name: 'On a deleted plan', planId });
      expect(data?.createCampaign).toMatchObject({ __typename: 'NotFoundError', resource: 'Plan' });
    });

    it('answers ValidationError naming the field when an id is of another type', async () => {
      const { data } = await createCampaign({ name: 'Crossed ids', planId: refs.destinationId });
      expect(data?.createCampaign).toMatchObject({ __typename: 'ValidationError' });
      expect(fieldsOf(data?.createCampaign)).toEqual(['planId']);
    });
  });

  describe('schedule', () => {
    it('keeps a full schedule, times as HH:MM:SS and weekdays sorted without repeats', async () => {
      const campaign = await newCampaign('Scheduled', {
        scheduleMode: 'SCHEDULED',
        timezone: 'Europe/Madrid',
        dailyStartTime: '09:00',
        dailyEndTime: '18:30:15',
        startDate: '2026-03-01',
        endDate: '2026-03-31',
        weekdays: [5, 1, 3, 1],
        dates: ['2026-04-04'],
        exceptDates: ['2026-03-19'],
      });
      expect(campaign).toMatchObject({
        scheduleMode: 'SCHEDULED',
        timezone: 'Europe/Madrid',
        dailyStartTime: '09:00:00',
        dailyEndTime: '18:30:15',
        startDate: '2026-03-01',
        endDate: '2026-03-31',
        weekdays: [1, 3, 5],
        dates: ['2026-04-04'],
        exceptDates: ['2026-03-19'],
      });
    });

    it.each([
      ['a start time without an end time', { dailyStartTime: '09:00' }, ['dailyStartTime']],
      ['times that are not times of day', { dailyStartTime: '24:00', dailyEndTime: '9.30' }, ['dailyEndTime', 'dailyStartTime']],
      ['a startDate after the endDate', { startDate: '2026-06-01', endDate: '2026-05-31' }, ['endDate']],
      ['a date that does not exist', { startDate: '2026-02-30' }, ['startDate']],
      ['weekday 7', { weekdays: [1, 7] }, ['weekdays[1]']],
      ['bad dates in the lists', { dates: ['2026-13-01'], exceptDates: ['tomorrow'] }, ['dates[0]', 'exceptDates[0]']],
      ['an unknown timezone', { timezone: 'Mars/Olympus_Mons' }, ['timezone']],
    ])('refuses %s, naming the field', async (_what, schedule, fields) => {
      const { data } = await createCampaign({ name: 'Bad schedule', ...schedule });
      expect(data?.createCampaign).toMatchObject({ __typename: 'ValidationError' });
      expect(fieldsOf(data?.createCampaign)).toEqual(fields);
    });

    it('refuses an empty timezone, in which no schedule can be read', async () => {
      const { data } = await createCampaign({ name: 'Zoneless', timezone: '' });
      expect(data?.createCampaign).toMatchObject({ __typename: 'ValidationError' });
      expect(fieldsOf(data?.createCampaign)).toEqual(['timezone']);
    });

    it('stores an empty date or time as none (null), never as an empty string', async () => {
      const campaign = await newCampaign('Blank schedule', { startDate: '', endDate: '', dailyStartTime: '', dailyEndTime: '' });
      expect(campaign).toMatchObject({ startDate: null, endDate: null, dailyStartTime: null, dailyEndTime: null });
    });

    it('checks an update against the schedule already stored', async () => {
      const campaign = await newCampaign('Dated', { startDate: '2026-05-01', dailyStartTime: '08:00', dailyEndTime: '12:00' });
      const early = await updateCampaign(campaign.id, { endDate: '2026-04-30' });
      expect(fieldsOf(early.data?.updateCampaign)).toEqual(['endDate']);
      const unpaired = await updateCampaign(campaign.id, { dailyEndTime: null });
      expect(fieldsOf(unpaired.data?.updateCampaign)).toEqual(['dailyStartTime']);
      const { data } = await updateCampaign(campaign.id, { endDate: '2026-05-31', dailyEndTime: '13:15' });
      expect(success<Campaign>(data, 'updateCampaign')).toMatchObject({ startDate: '2026-05-01', endDate: '2026-05-31', dailyEndTime: '13:15:00' });
    });
  });

  describe('next campaign', () => {
    it('links a next campaign and refuses the campaign itself', async () => {
      const first = await newCampaign('First of a chain');
      const second = await newCampaign('Second of a chain');
      const { data } = await updateCampaign(first.id, { nextCampaignId: second.id });
      expect(success<Campaign>(data, 'updateCampaign').nextCampaign).toEqual({ id: second.id });
      const itself = await updateCampaign(first.id, { nextCampaignId: first.id });
      expect(itself.data?.updateCampaign).toMatchObject({ __typename: 'ValidationError' });
      expect(fieldsOf(itself.data?.updateCampaign)).toEqual(['nextCampaignId']);
    });
  });

  describe('setCampaignStatus', () => {
    it('starts a STOPPED campaign as STARTING, and asking again is not an error', async () => {
      const campaign = await newCampaign('To start');
      expect(success<Campaign>((await setStatus(campaign.id, 'RUNNING')).data, 'setCampaignStatus').status).toBe('STARTING');
      expect(success<Campaign>((await setStatus(campaign.id, 'RUNNING')).data, 'setCampaignStatus').status).toBe('STARTING');
    });

    it('refuses to pause a STOPPED campaign with a ConflictError and leaves it STOPPED', async () => {
      const campaign = await newCampaign('Not running');
      const { data } = await setStatus(campaign.id, 'PAUSED');
      expect(data?.setCampaignStatus).toMatchObject({ __typename: 'ConflictError', message: expect.stringContaining('STOPPED') });
      expect((await readCampaign(campaign.id))?.status).toBe('STOPPED');
    });

    it('pauses a RUNNING campaign as PAUSING', async () => {
      const campaign = await newCampaign('To pause');
      await dialerSets(campaign.id, 'RUNNING');
      expect(success<Campaign>((await setStatus(campaign.id, 'PAUSED')).data, 'setCampaignStatus').status).toBe('PAUSING');
    });

    it('stops a STARTING campaign as STOPPING, asks again without error, and refuses a start until it has stopped', async () => {
      const campaign = await newCampaign('To stop');
      await setStatus(campaign.id, 'RUNNING');
      expect(success<Campaign>((await setStatus(campaign.id, 'STOPPED')).data, 'setCampaignStatus').status).toBe('STOPPING');
      expect(success<Campaign>((await setStatus(campaign.id, 'STOPPED')).data, 'setCampaignStatus').status).toBe('STOPPING');
      const restart = await setStatus(campaign.id, 'RUNNING');
      expect(restart.data?.setCampaignStatus).toMatchObject({ __typename: 'ConflictError' });
    });

    it('force-stops a STARTING campaign as FORCE_STOPPING', async () => {
      const campaign = await newCampaign('To force-stop');
      await setStatus(campaign.id, 'RUNNING');
      expect(success<Campaign>((await setStatus(campaign.id, 'STOPPED', true)).data, 'setCampaignStatus').status).toBe('FORCE_STOPPING');
    });

    it('answers NotFoundError for a deleted campaign', async () => {
      const campaign = await newCampaign('Gone before start');
      success((await deleteCampaign(campaign.id)).data, 'deleteCampaign');
      expect((await setStatus(campaign.id, 'RUNNING')).data?.setCampaignStatus).toMatchObject({ __typename: 'NotFoundError', resource: 'Campaign' });
    });

    it('refuses a VIEWER with a ForbiddenError naming the SUPERVISOR role', async () => {
      const campaign = await newCampaign('Viewer tries');
      const { data } = await server.current.graphql(`mutation($id: ID!) { setCampaignStatus(id: $id, status: RUNNING) { ${STATUS_SET} } }`, {
        id: campaign.id,
      }, server.current.tokens.VIEWER);
      expect(data?.setCampaignStatus).toMatchObject({ __typename: 'ForbiddenError', requiredRole: 'SUPERVISOR' });
      expect((await readCampaign(campaign.id))?.status).toBe('STOPPED');
    });
  });

  describe('deleting', () => {
    it('soft-deletes a STOPPED campaign: still readable by id, inUse false', async () => {
      const campaign = await newCampaign('Finished');
      expect(success<Campaign>((await deleteCampaign(campaign.id)).data, 'deleteCampaign')).toMatchObject({ inUse: false, deletedAt: expect.any(String) });
      expect(await readCampaign(campaign.id)).toMatchObject({ name: 'Finished', inUse: false });
    });

    it('refuses a campaign that is not STOPPED, and with force deletes it as FORCE_STOPPING', async () => {
      const campaign = await newCampaign('Still starting');
      await setStatus(campaign.id, 'RUNNING');
      const refused = await deleteCampaign(campaign.id);
      expect(refused.data?.deleteCampaign).toMatchObject({ __typename: 'ConflictError', message: expect.stringContaining('STARTING') });
      expect((await readCampaign(campaign.id))?.inUse).toBe(true);
      const { data } = await deleteCampaign(campaign.id, true);
      expect(success<Campaign>(data, 'deleteCampaign')).toMatchObject({ inUse: false, status: 'FORCE_STOPPING' });
    });

    it('refuses a campaign another one chains to, naming that one in blockingIds', async () => {
      const next = await newCampaign('Chained to');
      const previous = await newCampaign('Chains on', { nextCampaignId: next.id });
      const { data } = await deleteCampaign(next.id);
      // The ids the API gives out, so a client can act on them (unlink or delete them).
      expect(data?.deleteCampaign).toMatchObject({ __typename: 'ConflictError', blockingIds: [previous.id] });
    });

    it('with force, deletes a chained-to campaign and cuts the link to it', async () => {
      const next = await newCampaign('Chained, forced');
      const previous = await newCampaign('Loses its next', { nextCampaignId: next.id });
      success((await deleteCampaign(next.id, true)).data, 'deleteCampaign');
      expect(await readCampaign(previous.id)).toMatchObject({ inUse: true, nextCampaign: null });
    });
  });

  describe('reading', () => {
    type Page = { campaigns: { edges: { node: { name: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
    const listIds = { own: '' };
    const listed = new Map<string, string>();
    const names = (page: Page | null | undefined) => page?.campaigns.edges.map((edge) => edge.node.name);
    const query = `query($filter: CampaignFilter, $after: String, $first: Int) { campaigns(first: $first, after: $after, filter: $filter) {
      edges { node { name } } pageInfo { hasNextPage endCursor } } }`;
    const list = (filter: Record<string, unknown>, page: { first?: number; after?: string } = {}) =>
      server.current.graphql<Page>(query, { filter, first: page.first ?? 50, after: page.after });

    beforeAll(async () => {
      if (!postgresAvailable) return;
      listIds.own = await create('createDialList', 'CreateDialListSuccess', '{ name: "Listing list" }');
      for (const name of ['Listing A', 'Listing B', 'Listing C', 'Listing D']) {
        listed.set(name, (await newCampaign(name, { dialListId: listIds.own })).id);
      }
    });

    it('filters by dial list, newest first', async () => {
      expect(names((await list({ dialListId: listIds.own })).data)).toEqual(['Listing D', 'Listing C', 'Listing B', 'Listing A']);
      const elsewhere = names((await list({ dialListId: refs.dialListId })).data);
      expect(elsewhere?.length).toBeGreaterThan(0);
      expect(elsewhere).not.toContain('Listing A');
    });

    it('filters by status', async () => {
      success((await setStatus(listed.get('Listing B') ?? '', 'RUNNING')).data, 'setCampaignStatus');
      expect(names((await list({ dialListId: listIds.own, status: ['STARTING', 'RUNNING'] })).data)).toEqual(['Listing B']);
      expect(names((await list({ dialListId: listIds.own, status: ['STOPPED'] })).data)).toEqual(['Listing D', 'Listing C', 'Listing A']);
    });

    it('filters by part of the name, in any case', async () => {
      expect(names((await list({ name: 'listing c' })).data)).toEqual(['Listing C']);
    });

    it('pages by cursor', async () => {
      const first = await list({ dialListId: listIds.own }, { first: 3 });
      expect(names(first.data)).toEqual(['Listing D', 'Listing C', 'Listing B']);
      expect(first.data?.campaigns.pageInfo.hasNextPage).toBe(true);
      const second = await list({ dialListId: listIds.own }, { first: 3, after: first.data?.campaigns.pageInfo.endCursor });
      expect(names(second.data)).toEqual(['Listing A']);
      expect(second.data?.campaigns.pageInfo.hasNextPage).toBe(false);
    });

    it('leaves deleted campaigns out unless asked for them', async () => {
      const doomed = await newCampaign('Listing deleted', { dialListId: listIds.own });
      success((await deleteCampaign(doomed.id)).data, 'deleteCampaign');
      expect(names((await list({ dialListId: listIds.own })).data)).not.toContain('Listing deleted');
      expect(names((await list({ dialListId: listIds.own, includeDeleted: true })).data)).toContain('Listing deleted');
    });

    it('answers null from campaign(id) for an id that names no campaign', async () => {
      const { data, errors } = await server.current.graphql(`query($id: ID!) { campaign(id: $id) { id } }`, { id: unknownId('Campaign') });
      expect(errors).toBeUndefined();
      expect(data).toEqual({ campaign: null });
    });

    it('answers a BAD_USER_INPUT error for a filter id of another type', async () => {
      const { data, errors } = await list({ dialListId: refs.planId });
      expect(data).toBeNull();
      expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(errors?.[0]?.message).toContain('dialListId');
    });
  });

  it('clones a campaign into a new STOPPED one with its settings, and lists its runs with who started and stopped them', async () => {
    const source = await newCampaign('Original', { priority: 7, timezone: 'Europe/Madrid', weekdays: [1, 2], pbxServer: 'pbx1' });
    await dialerSets(source.id, 'RUNNING');
    const cloned = await server.current.graphql(`mutation($id: ID!) { cloneCampaign(id: $id) { ${resultOf('CloneCampaignSuccess', `${CAMPAIGN} pbxServer`)} } }`, { id: source.id });
    expect(success<Campaign>(cloned.data, 'cloneCampaign')).toMatchObject({ name: 'Original (copy)', status: 'STOPPED', priority: 7, timezone: 'Europe/Madrid', weekdays: [1, 2], pbxServer: 'pbx1' });
    const missing = await server.current.graphql(`mutation($id: ID!) { cloneCampaign(id: $id, name: "x") { ${resultOf('CloneCampaignSuccess', 'id')} } }`, { id: unknownId('Campaign') });
    expect((missing.data?.cloneCampaign as Failure).__typename).toBe('NotFoundError');

    const prisma = server.current.database.prisma;
    const campaignId = decodeGlobalID(source.id).id;
    await prisma.campaignRun.create({ data: { campaignId, startedBy: 'ana', stoppedAt: new Date(), stoppedBy: 'end of list' } });
    const { data } = await server.current.graphql<{ campaign: { runs: { startedBy: string; stoppedBy: string; attempts: number; outcomes: unknown[] }[] } }>(
      'query($id: ID!) { campaign(id: $id) { runs { startedBy stoppedBy attempts outcomes { outcome count } } } }',
      { id: source.id },
    );
    expect(data?.campaign.runs).toEqual([{ startedBy: 'ana', stoppedBy: 'end of list', attempts: 0, outcomes: [] }]);
  });
});
