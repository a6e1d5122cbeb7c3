import { describe, expect, it } from 'vitest';
import { postgresAvailable, resultOf, success, useServer } from '../support/fixture.js';
import { operationFor, queryFields, UNKNOWN_ID } from './operations.js';

const ADMIN_QUERIES = ['users', 'apiTokens', 'auditLog'];

describe.skipIf(!postgresAvailable)('reads: a VIEWER (wallboard) reads everything but users and tokens', () => {
  const server = useServer();

  it('lets a VIEWER run every query except users, apiTokens and auditLog without being refused', async () => {
    const refusals: Record<string, unknown> = {};
    for (const field of queryFields(ADMIN_QUERIES)) {
      const { query, variables } = operationFor('query', field);
      const response = await server.current.graphql(query, variables, server.current.tokens.VIEWER);
      const codes = (response.errors ?? []).map((error) => error.extensions?.code);
      if (response.status !== 200 || codes.includes('UNAUTHENTICATED') || codes.includes('FORBIDDEN')) {
        refusals[field.name] = response.errors ?? response.status;
      }
    }
    expect(refusals).toEqual({});
  });

  it('shows a VIEWER what others created, its own identity and the server health', async () => {
    const plan = success<{ id: string }>(
      (await server.current.graphql(`mutation { createPlan(input: { name: "Visible plan" }) { ${resultOf('CreatePlanSuccess', 'id')} } }`))
        .data,
      'createPlan',
    );
    const { status, data, errors } = await server.current.graphql(
      `query($id: ID!) { plans(first: 50) { edges { node { id name } } } campaigns(first: 5) { edges { node { id } } }
        node(id: $id) { ... on Plan { name } } me { role } health { ok } }`,
      { id: plan.id },
      server.current.tokens.VIEWER,
    );
    expect(errors).toBeUndefined();
    expect(status).toBe(200);
    expect(data).toEqual({
      plans: { edges: [{ node: { id: plan.id, name: 'Visible plan' } }] },
      campaigns: { edges: [] },
      node: { name: 'Visible plan' },
      me: { role: 'VIEWER' },
      health: { ok: true },
    });
  });

  it('answers node with null, not an error, for a well-formed id of something that does not exist', async () => {
    const response = await server.current.graphql(`query($id: ID!) { node(id: $id) { id } }`, { id: UNKNOWN_ID }, server.current.tokens.VIEWER);
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ node: null });
  });
});
