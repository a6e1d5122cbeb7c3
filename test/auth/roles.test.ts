import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/roles.js';
import { postgresAvailable, useServer } from '../support/fixture.js';
import { mutationFields, operationFor } from './operations.js';

const FORBIDDEN = '__typename ... on ForbiddenError { requiredRole message }';
/** Open to anyone (login) or about the caller's own session (logout). */
const OPEN_MUTATIONS = ['login', 'logout'];
const ADMIN_QUERIES = ['users', 'apiTokens', 'auditLog'];

type Outcome = { __typename: string; requiredRole?: string; message?: string } | { errors: unknown };

describe.skipIf(!postgresAvailable)('roles: ADMIN > SUPERVISOR > VIEWER, checked on every field', () => {
  const server = useServer();
  const guarded = mutationFields(OPEN_MUTATIONS);

  /** What each guarded mutation answers `role`, called with placeholder arguments. */
  async function mutationOutcomes(role: Role): Promise<Record<string, Outcome>> {
    const outcomes: Record<string, Outcome> = {};
    for (const field of guarded) {
      const { query, variables } = operationFor('mutation', field, FORBIDDEN);
      const response = await server.current.graphql(query, variables, server.current.tokens[role]);
      const answer = response.data?.[field.name] as Outcome | undefined;
      outcomes[field.name] = answer ?? { errors: response.errors };
    }
    return outcomes;
  }

  async function tableCounts(): Promise<Record<string, number>> {
    const prisma = server.current.database.prisma;
    const tables = await prisma.$queryRawUnsafe<{ name: string }[]>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    const counts: Record<string, number> = {};
    for (const { name } of tables) {
      const [row] = await prisma.$queryRawUnsafe<{ count: bigint }[]>(`SELECT count(*) AS count FROM "${name}"`);
      counts[name] = Number(row?.count);
    }
    return counts;
  }

  it('finds the mutations to check in the schema', () => {
    const names = guarded.map((field) => field.name);
    expect(names).toEqual(expect.arrayContaining(['createPlan', 'createCampaign', 'setCampaignStatus', 'createUser', 'createApiToken']));
  });

  it('answers every mutation a VIEWER calls with a ForbiddenError naming SUPERVISOR or ADMIN, and changes nothing but the audit log of the refusals', async () => {
    const before = await tableCounts();
    const outcomes = await mutationOutcomes('VIEWER');
    const expected = Object.fromEntries(
      guarded.map((field) => [
        field.name,
        { __typename: 'ForbiddenError', requiredRole: expect.stringMatching(/^(SUPERVISOR|ADMIN)$/), message: expect.stringMatching(/role/) },
      ]),
    );
    expect(outcomes).toEqual(expected);
    expect(await tableCounts()).toEqual({ ...before, AuditEntry: (before.AuditEntry ?? 0) + guarded.length });
  });

  it('lets a SUPERVISOR through exactly the mutations a VIEWER was told need SUPERVISOR, and refuses the rest naming ADMIN', async () => {
    const viewer = await mutationOutcomes('VIEWER');
    const supervisor = await mutationOutcomes('SUPERVISOR');
    for (const field of guarded) {
      const needed = (viewer[field.name] as { requiredRole?: string }).requiredRole;
      const answer = supervisor[field.name];
      if (needed === 'ADMIN') {
        expect(answer, field.name).toMatchObject({ __typename: 'ForbiddenError', requiredRole: 'ADMIN' });
      } else {
        expect(answer, field.name).toHaveProperty('__typename');
        expect(answer, field.name).not.toMatchObject({ __typename: 'ForbiddenError' });
      }
    }
  });

  it('refuses an ADMIN none of the mutations', async () => {
    const outcomes = await mutationOutcomes('ADMIN');
    for (const field of guarded) {
      expect(outcomes[field.name], field.name).toHaveProperty('__typename');
      expect(outcomes[field.name], field.name).not.toMatchObject({ __typename: 'ForbiddenError' });
    }
  });

  it('refuses a SUPERVISOR user, PBX server and API token administration with a ForbiddenError naming ADMIN', async () => {
    const supervisor = server.current.tokens.SUPERVISOR;
    const calls = {
      createUser: `createUser(input: { username: "sup-made", password: "long enough pw", role: ADMIN }) { ${FORBIDDEN} }`,
      createApiToken: `createApiToken(name: "sup-made", role: ADMIN) { ${FORBIDDEN} }`,
      createPbxServer: `createPbxServer(input: { name: "pbx", host: "10.0.0.1", username: "u", secret: "s" }) { ${FORBIDDEN} }`,
    };
    for (const [field, call] of Object.entries(calls)) {
      const { data } = await server.current.graphql(`mutation { ${call} }`, {}, supervisor);
      expect(data?.[field], field).toMatchObject({
        __typename: 'ForbiddenError',
        requiredRole: 'ADMIN',
        message: 'This needs the ADMIN role; test SUPERVISOR has SUPERVISOR',
      });
    }
  });

  it('answers users, apiTokens and auditLog to a SUPERVISOR or VIEWER with a FORBIDDEN error naming ADMIN, and to an ADMIN with the list', async () => {
    for (const field of ADMIN_QUERIES) {
      const query = `{ ${field}(first: 10) { edges { node { id } } } }`;
      for (const role of ['SUPERVISOR', 'VIEWER'] as const) {
        const response = await server.current.graphql(query, {}, server.current.tokens[role]);
        expect(response.data, `${field} as ${role}`).toBeNull();
        expect(response.errors, `${field} as ${role}`).toEqual([
          expect.objectContaining({ message: expect.stringContaining('ADMIN role'), extensions: { code: 'FORBIDDEN' } }),
        ]);
      }
      const admin = await server.current.graphql(query);
      expect(admin.errors, field).toBeUndefined();
      expect(admin.data?.[field], field).toEqual({ edges: expect.any(Array) });
    }
  });
});
