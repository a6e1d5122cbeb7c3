import { describe, expect, it } from 'vitest';
import { createUser } from '../../src/auth/users.js';
import { postgresAvailable, resultOf, useServer } from '../support/fixture.js';

type Entry = { actorKind: string | null; actorName: string; actorRole: string | null; mutation: string; arguments: Record<string, unknown>; result: string; clientAddress: string };

const ENTRY = 'actorKind actorName actorRole mutation arguments result clientAddress at';

describe.skipIf(!postgresAvailable)('the audit log: every mutation, who ran it and what it answered', () => {
  const server = useServer();

  async function entries(filter: Record<string, unknown>): Promise<Entry[]> {
    const answer = await server.current.graphql<{ auditLog: { edges: { node: Entry }[] } }>(
      `query($filter: AuditLogFilter) { auditLog(first: 50, filter: $filter) { edges { node { ${ENTRY} } } } }`,
      { filter },
    );
    expect(answer.errors).toBeUndefined();
    return (answer.data?.auditLog.edges ?? []).map((edge) => edge.node);
  }

  it('records a mutation with its actor, role, arguments and result type, and a refused one as ForbiddenError', async () => {
    const name = `audited ${Date.now()}`;
    await server.current.graphql(`mutation($name: String!) { createDialList(input: { name: $name }) { ${resultOf('CreateDialListSuccess', 'id')} } }`, { name }, server.current.tokens.SUPERVISOR);
    await server.current.graphql(`mutation($name: String!) { createDialList(input: { name: $name }) { __typename } }`, { name: 'not allowed' }, server.current.tokens.VIEWER);
    const supervisor = await entries({ actor: 'test SUPERVISOR', mutation: 'createDialList' });
    expect(supervisor[0]).toMatchObject({ actorKind: 'API_TOKEN', actorRole: 'SUPERVISOR', arguments: { input: { name } }, result: 'CreateDialListSuccess', clientAddress: expect.stringMatching(/127\.0\.0\.1/) });
    const viewer = await entries({ actor: 'test VIEWER', mutation: 'createDialList' });
    expect(viewer[0]).toMatchObject({ actorRole: 'VIEWER', result: 'ForbiddenError' });
  });

  it('records login attempts by the username tried, never the password, and the session\'s user once it succeeds', async () => {
    await createUser(server.current.database.prisma, { username: 'auditee', password: 'a long enough password', role: 'VIEWER' });
    const login = 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { __typename } }';
    await server.current.graphql(login, { u: 'auditee', p: 'the wrong password' }, null);
    await server.current.graphql(login, { u: 'auditee', p: 'a long enough password' }, null);
    const attempts = await entries({ actor: 'auditee', mutation: 'login' });
    expect(attempts.map(({ actorKind, result, arguments: args }) => ({ actorKind, result, args }))).toEqual([
      { actorKind: 'USER', result: 'LoginSuccess', args: { username: 'auditee', password: '[redacted]' } },
      { actorKind: null, result: 'AuthenticationError', args: { username: 'auditee', password: '[redacted]' } },
    ]);
  });

  it('records a supervisor\'s call control, and keeps long values short', async () => {
    const long = 'x'.repeat(5_000);
    await server.current.graphql('mutation($input: HangupChannelInput!) { hangupChannel(input: $input) { __typename } }', { input: { server: 'nowhere', channel: long } }, server.current.tokens.SUPERVISOR);
    const [hangup] = await entries({ mutation: 'hangupChannel' });
    expect(hangup?.result).toMatch(/Error$/);
    expect(hangup?.arguments).toEqual({ input: { server: 'nowhere', channel: `${'x'.repeat(200)}… (5000 characters)` } });
  });

  it('finds entries by time, and answers only an ADMIN', async () => {
    const before = new Date();
    const after = await entries({ since: new Date(before.getTime() + 60_000).toISOString() });
    expect(after).toEqual([]);
    const earlier = await entries({ until: before.toISOString() });
    expect(earlier.length).toBeGreaterThan(0);
    const refused = await server.current.graphql('{ auditLog(first: 1) { edges { node { id } } } }', {}, server.current.tokens.SUPERVISOR);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
