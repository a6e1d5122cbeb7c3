import { describe, expect, it } from 'vitest';
import { authenticate } from '../../src/auth/authenticate.js';
import { login } from '../../src/auth/sessions.js';
import { AuthenticationError } from '../../src/errors.js';
import { postgresAvailable, resultOf, success, useServer } from '../support/fixture.js';

const SESSION_TTL_MS = 3_600_000;

const LOGIN = `mutation($username: String!, $password: String!) { login(username: $username, password: $password) {
  __typename ... on LoginSuccess { data { token expiresAt } }
  ... on AuthenticationError { message } } }`;
const ME = `{ me { kind name role user { id username displayName role } } }`;
const LOGOUT = `mutation { logout { __typename ... on LogoutSuccess { data } ... on ValidationError { message } } }`;

type Session = { token: string; expiresAt: string };

describe.skipIf(!postgresAvailable)('sessions: login, me and logout', () => {
  const server = useServer();

  async function createUser(username: string, password: string, role = 'VIEWER') {
    const { data } = await server.current.graphql(
      `mutation($input: CreateUserInput!) { createUser(input: $input) { ${resultOf('CreateUserSuccess', 'id username role')} } }`,
      { input: { username, password, role, displayName: `${username} display` } },
    );
    return success<{ id: string; username: string; role: string }>(data, 'createUser');
  }

  const logIn = (username: string, password: string) => server.current.graphql(LOGIN, { username, password }, null);

  async function openSession(username: string, password: string): Promise<Session> {
    return success<Session>((await logIn(username, password)).data, 'login');
  }

  it('lets a user an admin created log in, and shows them in `me` as a USER with their name and role', async () => {
    const user = await createUser('alice', 'correct horse battery', 'SUPERVISOR');
    const before = Date.now();
    const session = await openSession('alice', 'correct horse battery');
    const after = Date.now();
    expect(session.token).toMatch(/^sbs_/);
    const expiresAt = new Date(session.expiresAt).getTime();
    expect(expiresAt).toBeGreaterThanOrEqual(before + SESSION_TTL_MS - 1000);
    expect(expiresAt).toBeLessThanOrEqual(after + SESSION_TTL_MS + 1000);

    const me = await server.current.graphql(ME, {}, session.token);
    expect(me.errors).toBeUndefined();
    expect(me.data).toEqual({
      me: {
        kind: 'USER',
        name: 'alice',
        role: 'SUPERVISOR',
        user: { id: user.id, username: 'alice', displayName: 'alice display', role: 'SUPERVISOR' },
      },
    });
  });

  it('returns the logged-in user with the session token', async () => {
    const user = await createUser('grace', 'grace password 1', 'SUPERVISOR');
    const { status, data, errors } = await server.current.graphql(
      `mutation { login(username: "grace", password: "grace password 1") {
        __typename ... on LoginSuccess { data { token user { id username role } } } } }`,
      {},
      null,
    );
    expect(errors).toBeUndefined();
    expect(status).toBe(200);
    expect(success<{ user: unknown }>(data, 'login').user).toEqual({ id: user.id, username: 'grace', role: 'SUPERVISOR' });
  });

  it('shows an API token in `me` as API_TOKEN with its name and role and no user', async () => {
    const me = await server.current.graphql(ME, {}, server.current.tokens.VIEWER);
    expect(me.data).toEqual({ me: { kind: 'API_TOKEN', name: 'test VIEWER', role: 'VIEWER', user: null } });
  });

  it('ends the session at once on logout: its next request is a 401 UNAUTHENTICATED', async () => {
    await createUser('bob', 'bob password 123');
    const session = await openSession('bob', 'bob password 123');
    const other = await openSession('bob', 'bob password 123');
    expect((await server.current.graphql(ME, {}, session.token)).status).toBe(200);

    const out = await server.current.graphql(LOGOUT, {}, session.token);
    expect(out.data).toEqual({ logout: { __typename: 'LogoutSuccess', data: true } });

    const after = await server.current.graphql(ME, {}, session.token);
    expect(after.status).toBe(401);
    expect(after.data ?? null).toBeNull();
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // Logging out ends this session only, not the user's other ones.
    const stillOpen = await server.current.graphql(ME, {}, other.token);
    expect(stillOpen.data).toMatchObject({ me: { name: 'bob' } });
  });

  it('answers logout with an API token with a ValidationError pointing to revokeApiToken, and keeps the token working', async () => {
    const { data } = await server.current.graphql(LOGOUT, {}, server.current.tokens.VIEWER);
    expect(data?.logout).toMatchObject({ __typename: 'ValidationError', message: expect.stringContaining('revokeApiToken') });
    expect((await server.current.graphql(ME, {}, server.current.tokens.VIEWER)).status).toBe(200);
  });

  it('refuses a wrong password and an unknown user with the same typed AuthenticationError', async () => {
    await createUser('carol', 'carol password 1');
    const wrongPassword = await logIn('carol', 'not her password');
    const unknownUser = await logIn('nobody-here', 'carol password 1');
    expect(wrongPassword.status).toBe(200);
    expect(wrongPassword.data?.login).toMatchObject({ __typename: 'AuthenticationError' });
    expect(unknownUser.data?.login).toEqual(wrongPassword.data?.login);
    expect((wrongPassword.data?.login as { message: string }).message).toMatch(/invalid username or password/i);
  });

  it('refuses a session that has expired, over HTTP with 401', async () => {
    await createUser('dave', 'dave password 1');
    const prisma = server.current.database.prisma;
    // Logged in two hours ago for one hour.
    const old = await login(prisma, 'dave', 'dave password 1', 3_600_000, new Date(Date.now() - 7_200_000));
    const response = await server.current.graphql(ME, {}, old.token);
    expect(response.status).toBe(401);
    expect(response.errors?.[0]).toMatchObject({ message: expect.stringMatching(/expired/), extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('accepts a session up to its expiry and refuses it from that instant on', async () => {
    await createUser('erin', 'erin password 1');
    const prisma = server.current.database.prisma;
    const opened = new Date('2030-01-01T09:00:00Z');
    const session = await login(prisma, 'erin', 'erin password 1', 60_000, opened);
    expect(session.expiresAt).toEqual(new Date('2030-01-01T09:01:00Z'));
    const viewer = await authenticate(prisma, session.token, new Date('2030-01-01T09:00:59.999Z'));
    expect(viewer).toMatchObject({ kind: 'user', name: 'erin', role: 'VIEWER' });
    await expect(authenticate(prisma, session.token, session.expiresAt)).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('records the time of the last login on the user', async () => {
    await createUser('frank', 'frank password 1');
    const session = await openSession('frank', 'frank password 1');
    const me = await server.current.graphql<{ me: { user: { lastLoginAt: string | null } } }>(
      `{ me { user { lastLoginAt } } }`,
      {},
      session.token,
    );
    expect(me.data?.me.user.lastLoginAt).not.toBeNull();
    expect(Math.abs(new Date(me.data?.me.user.lastLoginAt ?? 0).getTime() - Date.now())).toBeLessThan(60_000);
  });
});
