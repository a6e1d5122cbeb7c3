import { describe, expect, it } from 'vitest';
import { postgresAvailable, resultOf, success, useServer } from '../support/fixture.js';

const TRUNK = 'id name techName endpoint dialStringTemplate maxChannels callerId originatesPerSecond enabled inUse';
const PLAN = 'id trunkName trunks { position numberPattern trunk { name } }';

type Trunk = { id: string; [field: string]: unknown };
type Plan = { id: string; trunks: { position: number; numberPattern: string | null; trunk: { name: string } }[] };
type Failure = { __typename: string; message?: string; problems?: { field: string; message: string }[]; blockingIds?: string[] };

describe.skipIf(!postgresAvailable)('trunks', () => {
  const server = useServer();
  const createTrunk = (input: Record<string, unknown>, token?: string) =>
    server.current.graphql(`mutation($input: CreateTrunkInput!) { createTrunk(input: $input) { ${resultOf('CreateTrunkSuccess', TRUNK)} } }`, { input }, token);
  const updateTrunk = (id: string, input: Record<string, unknown>) =>
    server.current.graphql(`mutation($id: ID!, $input: UpdateTrunkInput!) { updateTrunk(id: $id, input: $input) { ${resultOf('UpdateTrunkSuccess', TRUNK)} } }`, { id, input });
  const deleteTrunk = (id: string) => server.current.graphql(`mutation($id: ID!) { deleteTrunk(id: $id) { ${resultOf('DeleteTrunkSuccess', TRUNK)} } }`, { id });
  const createPlan = (input: Record<string, unknown>) =>
    server.current.graphql(`mutation($input: CreatePlanInput!) { createPlan(input: $input) { ${resultOf('CreatePlanSuccess', PLAN)} } }`, { input });
  const updatePlan = (id: string, input: Record<string, unknown>) =>
    server.current.graphql(`mutation($id: ID!, $input: UpdatePlanInput!) { updatePlan(id: $id, input: $input) { ${resultOf('UpdatePlanSuccess', PLAN)} } }`, { id, input });
  const trunk = async (name: string, input: Record<string, unknown> = {}) =>
    success<Trunk>((await createTrunk({ name, endpoint: name.toLowerCase(), ...input })).data, 'createTrunk');
  const failure = (data: unknown, field: string) => (data as Record<string, Failure>)[field] as Failure;
  const problemFields = (data: unknown, field: string) => failure(data, field).problems?.map((problem) => `${problem.field}: ${problem.message}`);

  it('keeps what an ADMIN gives a trunk, with PJSIP and enabled by default', async () => {
    const made = await trunk('Carrier', { maxChannels: 30, callerId: '"Sales" <5550000>', originatesPerSecond: 5 });
    expect(made).toMatchObject({ name: 'Carrier', techName: 'PJSIP', endpoint: 'carrier', dialStringTemplate: null, maxChannels: 30, callerId: '"Sales" <5550000>', originatesPerSecond: 5, enabled: true, inUse: true });
    const changed = success<Trunk>((await updateTrunk(made.id, { enabled: false, maxChannels: null })).data, 'updateTrunk');
    expect(changed).toMatchObject({ name: 'Carrier', enabled: false, maxChannels: null });
  });

  it('refuses a trunk that says nowhere to dial, dials an address or a URI, or lets the PBX read more than {number} into it', async () => {
    const refused = async (input: Record<string, unknown>) => problemFields((await createTrunk({ name: 'Bad', ...input })).data, 'createTrunk');
    expect(await refused({})).toEqual(['endpoint: or dialStringTemplate is required: the trunk must say where it dials']);
    expect(await refused({ endpoint: '10.0.0.7' })).toEqual(['endpoint: must be the name of an endpoint (letters, digits, _ . -), not an address']);
    expect(await refused({ dialStringTemplate: 'PJSIP/{number}@192.168.1.20' })).toEqual(['dialStringTemplate: must name an endpoint or a context, not an address']);
    expect(await refused({ dialStringTemplate: 'PJSIP/carrier/sip:{number}@example.test:5060' })).toEqual([expect.stringMatching(/^dialStringTemplate: must be TECH\/resource .*no ':'/)]);
    expect(await refused({ dialStringTemplate: 'Local/{number}@out,,{EXTEN}' })).toEqual(['dialStringTemplate: may use only the {number} placeholder, not {EXTEN}']);
    expect(await refused({ dialStringTemplate: 'PJSIP/555@carrier' })).toEqual(['dialStringTemplate: must contain {number}']);
    expect(await refused({ endpoint: 'carrier', callerId: 'Sales\r\nAction: Command' })).toEqual([expect.stringMatching(/^callerId: contains a line break/)]);
    expect(await refused({ endpoint: 'carrier', maxChannels: 0, originatesPerSecond: 0 })).toEqual([expect.stringMatching(/^maxChannels/), expect.stringMatching(/^originatesPerSecond/)]);
  });

  it('is an ADMIN matter: a SUPERVISOR is refused with the role it needs', async () => {
    const { data } = await createTrunk({ name: 'Mine', endpoint: 'mine' }, server.current.tokens.SUPERVISOR);
    expect(failure(data, 'createTrunk')).toMatchObject({ __typename: 'ForbiddenError' });
  });

  it('gives a plan its trunks in order, each with the numbers it takes, and replaces them on update', async () => {
    const mobile = await trunk('Mobile');
    const landline = await trunk('Landline');
    const plan = success<Plan>((await createPlan({ name: 'Routed', trunks: [{ trunk: mobile.id, numberPattern: '^9\\d{8}$' }, { trunk: landline.id }] })).data, 'createPlan');
    expect(plan.trunks).toEqual([
      { position: 0, numberPattern: '^9\\d{8}$', trunk: { name: 'Mobile' } },
      { position: 1, numberPattern: null, trunk: { name: 'Landline' } },
    ]);
    const reordered = success<Plan>((await updatePlan(plan.id, { trunks: [{ trunk: landline.id }] })).data, 'updatePlan');
    expect(reordered.trunks).toEqual([{ position: 0, numberPattern: null, trunk: { name: 'Landline' } }]);
    const untouched = success<Plan>((await updatePlan(plan.id, { name: 'Renamed' })).data, 'updatePlan');
    expect(untouched.trunks).toHaveLength(1);
    const cleared = success<Plan>((await updatePlan(plan.id, { trunks: [] })).data, 'updatePlan');
    expect(cleared.trunks).toEqual([]);
  });

  it("refuses a plan's trunk with a pattern that could hang the dialer, an unknown trunk, or beside the plan's own trunkName", async () => {
    const carrier = await trunk('Carrier');
    const { data } = await createPlan({ name: 'Bad', trunkName: 'other', trunks: [{ trunk: carrier.id, numberPattern: '^(\\d+)+$' }] });
    expect(problemFields(data, 'createPlan')).toEqual([
      expect.stringMatching(/^trunks\[0\]\.numberPattern: must not repeat a group/),
      'trunkName: must be empty on a plan that dials through trunks: set it on the trunk',
    ]);
    await deleteTrunk(carrier.id);
    const unknown = await createPlan({ name: 'Gone', trunks: [{ trunk: carrier.id }] });
    expect(failure(unknown.data, 'createPlan')).toMatchObject({ __typename: 'NotFoundError' });
  });

  it('refuses to delete a trunk a live plan routes to, naming the plan, and deletes it once none does', async () => {
    const carrier = await trunk('Carrier');
    const plan = success<Plan>((await createPlan({ name: 'Uses it', trunks: [{ trunk: carrier.id }] })).data, 'createPlan');
    const refused = failure((await deleteTrunk(carrier.id)).data, 'deleteTrunk');
    expect(refused).toMatchObject({ __typename: 'ConflictError', message: expect.stringContaining('plans Uses it'), blockingIds: [plan.id] });
    await updatePlan(plan.id, { trunks: [] });
    expect(success<Trunk>((await deleteTrunk(carrier.id)).data, 'deleteTrunk')).toMatchObject({ inUse: false });
  });
});
