import { getNamedType, isUnionType } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/roles.js';
import { mutationFields, operationFor } from '../auth/operations.js';
import { postgresAvailable, useServer } from '../support/fixture.js';

/**
 * The role each mutation needs, written out here and not read from the server: a mutation whose guard is
 * lowered, or a new one nobody placed in this table, fails the suite. ANYONE is login alone.
 */
const REQUIRED_ROLE: Record<string, Role | 'ANYONE'> = {
  login: 'ANYONE',
  logout: 'VIEWER',
  // Campaign configuration and lists.
  createPlan: 'SUPERVISOR',
  updatePlan: 'SUPERVISOR',
  deletePlan: 'SUPERVISOR',
  createDestination: 'SUPERVISOR',
  updateDestination: 'SUPERVISOR',
  deleteDestination: 'SUPERVISOR',
  createCalendar: 'SUPERVISOR',
  updateCalendar: 'SUPERVISOR',
  deleteCalendar: 'SUPERVISOR',
  createDialList: 'SUPERVISOR',
  updateDialList: 'SUPERVISOR',
  deleteDialList: 'SUPERVISOR',
  setDialListBlacklistForAll: 'SUPERVISOR',
  addMembers: 'SUPERVISOR',
  importMembers: 'SUPERVISOR',
  updateMember: 'SUPERVISOR',
  deleteMember: 'SUPERVISOR',
  terminateMember: 'SUPERVISOR',
  settleMember: 'SUPERVISOR',
  cancelBlacklist: 'SUPERVISOR',
  createCampaign: 'SUPERVISOR',
  updateCampaign: 'SUPERVISOR',
  cloneCampaign: 'SUPERVISOR',
  deleteCampaign: 'SUPERVISOR',
  setCampaignStatus: 'SUPERVISOR',
  setCampaignBoost: 'SUPERVISOR',
  addCampaignBlacklist: 'SUPERVISOR',
  removeCampaignBlacklist: 'SUPERVISOR',
  startCampaignList: 'SUPERVISOR',
  pauseCampaignList: 'SUPERVISOR',
  createDisposition: 'SUPERVISOR',
  // Calls the dialer places, previews and call results.
  addCall: 'SUPERVISOR',
  cancelScheduledCall: 'SUPERVISOR',
  reserveCall: 'SUPERVISOR',
  dialReservedCall: 'SUPERVISOR',
  skipReservedCall: 'SUPERVISOR',
  hangupDialing: 'SUPERVISOR',
  setCallStatus: 'SUPERVISOR',
  setCallAttribute: 'SUPERVISOR',
  appendCallAttribute: 'SUPERVISOR',
  clearCallAttributes: 'SUPERVISOR',
  // A supervisor's call control on the PBX.
  originateCall: 'SUPERVISOR',
  hangupChannel: 'SUPERVISOR',
  redirectChannel: 'SUPERVISOR',
  parkCall: 'SUPERVISOR',
  spyOnChannel: 'SUPERVISOR',
  addQueueMember: 'SUPERVISOR',
  pauseQueueMember: 'SUPERVISOR',
  removeQueueMember: 'SUPERVISOR',
  logOffAgent: 'SUPERVISOR',
  // The installation: people, credentials, PBXs, the dialer, rules that apply to every campaign, data leaving it.
  createUser: 'ADMIN',
  updateUser: 'ADMIN',
  createApiToken: 'ADMIN',
  revokeApiToken: 'ADMIN',
  createPbxServer: 'ADMIN',
  updatePbxServer: 'ADMIN',
  deletePbxServer: 'ADMIN',
  createTrunk: 'ADMIN',
  updateTrunk: 'ADMIN',
  deleteTrunk: 'ADMIN',
  startDialerEngine: 'ADMIN',
  stopDialerEngine: 'ADMIN',
  createRescheduleRule: 'ADMIN',
  updateRescheduleRule: 'ADMIN',
  deleteRescheduleRule: 'ADMIN',
  moveRescheduleRule: 'ADMIN',
  createWebhook: 'ADMIN',
  updateWebhook: 'ADMIN',
  deleteWebhook: 'ADMIN',
};

const ROLES: readonly Role[] = ['VIEWER', 'SUPERVISOR', 'ADMIN'];
const FORBIDDEN = '__typename ... on ForbiddenError { requiredRole message }';
const ADMIN_QUERIES = ['users', 'apiTokens', 'auditLog'];

type Outcome = { __typename: string; requiredRole?: string; message?: string } | { errors: unknown };

describe.skipIf(!postgresAvailable)('the role each mutation needs, checked as each role', () => {
  const server = useServer();
  const guarded = mutationFields(['login']);

  /** What each guarded mutation answers `role`, called with placeholder arguments. */
  async function mutationOutcomes(role: Role): Promise<Record<string, Outcome>> {
    const outcomes: Record<string, Outcome> = {};
    for (const field of guarded) {
      // A field no role below it can be refused (logout, open to every VIEWER) has no ForbiddenError to select.
      const result = getNamedType(field.type);
      const refusable = isUnionType(result) && result.getTypes().some((type) => type.name === 'ForbiddenError');
      const { query, variables } = operationFor('mutation', field, refusable ? FORBIDDEN : '__typename');
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

  it('places every mutation of the schema in the table, and nothing else', () => {
    expect(Object.keys(REQUIRED_ROLE).sort()).toEqual(mutationFields().map((field) => field.name).sort());
  });

  it('lets no role start a campaign through an intake\'s autoRun that could not start it with setCampaignStatus', () => {
    const rank = (mutation: string) => ROLES.indexOf(REQUIRED_ROLE[mutation] as Role);
    expect(rank('addMembers')).toBeGreaterThanOrEqual(rank('setCampaignStatus'));
    expect(rank('importMembers')).toBeGreaterThanOrEqual(rank('setCampaignStatus'));
  });

  it('refuses each role below the one a mutation needs with a ForbiddenError naming it, and lets the role itself through', async () => {
    const answers: Record<string, Record<Role, string>> = {};
    const expected: Record<string, Record<Role, string>> = {};
    const byRole = Object.fromEntries(await Promise.all(ROLES.map(async (role) => [role, await mutationOutcomes(role)] as const))) as Record<Role, Record<string, Outcome>>;
    for (const field of guarded) {
      const needed = REQUIRED_ROLE[field.name] as Role;
      const neededRank = ROLES.indexOf(needed);
      answers[field.name] = Object.fromEntries(
        ROLES.map((role) => {
          const outcome = byRole[role][field.name];
          const refusal = outcome && '__typename' in outcome && outcome.__typename === 'ForbiddenError' ? `refused, needs ${outcome.requiredRole}` : 'errors' in (outcome ?? {}) ? 'failed' : 'let through';
          return [role, refusal];
        }),
      ) as Record<Role, string>;
      expected[field.name] = Object.fromEntries(ROLES.map((role, rank) => [role, rank < neededRank ? `refused, needs ${needed}` : 'let through'])) as Record<Role, string>;
    }
    expect(answers).toEqual(expected);
  });

  it('changes nothing when a VIEWER calls every mutation, but the audit log of the refusals', async () => {
    const before = await tableCounts();
    await mutationOutcomes('VIEWER');
    expect(await tableCounts()).toEqual({ ...before, AuditEntry: (before.AuditEntry ?? 0) + guarded.length });
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
