import { describe, expect, it } from 'vitest';
import { postgresAvailable, resultOf, success, useServer } from '../support/fixture.js';

const DESTINATION = 'id name type context exten priority application data variables inUse deletedAt';
const CREATED = resultOf('CreateDestinationSuccess', DESTINATION);
const UPDATED = resultOf('UpdateDestinationSuccess', DESTINATION);
const DELETED = resultOf('DeleteDestinationSuccess', DESTINATION);

type Destination = { id: string; inUse: boolean; deletedAt: string | null; [field: string]: unknown };
type Failure = { __typename: string; problems?: { field: string; message: string }[]; blockingIds?: string[] };

const fieldsOf = (failure: Failure) => failure.problems?.map((problem) => problem.field).sort();

describe.skipIf(!postgresAvailable)('destinations', () => {
  const server = useServer();
  const createDestination = (input: Record<string, unknown>) =>
    server.current.graphql(`mutation($input: CreateDestinationInput!) { createDestination(input: $input) { ${CREATED} } }`, { input });
  const updateDestination = (id: string, input: Record<string, unknown>) =>
    server.current.graphql(`mutation($id: ID!, $input: UpdateDestinationInput!) { updateDestination(id: $id, input: $input) { ${UPDATED} } }`, {
      id,
      input,
    });
  const deleteDestination = (id: string, force?: boolean) =>
    server.current.graphql(`mutation($id: ID!, $force: Boolean) { deleteDestination(id: $id, force: $force) { ${DELETED} } }`, { id, force });
  const extension = async (name: string) =>
    success<Destination>((await createDestination({ name, type: 'EXTENSION', context: 'agents', exten: '100' })).data, 'createDestination');

  /** A campaign using `destinationId`, with a plan and dial list of its own. */
  async function campaignUsing(destinationId: string, name: string): Promise<string> {
    const plan = success<{ id: string }>(
      (await server.current.graphql(`mutation { createPlan(input: { name: "Plan of ${name}", maxConcurrentCalls: 2 }) { ${resultOf('CreatePlanSuccess', 'id')} } }`)).data,
      'createPlan',
    );
    const list = success<{ id: string }>(
      (await server.current.graphql(`mutation { createDialList(input: { name: "List of ${name}" }) { ${resultOf('CreateDialListSuccess', 'id')} } }`))
        .data,
      'createDialList',
    );
    const { data } = await server.current.graphql(
      `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { ${resultOf('CreateCampaignSuccess', 'id')} } }`,
      { input: { name, planId: plan.id, destinationId, dialListId: list.id } },
    );
    return success<{ id: string }>(data, 'createCampaign').id;
  }

  describe('creating', () => {
    it('filters by name with % and _ taken as themselves, not as LIKE wildcards', async () => {
      for (const name of ['Sales 100%', 'Sales 1000', 'Back_office', 'Backxoffice']) await extension(name);
      const named = async (part: string) =>
        (await server.current.graphql(`query($name: String) { destinations(first: 10, filter: { name: $name }) { edges { node { name } } } }`, { name: part })).data as {
          destinations: { edges: { node: { name: string } }[] };
        };
      expect((await named('100%')).destinations.edges.map(({ node }) => node.name)).toEqual(['Sales 100%']);
      expect((await named('k_o')).destinations.edges.map(({ node }) => node.name)).toEqual(['Back_office']);
    });

    it('refuses applications that run commands or other applications, and any not on the allowlist, for every role', async () => {
      for (const application of ['System', 'TrySystem', 'Exec', 'execif', 'TryExec', 'Originate', 'Set', 'AGI', 'Dial', 'ChanSpy']) {
        const { data } = await createDestination({ name: `Bad ${application}`, type: 'APPLICATION', application, data: 'id' });
        const failure = (data as { createDestination: Failure }).createDestination;
        expect({ application, kind: failure.__typename, fields: fieldsOf(failure) }).toEqual({ application, kind: 'ValidationError', fields: ['application'] });
      }
    });

    it('refuses data the answer context would evaluate, such as ${SHELL(...)}, and changing a Queue into Exec', async () => {
      for (const data of ['${SHELL(id)}', 'sales,,,,$[1+1]']) {
        const result = await createDestination({ name: 'Sneaky', type: 'APPLICATION', application: 'Queue', data });
        expect(fieldsOf((result.data as { createDestination: Failure }).createDestination)).toEqual(['data']);
      }
      const queue = success<Destination>((await createDestination({ name: 'Sales', type: 'APPLICATION', application: 'Queue', data: 'sales' })).data, 'createDestination');
      const { data } = await updateDestination(queue.id, { application: 'Exec', data: 'System(id)' });
      expect(fieldsOf((data as { updateDestination: Failure }).updateDestination)).toEqual(['application']);
    });

    it('creates an EXTENSION destination that starts at priority 1 when none is given', async () => {
      const { data } = await createDestination({ name: 'Agents', type: 'EXTENSION', context: 'from-outbound', exten: '700', variables: { LANG: 'es' } });
      expect(success<Destination>(data, 'createDestination')).toMatchObject({
        name: 'Agents',
        type: 'EXTENSION',
        context: 'from-outbound',
        exten: '700',
        priority: '1',
        application: null,
        variables: { LANG: 'es' },
        inUse: true,
        deletedAt: null,
      });
    });

    it('keeps a priority label it is given', async () => {
      const { data } = await createDestination({ name: 'Labelled', type: 'EXTENSION', context: 'ivr', exten: 's', priority: 'welcome' });
      expect(success<Destination>(data, 'createDestination').priority).toBe('welcome');
    });

    it('creates an APPLICATION destination that sends calls to the sales queue', async () => {
      const { data } = await createDestination({ name: 'Sales queue', type: 'APPLICATION', application: 'Queue', data: 'sales' });
      expect(success<Destination>(data, 'createDestination')).toMatchObject({
        type: 'APPLICATION',
        application: 'Queue',
        data: 'sales',
        context: null,
        exten: null,
        priority: null,
      });
    });
  });

  describe('validation', () => {
    it('names context and exten when an EXTENSION destination lacks them', async () => {
      const { data } = await createDestination({ name: 'Nowhere', type: 'EXTENSION' });
      const failure = data?.createDestination as Failure;
      expect(failure.__typename).toBe('ValidationError');
      expect(fieldsOf(failure)).toEqual(['context', 'exten']);
    });

    it('names application when an APPLICATION destination lacks it', async () => {
      const { data } = await createDestination({ name: 'No app', type: 'APPLICATION', data: 'sales' });
      const failure = data?.createDestination as Failure;
      expect(failure.__typename).toBe('ValidationError');
      expect(fieldsOf(failure)).toEqual(['application']);
    });

    it('refuses a line break in any field, since it would inject AMI commands', async () => {
      const injected = 'x\r\nAction: Hangup';
      const { data } = await createDestination({
        name: injected,
        detail: injected,
        type: 'EXTENSION',
        context: injected,
        exten: injected,
        priority: injected,
        data: injected,
        variables: { ACCOUNT: injected },
      });
      const failure = data?.createDestination as Failure;
      expect(failure.__typename).toBe('ValidationError');
      expect(fieldsOf(failure)).toEqual(['context', 'data', 'detail', 'exten', 'name', 'priority', 'variables.ACCOUNT']);
      const application = await createDestination({ name: 'App', type: 'APPLICATION', application: 'Queue\nHangup', data: 'sales' });
      expect(application.data?.createDestination).toMatchObject({
        __typename: 'ValidationError',
        problems: expect.arrayContaining([{ field: 'application', message: expect.stringContaining('CR or LF') }]),
      });
    });

    it('stores nothing when the input is refused', async () => {
      await createDestination({ name: 'Refused one', type: 'EXTENSION', context: 'agents' });
      const { data } = await server.current.graphql<{ destinations: { edges: unknown[] } }>(
        `{ destinations(first: 10, filter: { name: "Refused one", includeDeleted: true }) { edges { node { id } } } }`,
      );
      expect(data?.destinations.edges).toEqual([]);
    });
  });

  describe('updating', () => {
    it('changes only the fields given and keeps the rest', async () => {
      const destination = success<Destination>(
        (await createDestination({ name: 'Support', type: 'EXTENSION', context: 'support', exten: '200', variables: { TEAM: 'a' } })).data,
        'createDestination',
      );
      const { data } = await updateDestination(destination.id, { exten: '201' });
      expect(success<Destination>(data, 'updateDestination')).toMatchObject({
        name: 'Support',
        context: 'support',
        exten: '201',
        priority: '1',
        variables: { TEAM: 'a' },
      });
    });

    it('checks the merged destination: switching to APPLICATION needs an application', async () => {
      const destination = await extension('Switching');
      const refused = await updateDestination(destination.id, { type: 'APPLICATION' });
      expect(fieldsOf(refused.data?.updateDestination as Failure)).toEqual(['application']);
      const { data } = await updateDestination(destination.id, { type: 'APPLICATION', application: 'Park' });
      expect(success<Destination>(data, 'updateDestination')).toMatchObject({ type: 'APPLICATION', application: 'Park' });
    });

    it('starts a destination switched to EXTENSION at priority 1, as a new one would', async () => {
      const queue = success<Destination>(
        (await createDestination({ name: 'Was a queue', type: 'APPLICATION', application: 'Queue', data: 'sales' })).data,
        'createDestination',
      );
      const { data } = await updateDestination(queue.id, { type: 'EXTENSION', context: 'agents', exten: '300' });
      expect(success<Destination>(data, 'updateDestination')).toMatchObject({ type: 'EXTENSION', context: 'agents', exten: '300', priority: '1' });
    });

    it('refuses to clear the context of an EXTENSION destination', async () => {
      const destination = await extension('Keep context');
      const { data } = await updateDestination(destination.id, { context: null });
      expect(fieldsOf(data?.updateDestination as Failure)).toEqual(['context']);
    });
  });

  describe('deleting', () => {
    it('soft-deletes: the destination leaves the list but stays readable with inUse false', async () => {
      const destination = await extension('Retired');
      const deleted = success<Destination>((await deleteDestination(destination.id)).data, 'deleteDestination');
      expect(deleted.inUse).toBe(false);
      expect(deleted.deletedAt).toBeTruthy();
      const list = await server.current.graphql<{ destinations: { edges: { node: { id: string } }[] } }>(
        `{ destinations(first: 100) { edges { node { id } } } }`,
      );
      expect(list.data?.destinations.edges.map((edge) => edge.node.id)).not.toContain(destination.id);
      const node = await server.current.graphql(`query($id: ID!) { node(id: $id) { ... on Destination { name inUse } } }`, { id: destination.id });
      expect(node.data).toEqual({ node: { name: 'Retired', inUse: false } });
      const again = await deleteDestination(destination.id);
      expect(again.data?.deleteDestination).toMatchObject({ __typename: 'NotFoundError', resource: 'Destination' });
    });

    it('refuses while a live campaign uses it, naming the campaign in blockingIds', async () => {
      const destination = await extension('In use');
      const campaignId = await campaignUsing(destination.id, 'Blocking campaign');
      const { data } = await deleteDestination(destination.id);
      // The ids the API gives out, so a client can pass them straight to deleteCampaign.
      expect(data?.deleteDestination).toMatchObject({ __typename: 'ConflictError', blockingIds: [campaignId] });
      const still = await server.current.graphql(`query($id: ID!) { node(id: $id) { ... on Destination { inUse } } }`, { id: destination.id });
      expect(still.data).toEqual({ node: { inUse: true } });
    });

    it('with force, deletes the destination and the campaigns using it, force-stopping a live one', async () => {
      const destination = await extension('Forced');
      const idle = await campaignUsing(destination.id, 'Forced away');
      const starting = await campaignUsing(destination.id, 'Forced while starting');
      await server.current.graphql(`mutation($id: ID!) { setCampaignStatus(id: $id, status: RUNNING) { __typename } }`, { id: starting });
      const { data } = await deleteDestination(destination.id, true);
      expect(success<Destination>(data, 'deleteDestination').inUse).toBe(false);
      const read = (id: string) => server.current.graphql(`query($id: ID!) { campaign(id: $id) { status inUse deletedAt } }`, { id });
      expect((await read(idle)).data).toEqual({ campaign: { status: 'STOPPED', inUse: false, deletedAt: expect.any(String) } });
      expect((await read(starting)).data).toEqual({ campaign: { status: 'FORCE_STOPPING', inUse: false, deletedAt: expect.any(String) } });
    });
  });

  it('refuses a VIEWER with a ForbiddenError naming the SUPERVISOR role', async () => {
    const { data } = await server.current.graphql(
      `mutation { createDestination(input: { name: "V", type: EXTENSION, context: "c", exten: "1" }) { ${CREATED} } }`,
      {},
      server.current.tokens.VIEWER,
    );
    expect(data?.createDestination).toMatchObject({ __typename: 'ForbiddenError', requiredRole: 'SUPERVISOR' });
  });
});

