import { getNamedType, isLeafType, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { hashSecret } from '../../src/auth/secrets.js';
import { schema } from '../../src/graphql/schema.js';
import { postgresAvailable, resultOf, success, useServer } from '../support/fixture.js';

/** Every leaf field of an object type: what a client could read of it. */
function everyField(typeName: string): string {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
  return Object.values(type.getFields())
    .filter((field) => isLeafType(getNamedType(field.type)) && field.args.length === 0)
    .map((field) => field.name)
    .join(' ');
}

const USER = everyField('User');
const TOKEN = everyField('ApiToken');
const PBX = everyField('PbxServer');
/** Output fields allowed to carry a secret: the one-time answers of createApiToken and of creating or rotating a webhook. */
const SHOWN_ONCE = ['CreatedApiToken.secret', 'IssuedWebhook.secret'];

describe.skipIf(!postgresAvailable)('secrets: no password, hash or PBX secret is readable through the API', () => {
  const server = useServer();

  it('has no output field that looks like a password, a hash or a secret, but the secret createApiToken shows once', async () => {
    const { data } = await server.current.graphql<{ __schema: { types: { name: string; fields: { name: string }[] | null }[] } }>(
      `{ __schema { types { name fields { name } } } }`,
    );
    const suspicious = (data?.__schema.types ?? [])
      .filter((type) => !type.name.startsWith('__'))
      .flatMap((type) => (type.fields ?? []).map((field) => `${type.name}.${field.name}`))
      .filter((name) => /password|hash|secret|salt/i.test(name));
    expect(suspicious).toEqual(SHOWN_ONCE);
  });

  it('shows User, ApiToken, PbxServer and Session without their stored hashes and secrets', async () => {
    const fieldsOf = async (name: string) => {
      const { data } = await server.current.graphql<{ __type: { fields: { name: string }[] } }>(
        `query($name: String!) { __type(name: $name) { fields { name } } }`,
        { name },
      );
      return data?.__type.fields.map((field) => field.name) ?? [];
    };
    expect(await fieldsOf('User')).toEqual(expect.arrayContaining(['username', 'role', 'disabled']));
    expect(await fieldsOf('User')).not.toContain('passwordHash');
    expect(await fieldsOf('User')).not.toContain('password');
    expect(await fieldsOf('ApiToken')).toEqual(expect.arrayContaining(['name', 'prefix', 'lastUsedAt']));
    expect(await fieldsOf('ApiToken')).not.toContain('tokenHash');
    expect(await fieldsOf('ApiToken')).not.toContain('secret');
    expect(await fieldsOf('PbxServer')).toEqual(expect.arrayContaining(['host', 'username']));
    expect(await fieldsOf('PbxServer')).not.toContain('secret');
    expect(await fieldsOf('Session')).not.toContain('tokenHash');
  });

  it('stores a PBX server\'s secret but never answers it, on create, update, list or node', async () => {
    const secret = 'ami-secret-Zq81xK';
    const created = await server.current.graphql(
      `mutation($input: CreatePbxServerInput!) { createPbxServer(input: $input) { ${resultOf('CreatePbxServerSuccess', PBX)} } }`,
      { input: { name: 'Main PBX', host: '10.1.2.3', username: 'dialer', secret } },
    );
    const server1 = success<{ id: string }>(created.data, 'createPbxServer');
    const newSecret = 'ami-secret-Wp92yL';
    const updated = await server.current.graphql(
      `mutation($id: ID!) { updatePbxServer(id: $id, input: { secret: "${newSecret}" }) { ${resultOf('UpdatePbxServerSuccess', PBX)} } }`,
      { id: server1.id },
    );
    success(updated.data, 'updatePbxServer');
    const listed = await server.current.graphql(`{ pbxServers(first: 10) { edges { node { ${PBX} } } } }`);
    const node = await server.current.graphql(`query($id: ID!) { node(id: $id) { ... on PbxServer { ${PBX} } } }`, { id: server1.id });
    expect(listed.data?.pbxServers).toEqual({ edges: [{ node: expect.objectContaining({ name: 'Main PBX', username: 'dialer' }) }] });
    expect(node.data?.node).toMatchObject({ name: 'Main PBX' });

    const stored = await server.current.database.prisma.pbxServer.findFirstOrThrow({ where: { name: 'Main PBX' } });
    expect(stored.secret).toBe(newSecret);
    for (const response of [created, updated, listed, node]) {
      const body = JSON.stringify(response);
      expect(body).not.toContain(secret);
      expect(body).not.toContain(newSecret);
    }
  });

  it('stores a user\'s password only as a scrypt hash, and no answer carries the password or the hash', async () => {
    const password = 'pw-Hx73-never-shown';
    const created = await server.current.graphql(
      `mutation($input: CreateUserInput!) { createUser(input: $input) { ${resultOf('CreateUserSuccess', USER)} } }`,
      { input: { username: 'hidden', password, role: 'ADMIN' } },
    );
    const user = success<{ id: string }>(created.data, 'createUser');
    const login = await server.current.graphql(
      `mutation($password: String!) { login(username: "hidden", password: $password) { __typename ... on LoginSuccess { data { token expiresAt } } } }`,
      { password },
      null,
    );
    const token = success<{ token: string }>(login.data, 'login').token;
    const me = await server.current.graphql(`{ me { kind name role user { ${USER} } } }`, {}, token);
    const list = await server.current.graphql(`{ users(first: 50) { edges { node { ${USER} } } } }`);
    const node = await server.current.graphql(`query($id: ID!) { node(id: $id) { ... on User { ${USER} } } }`, { id: user.id });
    const newPassword = 'pw-Jk55-also-hidden';
    const updated = await server.current.graphql(
      `mutation($id: ID!, $password: String!) { updateUser(id: $id, input: { password: $password }) { ${resultOf('UpdateUserSuccess', USER)} } }`,
      { id: user.id, password: newPassword },
    );
    for (const response of [me, list, node]) expect(response.errors).toBeUndefined();
    success(updated.data, 'updateUser');

    const stored = await server.current.database.prisma.user.findUniqueOrThrow({ where: { username: 'hidden' } });
    expect(stored.passwordHash).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[\w-]+\$[\w-]+$/);
    expect(stored.passwordHash).not.toContain(newPassword);
    const hashPart = stored.passwordHash.split('$').at(-1) ?? '';
    for (const response of [created, login, me, list, node, updated]) {
      const body = JSON.stringify(response);
      expect(body).not.toContain(password);
      expect(body).not.toContain(newPassword);
      expect(body).not.toContain(hashPart);
    }
  });

  it('stores API tokens and sessions only as hashes, and no answer carries a token hash', async () => {
    const created = await server.current.graphql(
      `mutation { createApiToken(name: "hashed", role: VIEWER) { ${resultOf('CreateApiTokenSuccess', `secret token { ${TOKEN} }`)} } }`,
    );
    const { secret } = success<{ secret: string }>(created.data, 'createApiToken');
    const prisma = server.current.database.prisma;
    const stored = await prisma.apiToken.findFirstOrThrow({ where: { name: 'hashed' } });
    expect(stored.tokenHash).toBe(hashSecret(secret));
    expect(stored.tokenHash).not.toContain(secret);
    expect(secret.startsWith(stored.prefix) && stored.prefix.length < secret.length).toBe(true);

    success(
      (await server.current.graphql(
        `mutation { createUser(input: { username: "session-holder", password: "holder password", role: VIEWER }) { ${resultOf('CreateUserSuccess', 'id')} } }`,
      )).data,
      'createUser',
    );
    const login = await server.current.graphql(
      `mutation { login(username: "session-holder", password: "holder password") { __typename ... on LoginSuccess { data { token } } } }`,
      {},
      null,
    );
    const session = success<{ token: string }>(login.data, 'login').token;
    const sessionRow = await prisma.session.findUniqueOrThrow({ where: { tokenHash: hashSecret(session) } });
    expect(JSON.stringify(sessionRow)).not.toContain(session);

    const list = await server.current.graphql(`{ apiTokens(first: 100) { edges { node { ${TOKEN} } } } }`);
    const hashes = (await prisma.apiToken.findMany()).map((token) => token.tokenHash);
    for (const body of [JSON.stringify(created), JSON.stringify(list), JSON.stringify(login)]) {
      for (const hash of [...hashes, sessionRow.tokenHash]) expect(body).not.toContain(hash);
    }
    expect(JSON.stringify(list)).not.toContain(secret);
  });
});
