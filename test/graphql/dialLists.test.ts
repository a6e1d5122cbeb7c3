import { decodeGlobalID } from '@pothos/plugin-relay';
import { describe, expect, it } from 'vitest';
import { postgresAvailable, resultOf, success, useServer } from '../support/fixture.js';

const DIAL_LIST = 'id name detail variables memberCount inUse deletedAt';
const CREATED = resultOf('CreateDialListSuccess', DIAL_LIST);
const UPDATED = resultOf('UpdateDialListSuccess', DIAL_LIST);
const DELETED = resultOf('DeleteDialListSuccess', DIAL_LIST);

type DialList = { id: string; name: string; memberCount: number; inUse: boolean; [field: string]: unknown };
type Failure = { __typename: string; message?: string; problems?: { field: string; message: string }[]; blockingIds?: string[] };

const fieldsOf = (failure: unknown) => (failure as Failure).problems?.map((problem) => problem.field).sort();

describe.skipIf(!postgresAvailable)('dial lists', () => {
  const server = useServer();
  const createDialList = (input: Record<string, unknown>) =>
    server.current.graphql(`mutation($input: CreateDialListInput!) { createDialList(input: $input) { ${CREATED} } }`, { input });
  const updateDialList = (id: string, input: Record<string, unknown>) =>
    server.current.graphql(`mutation($id: ID!, $input: UpdateDialListInput!) { updateDialList(id: $id, input: $input) { ${UPDATED} } }`, {
      id,
      input,
    });
  const deleteDialList = (id: string, force?: boolean) =>
    server.current.graphql(`mutation($id: ID!, $force: Boolean) { deleteDialList(id: $id, force: $force) { ${DELETED} } }`, { id, force });
  const newList = async (name: string) => success<DialList>((await createDialList({ name })).data, 'createDialList');
  const readList = async (id: string) =>
    (await server.current.graphql<{ node: DialList | null }>(`query($id: ID!) { node(id: $id) { ... on DialList { ${DIAL_LIST} } } }`, { id }))
      .data?.node;

  /** Members as the importer would leave them, written straight to the database. */
  async function addMembers(listId: string, count: number): Promise<void> {
    const dialListId = decodeGlobalID(listId).id;
    for (let index = 0; index < count; index++) {
      await server.current.database.prisma.member.create({
        data: {
          dialListId,
          name: `Customer ${index}`,
          numbers: { create: [{ slot: 1, dialListId, number: `55500${index}` }, { slot: 2, dialListId, number: `66600${index}` }] },
        },
      });
    }
  }

  async function campaignUsing(dialListId: string, name: string): Promise<string> {
    const plan = success<{ id: string }>(
      (await server.current.graphql(`mutation { createPlan(input: { name: "Plan of ${name}" }) { ${resultOf('CreatePlanSuccess', 'id')} } }`)).data,
      'createPlan',
    );
    const destination = success<{ id: string }>(
      (
        await server.current.graphql(
          `mutation { createDestination(input: { name: "To ${name}", type: APPLICATION, application: "Queue", data: "sales" }) {
            ${resultOf('CreateDestinationSuccess', 'id')} } }`,
        )
      ).data,
      'createDestination',
    );
    const { data } = await server.current.graphql(
      `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { ${resultOf('CreateCampaignSuccess', 'id')} } }`,
      { input: { name, planId: plan.id, destinationId: destination.id, dialListId } },
    );
    return success<{ id: string }>(data, 'createCampaign').id;
  }

  it('creates a dial list with its own variables and no members', async () => {
    const { data } = await createDialList({ name: 'Spring leads', detail: 'from the fair', variables: { SOURCE: 'fair' } });
    expect(success<DialList>(data, 'createDialList')).toMatchObject({
      name: 'Spring leads',
      detail: 'from the fair',
      variables: { SOURCE: 'fair' },
      memberCount: 0,
      inUse: true,
      deletedAt: null,
    });
  });

  it('updates only the fields given and refuses to clear the name', async () => {
    const list = success<DialList>((await createDialList({ name: 'Renewals', variables: { KIND: 'renewal' } })).data, 'createDialList');
    const { data } = await updateDialList(list.id, { detail: 'due in May' });
    expect(success<DialList>(data, 'updateDialList')).toMatchObject({ name: 'Renewals', detail: 'due in May', variables: { KIND: 'renewal' } });
    const cleared = await updateDialList(list.id, { name: null });
    expect(cleared.data?.updateDialList).toMatchObject({ __typename: 'ValidationError' });
    expect(fieldsOf(cleared.data?.updateDialList)).toEqual(['name']);
  });

  describe('variables', () => {
    it('refuses names Asterisk would not accept, naming each one', async () => {
      const { data } = await createDialList({ name: 'Bad names', variables: { '1ST': 'a', 'WITH-DASH': 'b', 'WITH SPACE': 'c', GOOD_1: 'd' } });
      expect(data?.createDialList).toMatchObject({ __typename: 'ValidationError' });
      expect(fieldsOf(data?.createDialList)).toEqual(['variables.1ST', 'variables.WITH SPACE', 'variables.WITH-DASH']);
    });

    it('refuses values with CR or LF, on create and on update', async () => {
      const created = await createDialList({ name: 'Injected', variables: { NOTE: 'hello\r\nAction: Originate' } });
      expect(fieldsOf(created.data?.createDialList)).toEqual(['variables.NOTE']);
      const list = await newList('Clean');
      const updated = await updateDialList(list.id, { variables: { NOTE: 'line\nbreak' } });
      expect(fieldsOf(updated.data?.updateDialList)).toEqual(['variables.NOTE']);
      expect((await readList(list.id))?.variables).toEqual({});
    });
  });

  it('counts the members it holds', async () => {
    const list = await newList('Counted');
    await addMembers(list.id, 3);
    expect((await readList(list.id))?.memberCount).toBe(3);
  });

  describe('deleting', () => {
    it('soft-deletes an empty list: it leaves the list, stays readable, and cannot be changed', async () => {
      const list = await newList('Empty one');
      const deleted = success<DialList>((await deleteDialList(list.id)).data, 'deleteDialList');
      expect(deleted).toMatchObject({ inUse: false, deletedAt: expect.any(String) });
      const lists = await server.current.graphql<{ dialLists: { edges: { node: { id: string } }[] } }>(
        `{ dialLists(first: 100) { edges { node { id } } } }`,
      );
      expect(lists.data?.dialLists.edges.map((edge) => edge.node.id)).not.toContain(list.id);
      const again = await updateDialList(list.id, { detail: 'back' });
      expect(again.data?.updateDialList).toMatchObject({ __typename: 'NotFoundError', resource: 'DialList' });
    });

    it('refuses while a campaign uses it, naming the campaign in blockingIds', async () => {
      const list = await newList('Used');
      const campaignId = await campaignUsing(list.id, 'Uses the list');
      const { data } = await deleteDialList(list.id);
      expect(data?.deleteDialList).toMatchObject({ __typename: 'ConflictError', blockingIds: [campaignId] });
      expect((await readList(list.id))?.inUse).toBe(true);
    });

    it('with force, deletes the list and soft-deletes the campaign using it', async () => {
      const list = await newList('Used, forced');
      const campaignId = await campaignUsing(list.id, 'Goes with the list');
      const { data } = await deleteDialList(list.id, true);
      expect(success<DialList>(data, 'deleteDialList').inUse).toBe(false);
      const campaign = await server.current.graphql(`query($id: ID!) { campaign(id: $id) { inUse } }`, { id: campaignId });
      expect(campaign.data).toEqual({ campaign: { inUse: false } });
    });

    it('refuses a list that still has members and keeps them', async () => {
      const list = await newList('Has members');
      await addMembers(list.id, 2);
      const { data } = await deleteDialList(list.id);
      expect(data?.deleteDialList).toMatchObject({ __typename: 'ConflictError', message: expect.stringContaining('2 members') });
      expect(await readList(list.id)).toMatchObject({ inUse: true, memberCount: 2 });
    });

    it('with force, removes the members and their numbers with the list', async () => {
      const list = await newList('Members go too');
      await addMembers(list.id, 2);
      const { data } = await deleteDialList(list.id, true);
      expect(success<DialList>(data, 'deleteDialList')).toMatchObject({ inUse: false, memberCount: 0 });
      const dialListId = decodeGlobalID(list.id).id;
      const prisma = server.current.database.prisma;
      expect(await prisma.member.count({ where: { dialListId } })).toBe(0);
      expect(await prisma.memberNumber.count({ where: { dialListId } })).toBe(0);
    });
  });
});
