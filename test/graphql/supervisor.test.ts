import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSimulator, type Simulator } from '../../src/ami/simulator/index.js';
import { changePublisher, createBus } from '../../src/bus/bus.js';
import { login } from '../../src/auth/sessions.js';
import { createUser } from '../../src/auth/users.js';
import { localPbxActions } from '../../src/pbx/actions.js';
import { MemoryLiveStore } from '../../src/live/storeMemory.js';
import { startWorker, type Worker } from '../../src/live/worker.js';
import { createLogger } from '../../src/logger.js';
import { createPostgresDatabase, type TestDatabase } from '../support/database.js';
import { postgresAvailable } from '../support/fixture.js';
import { startTestServer, type TestServer } from '../support/server.js';

const credentials = { username: 'switchboard', secret: 'supervisor-secret' };
const SERVER = 'pbx1';

type Result = { __typename: string; message?: string; data?: Record<string, string>; problems?: { field: string }[]; asteriskMessage?: string };

/** Supervisor mutations through the GraphQL API, each a real AMI action on a simulated PBX followed by a worker. */
describe.skipIf(!postgresAvailable)('supervisor mutations', () => {
  let simulator: Simulator;
  let worker: Worker;
  let database: TestDatabase;
  let api: TestServer;
  const store = new MemoryLiveStore();
  const bus = createBus();

  beforeAll(async () => {
    simulator = await startSimulator(credentials);
    worker = await startWorker({ servers: [{ name: SERVER, host: simulator.host, port: simulator.port, ...credentials }], store, publish: changePublisher(bus), log: createLogger('silent') });
    database = await createPostgresDatabase();
    api = await startTestServer(database, { store, bus, actions: localPbxActions(worker.connections) });
    await vi.waitFor(async () => expect(await store.servers()).toEqual([SERVER]), { timeout: 10_000 });
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await worker?.stop();
    await simulator?.close();
    await database?.drop();
  });

  const RESULT = `
    __typename
    ... on Error { message }
    ... on ValidationError { problems { field } }
    ... on PbxRefusedError { asteriskMessage }`;

  async function mutate(field: string, input: Record<string, unknown>, token = api.tokens.SUPERVISOR, data = 'server action message'): Promise<Result> {
    const typeName = `${field.charAt(0).toUpperCase()}${field.slice(1)}`;
    const { data: body, errors } = await api.graphql<Record<string, Result>>(
      `mutation($input: ${typeName}Input!) { ${field}(input: $input) { ${RESULT} ... on ${typeName}Success { data { ${data} } } } }`,
      { input },
      token,
    );
    expect(errors).toBeUndefined();
    return body?.[field] as Result;
  }

  const channelNames = async () => (await store.list('channel', { server: SERVER })).map((channel) => channel.name).sort();

  it('originates a call whose channels appear under the uniqueids it returned, then hangs one up', async () => {
    const originated = await mutate(
      'originateCall',
      { server: SERVER, endpoint: 'Local/3001@customers', context: 'dest', exten: 'echo' },
      api.tokens.SUPERVISOR,
      'server message uniqueid otherUniqueid',
    );
    expect(originated.__typename).toBe('OriginateCallSuccess');
    const { uniqueid } = originated.data as { uniqueid: string };
    await expect.poll(async () => (await store.get('channel', SERVER, uniqueid))?.name, { timeout: 10_000 }).toMatch(/^Local\/3001@customers-[0-9a-f]+;1$/);
    const name = (await store.get('channel', SERVER, uniqueid))?.name as string;

    const hungUp = await mutate('hangupChannel', { server: SERVER, channel: name });
    expect(hungUp).toMatchObject({ __typename: 'HangupChannelSuccess', data: { server: SERVER, action: 'Hangup', message: 'Channel Hungup' } });
    await expect.poll(channelNames, { timeout: 10_000 }).toEqual([]);
  });

  it("answers a channel the PBX does not have with Asterisk's own refusal", async () => {
    const result = await mutate('hangupChannel', { server: SERVER, channel: 'PJSIP/9999-00000000' });
    expect(result).toMatchObject({ __typename: 'PbxRefusedError', asteriskMessage: 'No such channel' });
  });

  it('refuses, before anything reaches the PBX, values that would inject AMI or mean something else to Asterisk', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['hangupChannel', { server: SERVER, channel: 'PJSIP/1\r\nAction: Originate' }, 'channel'],
      ['hangupChannel', { server: SERVER, channel: '/PJSIP/.*/' }, 'channel'],
      ['hangupChannel', { server: SERVER, channel: 'PJSIP/1-1', cause: 500 }, 'cause'],
      ['redirectChannel', { server: SERVER, channel: 'PJSIP/1-1', context: 'dest\nAction: Hangup', exten: 'echo' }, 'context'],
      ['originateCall', { server: SERVER, endpoint: 'PJSIP/1&PJSIP/2', context: 'dest', exten: 'echo' }, 'endpoint'],
      ['originateCall', { server: SERVER, endpoint: 'PJSIP/1', context: 'dest', exten: 'echo', variables: { A: 'x\nAction: Hangup' } }, 'variables.A'],
      ['pauseQueueMember', { server: SERVER, interface: 'Local/100@agents', paused: true, reason: 'lunch\r\n' }, 'reason'],
      ['hangupChannel', { server: 'nowhere', channel: 'PJSIP/1-1' }, 'server'],
    ];
    for (const [field, input, problem] of cases) {
      const result = await mutate(field, input);
      expect(result.__typename, `${field} ${JSON.stringify(input)}`).toBe('ValidationError');
      expect(result.problems?.map((p) => p.field)).toContain(problem);
    }
  });

  it('pauses a queue member with a reason and adds and removes one, as the live queue then shows', async () => {
    const member = async (iface: string) => (await store.list('queueMember', { server: SERVER })).find((m) => m.queue === 'sales' && m.interface === iface);
    const added = await mutate('addQueueMember', { server: SERVER, queue: 'sales', interface: 'Local/150@agents', memberName: 'Temp' });
    expect(added.__typename).toBe('AddQueueMemberSuccess');
    await expect.poll(async () => (await member('Local/150@agents'))?.name, { timeout: 10_000 }).toBe('Temp');

    expect((await mutate('pauseQueueMember', { server: SERVER, queue: 'sales', interface: 'Local/150@agents', paused: true, reason: 'lunch' })).__typename).toBe(
      'PauseQueueMemberSuccess',
    );
    await expect.poll(async () => (await member('Local/150@agents'))?.pausedReason, { timeout: 10_000 }).toBe('lunch');

    expect((await mutate('removeQueueMember', { server: SERVER, queue: 'sales', interface: 'Local/150@agents' })).__typename).toBe('RemoveQueueMemberSuccess');
    await expect.poll(() => member('Local/150@agents'), { timeout: 10_000 }).toBeUndefined();
  });

  it('logs an agent in with originateCall running Wait on its login leg, and refuses an application the allowlist does not name', async () => {
    await expect.poll(async () => (await store.get('agent', SERVER, '1001'))?.status, { timeout: 15_000 }).toBe('LOGGED_OFF');
    const login = await mutate('originateCall', { server: SERVER, endpoint: 'Local/1001@agent-login/n', application: 'Wait', data: '600' }, api.tokens.SUPERVISOR, 'uniqueid');
    expect(login.__typename).toBe('OriginateCallSuccess');
    await expect.poll(async () => (await store.get('agent', SERVER, '1001'))?.status, { timeout: 15_000 }).toBe('IDLE');
    const shell = await mutate('originateCall', { server: SERVER, endpoint: 'Local/1002@agent-login/n', application: 'System', data: 'id' });
    expect(shell).toMatchObject({ __typename: 'ValidationError', problems: [{ field: 'application' }] });
    const both = await mutate('originateCall', { server: SERVER, endpoint: 'Local/1002@agent-login/n', application: 'Wait', context: 'dest', exten: 'echo' });
    expect(both).toMatchObject({ __typename: 'ValidationError', problems: [{ field: 'application' }] });
  });

  it("spies from the caller's own endpoint; another's needs ADMIN, and an API token must name one", async () => {
    const viaToken = await mutate('spyOnChannel', { server: SERVER, channel: 'Local/1001@customers-00000001;2', mode: 'LISTEN' }, api.tokens.SUPERVISOR, 'uniqueid');
    expect(viaToken).toMatchObject({ __typename: 'ValidationError', problems: [{ field: 'endpoint' }] });
    const other = await mutate('spyOnChannel', { server: SERVER, channel: 'Local/1001@customers-00000001;2', mode: 'LISTEN', endpoint: 'Local/1201@customers' }, api.tokens.SUPERVISOR, 'uniqueid');
    expect(other.__typename).toBe('ForbiddenError');
  });

  it('lets no VIEWER act on the PBX', async () => {
    const result = await mutate('hangupChannel', { server: SERVER, channel: 'PJSIP/1-1' }, api.tokens.VIEWER);
    expect(result.__typename).toBe('ForbiddenError');
  });

  it("rings a supervisor's own endpoint to listen to a live channel", async () => {
    await createUser(database.prisma, { username: 'sam', password: 'sam password 1', role: 'SUPERVISOR', endpoint: 'PJSIP/2001' });
    const session = await login(database.prisma, 'sam', 'sam password 1', 3_600_000);
    // A comma in a variable is escaped as the dialer escapes it, not refused.
    const call = await mutate('originateCall', { server: SERVER, endpoint: 'Local/6001@customers', context: 'dest', exten: 'echo', variables: { NOTE: 'call back, after 5' } }, api.tokens.SUPERVISOR, 'uniqueid');
    expect(call.__typename).toBe('OriginateCallSuccess');
    const uniqueid = (call.data as { uniqueid: string }).uniqueid;
    await vi.waitFor(async () => expect(await store.get('channel', SERVER, uniqueid)).toBeDefined(), { timeout: 10_000 });
    const target = (await store.get('channel', SERVER, uniqueid))?.name as string;

    const spy = await mutate('spyOnChannel', { server: SERVER, channel: target, mode: 'WHISPER' }, session.token, 'uniqueid');
    expect(spy.__typename).toBe('SpyOnChannelSuccess');
    const spyId = (spy.data as { uniqueid: string }).uniqueid;
    await vi.waitFor(async () => expect((await store.get('channel', SERVER, spyId))?.name).toMatch(/^PJSIP\/2001-/), { timeout: 10_000 });
  });
});
