import { randomUUID } from 'node:crypto';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { describe, expect, it } from 'vitest';
import type { GraphQLResponse } from '../support/server.js';
import { postgresAvailable, resultOf, success, useServer } from '../support/fixture.js';

const SERVER = 'id name host port username originatesPerSecond enabled inUse deletedAt';
const CREATED = resultOf('CreatePbxServerSuccess', SERVER);
const UPDATED = resultOf('UpdatePbxServerSuccess', SERVER);
const DELETED = resultOf('DeletePbxServerSuccess', SERVER);
const SECRET = 'amI-s3cret-9f27';

type PbxServer = { id: string; name: string; inUse: boolean; enabled: boolean; [field: string]: unknown };
type Failure = { __typename: string; problems?: { field: string; message: string }[] };

const fieldsOf = (failure: unknown) => (failure as Failure).problems?.map((problem) => problem.field).sort();

describe.skipIf(!postgresAvailable)('PBX servers', () => {
  const server = useServer();
  /** Every response of this file, to prove the secret never comes back in any of them. */
  const responses: GraphQLResponse[] = [];
  const graphql = async (query: string, variables?: Record<string, unknown>, token?: string) => {
    const response = await server.current.graphql(query, variables, token);
    responses.push(response);
    return response;
  };
  const createServer = (input: Record<string, unknown>, token?: string) =>
    graphql(`mutation($input: CreatePbxServerInput!) { createPbxServer(input: $input) { ${CREATED} } }`, { input }, token);
  const updateServer = (id: string, input: Record<string, unknown>) =>
    graphql(`mutation($id: ID!, $input: UpdatePbxServerInput!) { updatePbxServer(id: $id, input: $input) { ${UPDATED} } }`, { id, input });
  const deleteServer = (id: string, force?: boolean) =>
    graphql(`mutation($id: ID!, $force: Boolean) { deletePbxServer(id: $id, force: $force) { ${DELETED} } }`, { id, force });
  const newServer = async (name: string) =>
    success<PbxServer>((await createServer({ name, host: 'pbx1.example.com', username: 'dialer', secret: SECRET })).data, 'createPbxServer');

  it('lets an ADMIN create a server with AMI defaults', async () => {
    const { data } = await createServer({ name: 'Main PBX', host: '10.0.0.5', username: 'dialer', secret: SECRET });
    expect(success<PbxServer>(data, 'createPbxServer')).toMatchObject({
      name: 'Main PBX',
      host: '10.0.0.5',
      port: 5038,
      username: 'dialer',
      originatesPerSecond: 20,
      enabled: true,
      inUse: true,
    });
  });

  it('updates only the fields given, a new secret included', async () => {
    const pbx = await newServer('To update');
    const { data } = await updateServer(pbx.id, { port: 5039, enabled: false, secret: `${SECRET}-rotated` });
    expect(success<PbxServer>(data, 'updatePbxServer')).toMatchObject({ name: 'To update', host: 'pbx1.example.com', port: 5039, enabled: false });
    const stored = await server.current.database.prisma.pbxServer.findUniqueOrThrow({ where: { id: decodeGlobalID(pbx.id).id } });
    expect(stored.secret).toBe(`${SECRET}-rotated`);
  });

  it('refuses a SUPERVISOR with a ForbiddenError naming the ADMIN role', async () => {
    const { data } = await createServer({ name: 'Not mine', host: 'pbx', username: 'u', secret: SECRET }, server.current.tokens.SUPERVISOR);
    expect(data?.createPbxServer).toMatchObject({ __typename: 'ForbiddenError', requiredRole: 'ADMIN' });
  });

  describe('validation', () => {
    it.each([
      ['a host with spaces', { host: 'pbx one.example.com' }, ['host']],
      ['port 0', { port: 0 }, ['port']],
      ['port 70000', { port: 70000 }, ['port']],
      ['a line break in the secret', { secret: 'abc\r\nAction: Logoff' }, ['secret']],
      ['a line break in the username', { username: 'dialer\nx' }, ['username']],
    ])('refuses %s, naming the field', async (_what, input, fields) => {
      const { data } = await createServer({ name: 'Bad', host: 'pbx1', username: 'dialer', secret: SECRET, ...input });
      expect(data?.createPbxServer).toMatchObject({ __typename: 'ValidationError' });
      expect(fieldsOf(data?.createPbxServer)).toEqual(fields);
    });

    it('does not echo a refused secret back in the error', async () => {
      const { data } = await createServer({ name: 'Echo', host: 'pbx1', username: 'dialer', secret: 'leaky\nsecret' });
      expect(JSON.stringify(data)).not.toContain('leaky');
    });
  });

  describe('field access', () => {
    const byId = (fields: string, id: string, token: string) =>
      graphql(`query($id: ID!) { node(id: $id) { ... on PbxServer { ${fields} } } }`, { id }, token);

    it('has no secret field to ask for', async () => {
      const pbx = await newServer('No secret field');
      const { errors } = await byId('secret', pbx.id, server.current.tokens.ADMIN);
      expect(errors?.[0]?.message).toContain('Cannot query field "secret"');
    });

    it('shows a VIEWER the name but not the host or port, which need SUPERVISOR', async () => {
      const pbx = await newServer('Seen by a wallboard');
      const { tokens } = server.current;
      expect((await byId('name enabled', pbx.id, tokens.VIEWER)).data).toEqual({ node: { name: 'Seen by a wallboard', enabled: true } });
      for (const field of ['host', 'port']) {
        const { data, errors } = await byId(`name ${field}`, pbx.id, tokens.VIEWER);
        expect(data).toEqual({ node: null });
        expect(errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringContaining('SUPERVISOR') });
      }
    });

    it('shows a SUPERVISOR the host and port but not the username, which needs ADMIN', async () => {
      const pbx = await newServer('Seen by a supervisor');
      const { tokens } = server.current;
      expect((await byId('host port', pbx.id, tokens.SUPERVISOR)).data).toEqual({ node: { host: 'pbx1.example.com', port: 5038 } });
      const { data, errors } = await byId('username', pbx.id, tokens.SUPERVISOR);
      expect(data).toEqual({ node: null });
      expect(errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: expect.stringContaining('ADMIN') });
      expect((await byId('username', pbx.id, tokens.ADMIN)).data).toEqual({ node: { username: 'dialer' } });
    });
  });

  describe('deleting', () => {
    /** A live call on the server named `serverName`, as the dialer writes it: a campaign, its run, a member and its dialing. */
    async function liveDialing(serverName: string): Promise<void> {
      const prisma = server.current.database.prisma;
      const plan = await prisma.plan.create({ data: { name: 'Live plan' } });
      const destination = await prisma.destination.create({ data: { name: 'Live destination', type: 'EXTENSION', context: 'agents', exten: '100' } });
      const dialList = await prisma.dialList.create({ data: { name: 'Live list' } });
      const campaign = await prisma.campaign.create({
        data: { name: 'Live campaign', status: 'RUNNING', planId: plan.id, destinationId: destination.id, dialListId: dialList.id },
      });
      const member = await prisma.member.create({
        data: { dialListId: dialList.id, status: 'DIALING', numbers: { create: [{ slot: 1, dialListId: dialList.id, number: '5550100' }] } },
      });
      const run = await prisma.campaignRun.create({ data: { campaignId: campaign.id, startedBy: 'test' } });
      await prisma.dialing.create({
        data: {
          id: randomUUID(),
          campaignId: campaign.id,
          runId: run.id,
          memberId: member.id,
          server: serverName,
          numberSlot: 1,
          dialedNumber: '5550100',
          tryCount: 1,
          status: 'RINGING',
          dialString: 'PJSIP/5550100@carrier',
          planSnapshot: {},
          destinationSnapshot: {},
        },
      });
    }

    it('soft-deletes and disables an idle server', async () => {
      const pbx = await newServer('Idle');
      const { data } = await deleteServer(pbx.id);
      expect(success<PbxServer>(data, 'deletePbxServer')).toMatchObject({ inUse: false, enabled: false, deletedAt: expect.any(String) });
      const list = await graphql(`{ pbxServers(first: 100) { edges { node { id } } } }`);
      expect(JSON.stringify(list.data)).not.toContain(pbx.id);
    });

    it('refuses a server with a live dialing, and with force deletes it', async () => {
      const pbx = await newServer('Busy');
      await liveDialing(pbx.name);
      const refused = await deleteServer(pbx.id);
      expect(refused.data?.deletePbxServer).toMatchObject({ __typename: 'ConflictError', message: expect.stringContaining('1 live dialing') });
      const { data } = await deleteServer(pbx.id, true);
      expect(success<PbxServer>(data, 'deletePbxServer')).toMatchObject({ inUse: false, enabled: false });
    });
  });

  it('never returns the secret in any response', async () => {
    await newServer('Listed');
    await graphql(`{ pbxServers(first: 100, filter: { includeDeleted: true }) { edges { node { ${SERVER} } } } }`);
    expect(responses.length).toBeGreaterThan(10);
    for (const response of responses) expect(JSON.stringify(response)).not.toContain(SECRET);
  });
});
