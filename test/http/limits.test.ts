import { describe, expect, it } from 'vitest';
import { MAX_QUERY_DEPTH, MAX_QUERY_TOKENS } from '../../src/graphql/limits.js';
import { MAX_JSON_BODY_BYTES } from '../../src/graphql/bodyLimits.js';
import { postgresAvailable, useServer } from '../support/fixture.js';

describe.skipIf(!postgresAvailable)('request limits', () => {
  const server = useServer();

  it('refuses a query nested deeper than the limit before running it', async () => {
    let selection = 'id';
    for (let level = 0; level < MAX_QUERY_DEPTH; level++) selection = `nextCampaign { ${selection} }`;
    const deep = `{ campaigns(first: 1) { edges { node { ${selection} } } } }`;
    const response = await server.current.graphql(deep);
    expect(response.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_DEEP');
    expect(response.data).toBeUndefined();
  });

  it('refuses a document with too many tokens before parsing all of it', async () => {
    const wide = `{ ${Array.from({ length: MAX_QUERY_TOKENS }, (_, index) => `a${index}: __typename`).join(' ')} }`;
    const response = await server.current.graphql(wide);
    expect(response.errors?.[0]?.message).toMatch(/Document contains more (than|that) 10000 tokens/);
    expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  const post = (body: unknown) =>
    fetch(server.current.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.current.tokens.ADMIN}` },
      body: JSON.stringify(body),
    });

  it('refuses a NUL or another control character in any variable or literal with a typed 400, before anything runs', async () => {
    const inVariables = await post({
      query: 'mutation($input: CreateDialListInput!) { createDialList(input: $input) { __typename } }',
      variables: { input: { name: 'list\u0000name' } },
    });
    expect(inVariables.status).toBe(400);
    expect(await inVariables.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT', field: 'variables.input.name' } }] });
    const inFilter = await post({ query: 'query($name: String) { destinations(first: 1, filter: { name: $name }) { edges { cursor } } }', variables: { name: '\u001b[2J' } });
    expect(inFilter.status).toBe(400);
    const inLiteral = await post({ query: '{ destinations(first: 1, filter: { name: "a\\u0000b" }) { edges { cursor } } }' });
    expect(await inLiteral.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
    // Tabs and line breaks are text, not control: a multi-line detail is fine.
    const multiline = await post({ query: 'query($name: String) { destinations(first: 1, filter: { name: $name }) { edges { cursor } } }', variables: { name: 'a\tb\nc' } });
    expect(multiline.status).toBe(200);
  });

  it('refuses a literal nested thousands deep as a request error, not a stack overflow', async () => {
    const response = await post({ query: `{ destinations(first: 1, filter: { name: ${'['.repeat(4_900)}"x"${']'.repeat(4_900)} }) { edges { cursor } } }` });
    expect(response.status).toBeLessThan(500);
    const body = (await response.json()) as { data?: unknown; errors: { message: string; extensions: { code: string } }[] };
    expect(body.data).toBeUndefined();
    expect(body.errors[0]).toMatchObject({ message: expect.stringContaining('nests lists and objects'), extensions: { code: 'QUERY_TOO_DEEP' } });
  });

  it('accepts a query of ordinary depth', async () => {
    const response = await server.current.graphql('{ campaigns(first: 1) { edges { node { plan { name } dialList { name } } } } }');
    expect(response.errors).toBeUndefined();
  });

  it('refuses an oversize JSON body with 413 and a clear error', async () => {
    const response = await fetch(server.current.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.current.tokens.ADMIN}` },
      body: JSON.stringify({ query: `{ me { name } }`, variables: { pad: 'x'.repeat(MAX_JSON_BODY_BYTES) } }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
  });

  it('answers GET /health with each dependency and its latency', async () => {
    const response = await fetch(server.current.url.replace('/graphql', '/health'));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, checks: [{ name: 'database', ok: true }] });
  });
});
