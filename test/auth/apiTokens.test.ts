import { describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/auth/apiTokens.js';
import { authenticate } from '../../src/auth/authenticate.js';
import { AuthenticationError } from '../../src/errors.js';
import { postgresAvailable, resultOf, success, useServer } from '../support/fixture.js';

const TOKEN = 'id name role prefix expiresAt revokedAt lastUsedAt createdAt createdBy { username }';
const CREATE = `mutation($name: String!, $role: Role!, $expiresAt: DateTime) {
  createApiToken(name: $name, role: $role, expiresAt: $expiresAt) { ${resultOf('CreateApiTokenSuccess', `secret token { ${TOKEN} }`)} } }`;
const REVOKE = `mutation($id: ID!) { revokeApiToken(id: $id) { ${resultOf('RevokeApiTokenSuccess', TOKEN)} } }`;
const LIST = `{ apiTokens(first: 100) { edges { node { ${TOKEN} } } } }`;
const ME = `{ me { kind name role } }`;

type Token = {
  id: string;
  name: string;
  role: string;
  prefix: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  createdBy: { username: string } | null;
};
type Created = { secret: string; token: Token };

describe.skipIf(!postgresAvailable)('API tokens: shown once, listed without secrets, refused once revoked or expired', () => {
  const server = useServer();

  async function create(name: string, role: string, expiresAt?: string, adminToken?: string) {
    return server.current.graphql(CREATE, { name, role, expiresAt }, adminToken);
  }

  async function list(): Promise<{ body: string; tokens: Token[] }> {
    const response = await server.current.graphql<{ apiTokens: { edges: { node: Token }[] } }>(LIST);
    expect(response.errors).toBeUndefined();
    return { body: JSON.stringify(response), tokens: response.data?.apiTokens.edges.map((edge) => edge.node) ?? [] };
  }

  it('shows the secret once on creation, and the token then works with its role', async () => {
    const created = success<Created>((await create('Wallboard 1', 'VIEWER')).data, 'createApiToken');
    expect(created.secret).toMatch(/^sbt_[A-Za-z0-9_-]{40,}$/);
    expect(created.token).toMatchObject({ name: 'Wallboard 1', role: 'VIEWER', revokedAt: null, expiresAt: null, lastUsedAt: null });
    expect(created.secret.startsWith(created.token.prefix)).toBe(true);
    expect(created.token.prefix.length).toBeLessThan(created.secret.length / 2);

    const me = await server.current.graphql(ME, {}, created.secret);
    expect(me.data).toEqual({ me: { kind: 'API_TOKEN', name: 'Wallboard 1', role: 'VIEWER' } });
  });

  it('lists tokens with their prefix and last use, and never their secret', async () => {
    const created = success<Created>((await create('Listed', 'SUPERVISOR')).data, 'createApiToken');
    const before = await list();
    const listed = before.tokens.find((token) => token.id === created.token.id);
    expect(listed).toMatchObject({ name: 'Listed', role: 'SUPERVISOR', prefix: created.token.prefix, lastUsedAt: null });
    expect(before.body).not.toContain(created.secret);
    for (const secret of Object.values(server.current.tokens)) expect(before.body).not.toContain(secret);

    const used = Date.now();
    expect((await server.current.graphql(ME, {}, created.secret)).status).toBe(200);
    const after = await list();
    const lastUsedAt = after.tokens.find((token) => token.id === created.token.id)?.lastUsedAt;
    expect(lastUsedAt).not.toBeNull();
    expect(Math.abs(new Date(lastUsedAt ?? 0).getTime() - used)).toBeLessThan(60_000);
  });

  it('refuses a revoked token at once with 401, and shows when it was revoked', async () => {
    const created = success<Created>((await create('To revoke', 'SUPERVISOR')).data, 'createApiToken');
    expect((await server.current.graphql(ME, {}, created.secret)).status).toBe(200);

    const revoked = success<Token>((await server.current.graphql(REVOKE, { id: created.token.id })).data, 'revokeApiToken');
    expect(revoked.revokedAt).not.toBeNull();

    const refused = await server.current.graphql(ME, {}, created.secret);
    expect(refused.status).toBe(401);
    expect(refused.errors?.[0]).toMatchObject({ message: 'API token To revoke was revoked', extensions: { code: 'UNAUTHENTICATED' } });
    expect((await list()).tokens.find((token) => token.id === created.token.id)?.revokedAt).toBe(revoked.revokedAt);
  });

  it('keeps the first revocation time when a token is revoked twice', async () => {
    const created = success<Created>((await create('Twice', 'VIEWER')).data, 'createApiToken');
    const first = success<Token>((await server.current.graphql(REVOKE, { id: created.token.id })).data, 'revokeApiToken');
    const second = success<Token>((await server.current.graphql(REVOKE, { id: created.token.id })).data, 'revokeApiToken');
    expect(second.revokedAt).toBe(first.revokedAt);
  });

  it('answers NotFoundError for revoking a token that does not exist and ValidationError for another type\'s id', async () => {
    const unknown = Buffer.from('ApiToken:01900000-0000-7000-8000-000000000000').toString('base64');
    expect((await server.current.graphql(REVOKE, { id: unknown })).data?.revokeApiToken).toMatchObject({
      __typename: 'NotFoundError',
      resource: 'ApiToken',
    });
    const plan = Buffer.from('Plan:01900000-0000-7000-8000-000000000000').toString('base64');
    expect((await server.current.graphql(REVOKE, { id: plan })).data?.revokeApiToken).toMatchObject({ __typename: 'ValidationError' });
  });

  it('takes a future expiry and refuses one in the past with a ValidationError on expiresAt', async () => {
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const created = success<Created>((await create('Expiring', 'VIEWER', future)).data, 'createApiToken');
    expect(new Date(created.token.expiresAt ?? 0).toISOString()).toBe(future);
    expect((await server.current.graphql(ME, {}, created.secret)).status).toBe(200);

    const past = new Date(Date.now() - 1000).toISOString();
    const { data } = await create('Already expired', 'VIEWER', past);
    expect(data?.createApiToken).toMatchObject({ __typename: 'ValidationError', problems: [{ field: 'expiresAt' }] });
    expect((await list()).tokens.map((token) => token.name)).not.toContain('Already expired');
  });

  it('refuses a token whose expiry has passed, over HTTP with 401', async () => {
    const hourAgo = new Date(Date.now() - 3_600_000);
    // Created two hours ago, to expire an hour ago.
    const { secret } = await createApiToken(
      server.current.database.prisma,
      { name: 'Expired', role: 'ADMIN', expiresAt: hourAgo },
      new Date(hourAgo.getTime() - 3_600_000),
    );
    const refused = await server.current.graphql(ME, {}, secret);
    expect(refused.status).toBe(401);
    expect(refused.errors?.[0]).toMatchObject({ message: 'API token Expired has expired', extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('accepts a token up to its expiry and refuses it from that instant on', async () => {
    const prisma = server.current.database.prisma;
    const expiresAt = new Date('2030-06-01T12:00:00Z');
    const { secret } = await createApiToken(prisma, { name: 'Boundary', role: 'VIEWER', expiresAt }, new Date('2030-06-01T11:00:00Z'));
    expect(await authenticate(prisma, secret, new Date(expiresAt.getTime() - 1))).toMatchObject({ kind: 'apiToken', role: 'VIEWER' });
    await expect(authenticate(prisma, secret, expiresAt)).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('refuses an empty name with a ValidationError', async () => {
    const { data } = await create('   ', 'VIEWER');
    expect(data?.createApiToken).toMatchObject({ __typename: 'ValidationError', problems: [{ field: 'name' }] });
  });

  it("refuses a name that would read as the dialer's own requests, or that breaks a line", async () => {
    for (const name of ['end of list', 'Schedule', ' unknown ', 'after Renewals', 'ops\r\nbot']) {
      const { data } = await create(name, 'SUPERVISOR');
      expect(data?.createApiToken).toMatchObject({ __typename: 'ValidationError', problems: [{ field: 'name' }] });
    }
    const { data } = await create('scheduler bot', 'SUPERVISOR');
    expect(data?.createApiToken).toMatchObject({ __typename: 'CreateApiTokenSuccess' });
  });

  it('records the admin user who created a token, and none for one made with a token', async () => {
    const user = await server.current.graphql(
      `mutation { createUser(input: { username: "tokenmaker", password: "maker password 1", role: ADMIN }) { __typename } }`,
    );
    expect(user.data).toEqual({ createUser: { __typename: 'CreateUserSuccess' } });
    const login = await server.current.graphql(
      `mutation { login(username: "tokenmaker", password: "maker password 1") { ... on LoginSuccess { data { token } } } }`,
      {},
      null,
    );
    const session = (login.data?.login as { data: { token: string } }).data.token;
    const byUser = success<Created>((await create('By a person', 'VIEWER', undefined, session)).data, 'createApiToken');
    expect(byUser.token.createdBy).toEqual({ username: 'tokenmaker' });
    const byToken = success<Created>((await create('By a machine', 'VIEWER')).data, 'createApiToken');
    expect(byToken.token.createdBy).toBeNull();
  });
});
