import { describe, expect, it } from 'vitest';
import { postgresAvailable, useServer } from '../support/fixture.js';
import { mutationFields, operationFor, queryFields } from './operations.js';

type Body = { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };

describe.skipIf(!postgresAvailable)('unauthenticated requests: a clear 401 with code UNAUTHENTICATED', () => {
  const server = useServer();

  async function post(query: string, variables: Record<string, unknown>, authorization?: string) {
    const response = await fetch(server.current.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as Body };
  }

  it('answers every query and every mutation but login, sent without a token, with 401 UNAUTHENTICATED', async () => {
    const fields = [
      ...queryFields().map((field) => operationFor('query', field)),
      ...mutationFields(['login']).map((field) => operationFor('mutation', field)),
    ];
    expect(fields.length).toBeGreaterThan(20);
    const answers: Record<string, unknown> = {};
    for (const { field, query, variables } of fields) {
      const { status, body } = await post(query, variables);
      answers[field] = { status, codes: body.errors?.map((error) => error.extensions?.code) };
    }
    const expected = Object.fromEntries(fields.map(({ field }) => [field, { status: 401, codes: ['UNAUTHENTICATED'] }]));
    expect(answers).toEqual(expected);
  });

  it('refuses anonymous introspection and anonymous __typename floods before anything runs', async () => {
    for (const query of ['{ __schema { types { name } } }', `{ ${Array.from({ length: 3_300 }, (_, i) => `a${i}: __typename`).join(' ')} }`, 'mutation { logout { __typename } }', 'not even graphql']) {
      const { status, body } = await post(query, {});
      expect({ query: query.slice(0, 30), status, codes: body.errors?.map((error) => error.extensions?.code) }).toEqual({ query: query.slice(0, 30), status: 401, codes: ['UNAUTHENTICATED'] });
      expect(body.data).toBeUndefined();
    }
    const introspected = await post('{ __schema { queryType { name } } }', {}, `Bearer ${server.current.tokens.VIEWER}`);
    expect(introspected.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('tells how to authenticate in the error message', async () => {
    const { status, body } = await post('{ me { name } }', {});
    expect(status).toBe(401);
    expect(body.errors?.[0]?.message).toBe('Authentication required: send "Authorization: Bearer <token>"');
  });

  it('refuses a malformed Authorization header with 401, saying what the header must look like', async () => {
    for (const header of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer two words', server.current.tokens.ADMIN]) {
      const { status, body } = await post('{ me { name } }', {}, header);
      expect(status, header).toBe(401);
      expect(body.errors, header).toEqual([
        expect.objectContaining({
          message: 'The Authorization header must be "Bearer <token>"',
          extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }),
        }),
      ]);
    }
  });

  it('refuses unknown API tokens and session tokens with 401', async () => {
    for (const token of ['sbt_not-a-real-token', 'sbs_not-a-real-session', 'something-else-entirely']) {
      const { status, body } = await post('{ me { name } }', {}, `Bearer ${token}`);
      expect(status, token).toBe(401);
      expect(body.errors?.[0]?.extensions?.code, token).toBe('UNAUTHENTICATED');
    }
  });

  it('accepts the scheme name in any case', async () => {
    const { status, body } = await post('{ me { name } }', {}, `bearer ${server.current.tokens.VIEWER}`);
    expect(status).toBe(200);
    expect(body.data).toEqual({ me: { name: 'test VIEWER' } });
  });

  it('lets login through without a token', async () => {
    const created = await server.current.graphql(
      `mutation { createUser(input: { username: "walk-in", password: "walk-in password", role: VIEWER }) { __typename } }`,
    );
    expect(created.data).toEqual({ createUser: { __typename: 'CreateUserSuccess' } });
    const { status, body } = await post(
      `mutation { login(username: "walk-in", password: "walk-in password") { __typename ... on LoginSuccess { data { token } } } }`,
      {},
    );
    expect(status).toBe(200);
    expect(body.data).toEqual({ login: { __typename: 'LoginSuccess', data: { token: expect.stringMatching(/^sbs_/) } } });
  });

  it('throttles logins after five failures for one user with 429 and Retry-After, and records each failure', async () => {
    const created = await server.current.graphql(`mutation { createUser(input: { username: "guessed", password: "the right password", role: VIEWER }) { __typename } }`);
    expect(created.data).toEqual({ createUser: { __typename: 'CreateUserSuccess' } });
    const attempt = (password: string) =>
      fetch(server.current.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'mutation($p: String!) { login(username: "guessed", password: $p) { __typename } }', variables: { p: password } }),
      });
    const kinds: string[] = [];
    for (let i = 0; i < 30; i++) {
      const response = await attempt(`wrong ${i}`);
      const body = (await response.json()) as Body & { data?: { login?: { __typename: string } } };
      kinds.push(response.status === 429 ? `429 ${response.headers.get('retry-after')}` : (body.data?.login?.__typename ?? 'error'));
    }
    expect(kinds.slice(0, 5)).toEqual(Array(5).fill('AuthenticationError'));
    // Each failure past the fifth doubles the wait (1 s, 2 s, 4 s...): however slow the machine, few get through.
    expect(kinds.filter((kind) => kind === 'AuthenticationError').length).toBeLessThanOrEqual(12);
    expect(kinds.filter((kind) => /^429 \d+$/.test(kind)).length).toBeGreaterThanOrEqual(18);
    const failures = await server.current.database.prisma.loginFailure.count({ where: { username: 'guessed' } });
    expect(failures).toBe(kinds.filter((kind) => kind === 'AuthenticationError').length);
  });

  it('refuses a bad token even on login rather than treating the request as anonymous', async () => {
    const { status, body } = await post(`mutation { login(username: "x", password: "y") { __typename } }`, {}, 'Bearer sbt_revoked-or-unknown');
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
