import { describe, expect, it } from 'vitest';
import { postgresAvailable, resultOf, success, useServer } from '../support/fixture.js';

const PLAN = `id name dialMode techName trunkName dialTimeoutMs retryDelaySec maxRetries dialListEndAction
  targetAbandonPercent maxAbandonPercent warmUpAttempts amd { enabled greetingMs maximumNumberOfWords allowNotSure } wrapUpSec variables inUse deletedAt`;
const CREATED = resultOf('CreatePlanSuccess', PLAN);
const UPDATED = resultOf('UpdatePlanSuccess', PLAN);
const DELETED = resultOf('DeletePlanSuccess', PLAN);

type Plan = { id: string; name: string; maxRetries: number[]; inUse: boolean; [field: string]: unknown };

describe.skipIf(!postgresAvailable)('plans', () => {
  const server = useServer();
  const createPlan = (input: Record<string, unknown>, token?: string) =>
    server.current.graphql(`mutation($input: CreatePlanInput!) { createPlan(input: $input) { ${CREATED} } }`, { input }, token);

  it('creates a plan with jade\'s defaults where nothing was given', async () => {
    const { data } = await createPlan({ name: 'Sales plan', trunkName: 'carrier' });
    const plan = success<Plan>(data, 'createPlan');
    expect(plan).toMatchObject({
      name: 'Sales plan',
      dialMode: 'PROGRESSIVE',
      techName: 'PJSIP',
      trunkName: 'carrier',
      dialTimeoutMs: 30000,
      retryDelaySec: 60,
      maxRetries: [5, 5, 5, 5, 5, 5, 5, 5],
      dialListEndAction: 'STOP_CAMPAIGN',
      targetAbandonPercent: 2.5,
      maxAbandonPercent: 3,
      amd: { enabled: false, greetingMs: 1500, maximumNumberOfWords: 3, allowNotSure: true },
      variables: {},
      inUse: true,
    });
  });

  it('lists every problem of a bad input at once, as a typed ValidationError', async () => {
    const { data } = await createPlan({
      name: ' ',
      dialTimeoutMs: 10,
      maxRetries: [1, 2, 3],
      targetAbandonPercent: 5,
      maxAbandonPercent: 3,
      callerId: 'Sales\r\nAction: Hangup',
      variables: { '1bad': 'x', GOOD: 'line\nbreak', SB_DIALING_ID: 'forged' },
      amd: { greetingMs: -1, maximumNumberOfWords: 0 },
    });
    const result = data?.createPlan as { __typename: string; problems: { field: string }[] };
    expect(result.__typename).toBe('ValidationError');
    expect(result.problems.map((p) => p.field).sort()).toEqual(
      ['amd.greetingMs', 'amd.maximumNumberOfWords', 'callerId', 'dialTimeoutMs', 'maxRetries', 'name', 'targetAbandonPercent', 'variables.1bad', 'variables.GOOD', 'variables.SB_DIALING_ID'].sort(),
    );
  });

  it('takes a trunk capacity only with the trunk whose channels it counts', async () => {
    const refused = (await createPlan({ name: 'No trunk', trunkMaxChannels: 30 })).data?.createPlan as { __typename: string; problems: { field: string }[] };
    expect(refused.__typename).toBe('ValidationError');
    expect(refused.problems.map((p) => p.field)).toEqual(['trunkMaxChannels']);
    const plan = success<Plan>((await createPlan({ name: 'Trunk', trunkName: 'carrier', trunkMaxChannels: 30 })).data, 'createPlan');
    const { data } = await server.current.graphql(`query($id: ID!) { node(id: $id) { ... on Plan { trunkMaxChannels } } }`, { id: plan.id });
    expect(data?.node).toEqual({ trunkMaxChannels: 30 });
    const cleared = await server.current.graphql(`mutation($id: ID!) { updatePlan(id: $id, input: { trunkName: null }) { ${UPDATED} } }`, { id: plan.id });
    expect(cleared.data?.updatePlan).toMatchObject({ __typename: 'ValidationError' });
  });

  it('refuses a dial string or trunk name that would have the PBX dial an address or a URI, for any role that may write plans', async () => {
    const problemsOf = async (input: Record<string, unknown>) =>
      ((await createPlan({ name: 'Out', ...input })).data?.createPlan as { problems?: { field: string; message: string }[] }).problems?.map((p) => `${p.field}: ${p.message}`);
    expect(await problemsOf({ dialStringTemplate: '{tech}/{trunk}/sip:{number}@gw.example:5060' })).toEqual([expect.stringMatching(/^dialStringTemplate: must be TECH\/resource .*no ':'/)]);
    expect(await problemsOf({ dialStringTemplate: 'IAX2/10.1.2.3/{number}' })).toEqual(['dialStringTemplate: must name an endpoint or a context, not an address']);
    expect(await problemsOf({ dialStringTemplate: 'Local/{number}@{context}' })).toEqual(['dialStringTemplate: may use only the {number}, {tech} and {trunk} placeholders, not {context}']);
    expect(await problemsOf({ trunkName: '192.168.0.10' })).toEqual(['trunkName: must be the name of an endpoint (letters, digits, _ . -), not an address']);
    expect(await problemsOf({ trunkName: 'carrier:5060' })).toEqual(['trunkName: must be the name of an endpoint (letters, digits, _ . -), not an address']);
    expect(await problemsOf({ dialStringTemplate: '{tech}/{number}@{trunk}', trunkName: 'carrier' })).toBeUndefined();
  });

  it("takes a broadcast's machine message only as sound files, and only with AMD to tell a machine", async () => {
    const problemsOf = async (input: Record<string, unknown>) =>
      ((await createPlan({ name: 'Broadcast', dialMode: 'BROADCAST', ...input })).data?.createPlan as { problems?: { field: string; message: string }[] }).problems?.map((p) => `${p.field}: ${p.message}`);
    for (const hostile of ['custom/offer,skip', 'custom/offer)', '../../etc/passwd', '/var/lib/asterisk/sounds/x', 'offer|Dial(PJSIP/9)', 'offer.wav']) {
      expect(await problemsOf({ machineMessage: hostile, amd: { enabled: true } })).toEqual([expect.stringMatching(/^machineMessage: must name sound files under the PBX's sounds folder/)]);
    }
    expect(await problemsOf({ machineMessage: 'custom/offer' })).toEqual(['machineMessage: needs amd.enabled: only AMD tells a machine from a person']);
    const created = await server.current.graphql(
      `mutation($input: CreatePlanInput!) { createPlan(input: $input) { ... on CreatePlanSuccess { data { id dialMode machineMessage abandonLimitApplies } } } }`,
      { input: { name: 'Broadcast', dialMode: 'BROADCAST', maxConcurrentCalls: 30, machineMessage: 'custom/offer&vm-goodbye', amd: { enabled: true } } },
    );
    const plan = (created.data?.createPlan as { data: { id: string } }).data;
    expect(plan).toMatchObject({ dialMode: 'BROADCAST', machineMessage: 'custom/offer&vm-goodbye', abandonLimitApplies: false });
    // AMD off while the message stays: refused, as it would never be played.
    const amdOff = await server.current.graphql(`mutation($id: ID!) { updatePlan(id: $id, input: { amd: { enabled: false } }) { ${UPDATED} } }`, { id: plan.id });
    expect(amdOff.data?.updatePlan).toMatchObject({ __typename: 'ValidationError', problems: [{ field: 'machineMessage' }] });
  });

  it('updates only the fields given and keeps the rest', async () => {
    const plan = success<Plan>((await createPlan({ name: 'To change', retryDelaySec: 120 })).data, 'createPlan');
    const { data } = await server.current.graphql(
      `mutation($id: ID!) { updatePlan(id: $id, input: { dialMode: PREDICTIVE, maxRetries: [1,1,1,1,1,1,1,2] }) { ${UPDATED} } }`,
      { id: plan.id },
    );
    expect(success<Plan>(data, 'updatePlan')).toMatchObject({
      name: 'To change',
      retryDelaySec: 120,
      dialMode: 'PREDICTIVE',
      maxRetries: [1, 1, 1, 1, 1, 1, 1, 2],
    });
    // One AMD setting given: the others keep theirs.
    const amd = await server.current.graphql(`mutation($id: ID!) { updatePlan(id: $id, input: { amd: { enabled: true, greetingMs: 2000 } }) { ${UPDATED} } }`, { id: plan.id });
    expect(success<Plan>(amd.data, 'updatePlan').amd).toEqual({ enabled: true, greetingMs: 2000, maximumNumberOfWords: 3, allowNotSure: true });
  });

  it('answers NotFoundError for an unknown id and ValidationError for another type\'s id', async () => {
    const unknown = Buffer.from('Plan:01900000-0000-7000-8000-000000000000').toString('base64');
    const { data } = await server.current.graphql(`mutation($id: ID!) { updatePlan(id: $id, input: { name: "x" }) { ${UPDATED} } }`, {
      id: unknown,
    });
    expect(data?.updatePlan).toMatchObject({ __typename: 'NotFoundError', resource: 'Plan' });
    const wrongType = Buffer.from('Campaign:01900000-0000-7000-8000-000000000000').toString('base64');
    const second = await server.current.graphql(`mutation($id: ID!) { deletePlan(id: $id) { ${DELETED} } }`, { id: wrongType });
    expect(second.data?.deletePlan).toMatchObject({ __typename: 'ValidationError' });
    const garbage = await server.current.graphql(`mutation { deletePlan(id: "not-an-id") { ${DELETED} } }`);
    expect(garbage.data?.deletePlan).toMatchObject({ __typename: 'ValidationError' });
  });

  it('soft-deletes: the plan leaves the list, stays readable by id with inUse false, and cannot be changed', async () => {
    const plan = success<Plan>((await createPlan({ name: 'Doomed' })).data, 'createPlan');
    const deleted = success<Plan>(
      (await server.current.graphql(`mutation($id: ID!) { deletePlan(id: $id) { ${DELETED} } }`, { id: plan.id })).data,
      'deletePlan',
    );
    expect(deleted.inUse).toBe(false);
    expect(deleted.deletedAt).toBeTruthy();
    const list = await server.current.graphql<{ plans: { edges: { node: { id: string } }[] } }>(
      `{ plans(first: 100) { edges { node { id } } } }`,
    );
    expect(list.data?.plans.edges.map((e) => e.node.id)).not.toContain(plan.id);
    const withDeleted = await server.current.graphql<{ plans: { edges: { node: { id: string } }[] } }>(
      `{ plans(first: 100, filter: { includeDeleted: true }) { edges { node { id } } } }`,
    );
    expect(withDeleted.data?.plans.edges.map((e) => e.node.id)).toContain(plan.id);
    const node = await server.current.graphql(`query($id: ID!) { node(id: $id) { ... on Plan { inUse } } }`, { id: plan.id });
    expect(node.data).toEqual({ node: { inUse: false } });
    const again = await server.current.graphql(`mutation($id: ID!) { updatePlan(id: $id, input: { name: "back" }) { ${UPDATED} } }`, {
      id: plan.id,
    });
    expect(again.data?.updatePlan).toMatchObject({ __typename: 'NotFoundError' });
  });

  it('pages through plans by cursor and filters by name', async () => {
    for (const name of ['Page A', 'Page B', 'Page C']) success((await createPlan({ name })).data, 'createPlan');
    type Page = { plans: { edges: { node: { name: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
    const query = `query($after: String) { plans(first: 2, after: $after, filter: { name: "page" }) {
      edges { node { name } } pageInfo { hasNextPage endCursor } } }`;
    const first = await server.current.graphql<Page>(query);
    expect(first.data?.plans.edges.map((e) => e.node.name)).toEqual(['Page C', 'Page B']);
    expect(first.data?.plans.pageInfo.hasNextPage).toBe(true);
    const second = await server.current.graphql<Page>(query, { after: first.data?.plans.pageInfo.endCursor });
    expect(second.data?.plans.edges.map((e) => e.node.name)).toEqual(['Page A']);
    expect(second.data?.plans.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses a VIEWER with a ForbiddenError naming the SUPERVISOR role', async () => {
    const { data } = await createPlan({ name: 'Not allowed' }, server.current.tokens.VIEWER);
    expect(data?.createPlan).toMatchObject({ __typename: 'ForbiddenError', requiredRole: 'SUPERVISOR' });
  });
});
