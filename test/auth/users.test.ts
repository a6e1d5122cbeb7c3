import { describe, expect, it } from 'vitest';
import { postgresAvailable, resultOf, success, useServer } from '../support/fixture.js';

const USER = 'id username displayName role disabled';
const CREATED = resultOf('CreateUserSuccess', USER);
const UPDATED = resultOf('UpdateUserSuccess', USER);
const LOGIN = `mutation($username: String!, $password: String!) { login(username: $username, password: $password) {
  __typename ... on LoginSuccess { data { token } } ... on AuthenticationError { message } } }`;
const ME = `{ me { name role } }`;

type User = { id: string; username: string; role: string; disabled: boolean };

describe.skipIf(!postgresAvailable)('user administration: changes to a user take effect on their next request', () => {
  const server = useServer();

  const createUser = (username: string, password: string, role = 'VIEWER') =>
    server.current.graphql(`mutation($input: CreateUserInput!) { createUser(input: $input) { ${CREATED} } }`, {
      input: { username, password, role },
    });

  const updateUser = (id: string, input: Record<string, unknown>, token?: string) =>
    server.current.graphql(
      `mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { ${UPDATED} } }`,
      { id, input },
      token,
    );

  const logIn = (username: string, password: string) => server.current.graphql(LOGIN, { username, password }, null);

  async function sessionOf(username: string, password: string): Promise<string> {
    return success<{ token: string }>((await logIn(username, password)).data, 'login').token;
  }

  it('refuses to log in a disabled user, with an AuthenticationError saying so', async () => {
    const user = success<User>((await createUser('dora', 'dora password 1')).data, 'createUser');
    const disabled = success<User>((await updateUser(user.id, { disabled: true })).data, 'updateUser');
    expect(disabled.disabled).toBe(true);

    const { data } = await logIn('dora', 'dora password 1');
    expect(data?.login).toEqual({ __typename: 'AuthenticationError', message: 'User dora is disabled' });
    // Without the right password nothing tells a disabled user apart from a wrong password.
    const guessed = await logIn('dora', 'a wrong guess');
    expect(guessed.data?.login).toEqual({ __typename: 'AuthenticationError', message: 'Invalid username or password' });
  });

  it('ends the open session of a user at once when they are disabled, and lets them log in again once enabled', async () => {
    const user = success<User>((await createUser('eddie', 'eddie password 1')).data, 'createUser');
    const token = await sessionOf('eddie', 'eddie password 1');
    expect((await server.current.graphql(ME, {}, token)).data).toEqual({ me: { name: 'eddie', role: 'VIEWER' } });

    success((await updateUser(user.id, { disabled: true })).data, 'updateUser');
    const refused = await server.current.graphql(ME, {}, token);
    expect(refused.status).toBe(401);
    expect(refused.errors?.[0]).toMatchObject({ message: expect.stringMatching(/session has ended/), extensions: { code: 'UNAUTHENTICATED' } });

    success((await updateUser(user.id, { disabled: false })).data, 'updateUser');
    expect((await server.current.graphql(ME, {}, token)).status).toBe(401);
    const fresh = await sessionOf('eddie', 'eddie password 1');
    expect((await server.current.graphql(ME, {}, fresh)).data).toEqual({ me: { name: 'eddie', role: 'VIEWER' } });
  });

  it('applies a role change to the user\'s open session on their next request', async () => {
    const user = success<User>((await createUser('fiona', 'fiona password 1', 'VIEWER')).data, 'createUser');
    const token = await sessionOf('fiona', 'fiona password 1');
    const createPlan = () =>
      server.current.graphql(
        `mutation { createPlan(input: { name: "Fiona's plan" }) { ${resultOf('CreatePlanSuccess', 'name')} } }`,
        {},
        token,
      );
    expect((await createPlan()).data?.createPlan).toMatchObject({ __typename: 'ForbiddenError', requiredRole: 'SUPERVISOR' });

    success((await updateUser(user.id, { role: 'SUPERVISOR' })).data, 'updateUser');
    expect((await server.current.graphql(ME, {}, token)).data).toEqual({ me: { name: 'fiona', role: 'SUPERVISOR' } });
    expect(success((await createPlan()).data, 'createPlan')).toEqual({ name: "Fiona's plan" });

    success((await updateUser(user.id, { role: 'VIEWER' })).data, 'updateUser');
    expect((await createPlan()).data?.createPlan).toMatchObject({ __typename: 'ForbiddenError', requiredRole: 'SUPERVISOR' });
  });

  it('changes a user\'s password: the old one stops working, the new one logs in', async () => {
    const user = success<User>((await createUser('gus', 'gus password 1')).data, 'createUser');
    success((await updateUser(user.id, { password: 'gus password 2' })).data, 'updateUser');
    expect((await logIn('gus', 'gus password 1')).data?.login).toMatchObject({ __typename: 'AuthenticationError' });
    expect((await logIn('gus', 'gus password 2')).data?.login).toMatchObject({ __typename: 'LoginSuccess' });
  });

  it('keeps an admin from disabling or demoting themselves, with a ValidationError', async () => {
    const admin = success<User>((await createUser('hank', 'hank password 1', 'ADMIN')).data, 'createUser');
    const token = await sessionOf('hank', 'hank password 1');
    for (const input of [{ disabled: true }, { role: 'SUPERVISOR' }]) {
      const { data } = await updateUser(admin.id, input, token);
      expect(data?.updateUser).toMatchObject({ __typename: 'ValidationError', problems: [{ field: 'role' }] });
    }
    expect((await server.current.graphql(ME, {}, token)).data).toEqual({ me: { name: 'hank', role: 'ADMIN' } });
  });

  it('refuses a taken username with a ConflictError and a bad username or short password with a ValidationError', async () => {
    success((await createUser('ivy', 'ivy password 1')).data, 'createUser');
    expect((await createUser('ivy', 'another password')).data?.createUser).toMatchObject({ __typename: 'ConflictError' });
    const bad = await createUser('i', 'short');
    expect(bad.data?.createUser).toMatchObject({ __typename: 'ValidationError' });
    const fields = (bad.data?.createUser as { problems: { field: string }[] }).problems.map((p) => p.field);
    expect(fields.sort()).toEqual(['password', 'username']);
    // A user named as the dialer names its own requests would pass for them in runs (autoRun restarts what "end of list" stopped).
    for (const username of ['schedule', 'UNKNOWN']) {
      expect((await createUser(username, 'long enough password')).data?.createUser).toMatchObject({ __typename: 'ValidationError', problems: [{ field: 'username' }] });
    }
  });

  it('answers NotFoundError for updating a user that does not exist', async () => {
    const unknown = Buffer.from('User:01900000-0000-7000-8000-000000000000').toString('base64');
    const { data } = await updateUser(unknown, { disabled: true });
    expect(data?.updateUser).toMatchObject({ __typename: 'NotFoundError', resource: 'User' });
  });
});
