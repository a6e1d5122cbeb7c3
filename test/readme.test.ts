import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { postgresAvailable, useServer } from './support/fixture.js';

/** The GraphQL blocks of the README's walk-through section, in order: what a newcomer follows. */
async function walkThrough(): Promise<string[]> {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.split(/^## /m).find((part) => part.startsWith('Walk-through')) ?? '';
  return [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

describe.skipIf(!postgresAvailable)('the README walk-through', () => {
  const server = useServer();

  it('works as written, each step feeding its ids to the next', async () => {
    const operations = await walkThrough();
    expect(operations.length).toBeGreaterThanOrEqual(8);
    const variables: Record<string, string> = {};
    const results: Record<string, { data?: Record<string, unknown> }> = {};
    for (const operation of operations) {
      const response = await server.current.graphql<Record<string, { data?: { id?: string } }>>(operation, variables);
      expect(response.errors, operation).toBeUndefined();
      for (const [field, payload] of Object.entries(response.data ?? {})) {
        results[field] = payload as { data?: Record<string, unknown> };
        const id = payload.data?.id;
        // createPlan's id becomes $planId, createDialList's $dialListId, and so on.
        if (field.startsWith('create') && id) variables[`${field.charAt(6).toLowerCase()}${field.slice(7)}Id`] = id;
      }
    }
    expect(Object.keys(variables).sort()).toEqual(['calendarId', 'campaignId', 'destinationId', 'dialListId', 'planId']);
    expect(results.addMembers?.data).toMatchObject({ received: 2, created: 2, duplicates: 0, failed: 0 });
    expect(results.importMembers?.data).toMatchObject({ received: 3, created: 1, duplicates: 1, failed: 1 });
    expect(results.setCampaignStatus?.data).toMatchObject({ status: 'STARTING' });
    const campaigns = results.campaigns as unknown as { edges: { node: { dialList: { memberCount: number } } }[] };
    expect(campaigns.edges[0]?.node.dialList.memberCount).toBe(3);
    const members = results.members as unknown as { edges: { node: { numbers: { number: string }[] } }[] };
    expect(members.edges.flatMap((e) => e.node.numbers.map((n) => n.number))).toEqual(
      expect.arrayContaining(['1001', '+351210000000', '1002', '1003', '1103', '1203']),
    );
  });
});
