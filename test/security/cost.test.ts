import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { DEFAULT_PAGE, LIST_SIZE, MAX_OPERATION_COST, operationCost } from '../../src/graphql/cost.js';
import { schema } from '../../src/graphql/schema.js';
import { postgresAvailable, useServer } from '../support/fixture.js';

const cost = (query: string, variables: Record<string, unknown> = {}) => operationCost(schema, parse(query), undefined, variables);

/** dialLists(first: 100), each with members(first: 100), each with its numbers: a million rows asked for at once. */
const MEMBERS_OF_EVERY_LIST = `query($lists: Int, $members: Int) { dialLists(first: $lists) { edges { node { name
  members(first: $members) { edges { node { name numbers { number } } } } } } } }`;

describe('what an operation costs', () => {
  it('counts a field as 1 and multiplies what a connection selects by its page, given or by default, at most 100', () => {
    expect(cost('{ me { name } }')).toBe(2);
    // campaigns, edges, node, name, pageInfo, hasNextPage: the page multiplies edges and pageInfo alike.
    expect(cost('{ campaigns(first: 10) { edges { node { name } } pageInfo { hasNextPage } } }')).toBe(1 + 10 * (1 + 1 + 1 + 1 + 1));
    expect(cost('{ campaigns { edges { node { name } } } }')).toBe(1 + DEFAULT_PAGE * 3);
    expect(cost('{ campaigns(first: 5000) { edges { node { name } } } }')).toBe(1 + 100 * 3);
  });

  it('reads page sizes from the variables the operation was sent with', () => {
    expect(cost(MEMBERS_OF_EVERY_LIST, { lists: 2, members: 3 })).toBe(1 + 2 * (1 + 1 + 1 + 1 + 3 * (1 + 1 + 1 + 1 + LIST_SIZE * 1)));
    expect(cost(MEMBERS_OF_EVERY_LIST, { lists: 100, members: 100 })).toBeGreaterThan(MAX_OPERATION_COST);
  });

  it('counts every alias, and what fragments select where they are spread', () => {
    const aliases = `{ ${Array.from({ length: 50 }, (_, i) => `c${i}: campaigns(first: 100) { edges { node { name } } }`).join(' ')} }`;
    expect(cost(aliases)).toBe(50 * (1 + 100 * 3));
    expect(cost('{ campaigns(first: 2) { edges { node { ...named } } } } fragment named on Campaign { name status }')).toBe(cost('{ campaigns(first: 2) { edges { node { name status } } } }'));
  });

  it('counts nodes(ids) by how many ids it is given, and introspection as 1', () => {
    expect(cost('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ['a', 'b', 'c'] })).toBe(1 + 3 * 1);
    expect(cost('{ __schema { types { name fields { name args { name } } } } }')).toBe(1);
  });
});

describe.skipIf(!postgresAvailable)('the cost limit, over HTTP and graphql-ws', () => {
  const server = useServer();
  const clients: Client[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
  });

  it('refuses an operation over the limit with QUERY_TOO_COSTLY before it runs, and takes the same document with small pages', async () => {
    const refused = await server.current.graphql(MEMBERS_OF_EVERY_LIST, { lists: 100, members: 100 }, server.current.tokens.VIEWER);
    expect(refused.data ?? null).toBeNull();
    expect(refused.errors).toEqual([expect.objectContaining({ message: expect.stringContaining(`the limit is ${MAX_OPERATION_COST}`), extensions: expect.objectContaining({ code: 'QUERY_TOO_COSTLY' }) })]);
    const taken = await server.current.graphql(MEMBERS_OF_EVERY_LIST, { lists: 10, members: 10 }, server.current.tokens.VIEWER);
    expect(taken.errors).toBeUndefined();
    expect(taken.data).toEqual({ dialLists: { edges: [] } });
  });

  it('refuses an alias flood that stays under the token limit', async () => {
    const flood = `{ ${Array.from({ length: 100 }, (_, i) => `c${i}: campaigns(first: 100) { edges { node { name status plan { name } } } }`).join(' ')} }`;
    const refused = await server.current.graphql(flood, {}, server.current.tokens.VIEWER);
    expect(refused.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COSTLY');
  });

  it('refuses the same over graphql-ws, and the socket serves the next operation', async () => {
    const client = createClient({ url: server.current.wsUrl, webSocketImpl: WebSocket, connectionParams: { token: server.current.tokens.VIEWER }, retryAttempts: 0 });
    clients.push(client);
    const refused = await client.iterate({ query: MEMBERS_OF_EVERY_LIST, variables: { lists: 100, members: 100 } }).next();
    expect(refused.value?.errors?.[0]).toMatchObject({ extensions: { code: 'QUERY_TOO_COSTLY' } });
    const next = await client.iterate<{ me: { name: string } }>({ query: '{ me { name } }' }).next();
    expect(next.value?.data).toEqual({ me: { name: 'test VIEWER' } });
  });
});
