import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_BODY_BYTES } from '../../src/graphql/bodyLimits.js';
import { createPostgresDatabase } from '../support/database.js';
import { postgresAvailable, resultOf, success } from '../support/fixture.js';
import { startTestServer, type TestServer } from '../support/server.js';

type Body = { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };

/** A body sent in chunks with no Content-Length, as a client streaming it would: size counted only as it arrives. */
function chunked(parts: number, part: () => Uint8Array): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent++ < parts) controller.enqueue(part());
      else controller.close();
    },
  });
}

const IMPORT = `mutation($id: ID!, $file: File) { importMembers(dialListId: $id, file: $file, input: { format: UCONTACT }) {
  ${resultOf('ImportMembersSuccess', 'received created failed')} } }`;

/** One member line of the uContact format, about 100 KB: as many variables as a member may have, each as long as it may be. */
function memberLine(index: number): string {
  const variables = Array.from({ length: 100 }, (_, variable) => `V${variable}=${'x'.repeat(1000)}`).join(':');
  return `bulk;${5_550_000_000 + index};${variables}\n`;
}

describe.skipIf(!postgresAvailable)('request bodies within their limits, chunked or not', () => {
  let server: TestServer;
  /** The same API with 1 MB uploads, to cross the upload limit without sending 512 MB. */
  let small: TestServer;

  beforeAll(async () => {
    if (!postgresAvailable) return;
    const database = await createPostgresDatabase();
    server = await startTestServer(database);
    small = await startTestServer(database, { bodyLimits: { jsonBytes: MAX_JSON_BODY_BYTES, uploadBytes: 1024 * 1024 } });
  });
  afterAll(async () => {
    if (!server) return;
    await Promise.all([server.close(), small.close()]);
    await server.database.drop();
  });

  async function dialList(name: string): Promise<string> {
    const { data } = await server.graphql(`mutation($name: String!) { createDialList(input: { name: $name }) { ${resultOf('CreateDialListSuccess', 'id')} } }`, { name });
    return success<{ id: string }>(data, 'createDialList').id;
  }

  /** POSTs a multipart importMembers of `file` (sent chunked), as `token`. */
  async function upload(on: TestServer, listId: string, file: ReadableStream<Uint8Array>, token = on.tokens.SUPERVISOR): Promise<{ status: number; body: Body }> {
    const boundary = 'switchboard-test-boundary';
    const head =
      `--${boundary}\r\ncontent-disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: IMPORT, variables: { id: listId, file: null } })}\r\n` +
      `--${boundary}\r\ncontent-disposition: form-data; name="map"\r\n\r\n${JSON.stringify({ 0: ['variables.file'] })}\r\n` +
      `--${boundary}\r\ncontent-disposition: form-data; name="0"; filename="members.txt"\r\ncontent-type: text/plain\r\n\r\n`;
    const tail = `\r\n--${boundary}--\r\n`;
    const encoder = new TextEncoder();
    const reader = file.getReader();
    let stage: 'head' | 'file' | 'done' = 'head';
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (stage === 'head') {
          stage = 'file';
          controller.enqueue(encoder.encode(head));
          return;
        }
        if (stage === 'done') return controller.close();
        const next = await reader.read();
        if (next.done) {
          stage = 'done';
          controller.enqueue(encoder.encode(tail));
        } else controller.enqueue(next.value);
      },
    });
    const response = await fetch(on.url, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${token}` },
      body,
      duplex: 'half',
    } as RequestInit);
    return { status: response.status, body: (await response.json()) as Body };
  }

  it('refuses a chunked JSON body with 413 PAYLOAD_TOO_LARGE once its bytes pass 4 MB, whatever it declares', async () => {
    const chunk = new TextEncoder().encode(' '.repeat(64 * 1024));
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.tokens.ADMIN}` },
      // 6 MB of white space before any JSON: refused as it streams, never parsed.
      body: chunked(96, () => chunk),
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
  });

  it('refuses an oversize JSON body by its declared length, before reading it', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.tokens.ADMIN}` },
      body: JSON.stringify({ query: '{ me { name } }', variables: { pad: 'x'.repeat(MAX_JSON_BODY_BYTES) } }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
  });

  it('imports a 30 MB member file sent chunked, past what yoga alone would take (25 MB)', async () => {
    const listId = await dialList('Bulk');
    const lines = 300;
    let index = 0;
    const encoder = new TextEncoder();
    const { status, body } = await upload(server, listId, chunked(lines, () => encoder.encode(memberLine(index++))));
    expect(status).toBe(200);
    expect(success(body.data, 'importMembers')).toEqual({ received: lines, created: lines, failed: 0 });
  });

  it('answers an upload over the limit with a ValidationError on file, and imports none of it', async () => {
    const listId = await dialList('Too big');
    let index = 0;
    const encoder = new TextEncoder();
    const { status, body } = await upload(small, listId, chunked(20, () => encoder.encode(memberLine(index++))));
    expect(status).toBe(200);
    expect(body.data?.importMembers).toMatchObject({ __typename: 'ValidationError', problems: [{ field: 'file', message: expect.stringContaining('is over 1048576 bytes') }] });
    expect(await server.database.prisma.member.count({ where: { dialList: { name: 'Too big' } } })).toBe(0);
  });

  it('answers an upload nobody may read at once and throws the file away, so the request ends', async () => {
    const listId = await dialList('Forbidden');
    const encoder = new TextEncoder();
    let index = 0;
    const { body } = await upload(server, listId, chunked(50, () => encoder.encode(memberLine(index++))), server.tokens.VIEWER);
    expect(body.data?.importMembers).toMatchObject({ __typename: 'ForbiddenError' });
    const after = await server.graphql('{ me { name } }');
    expect(after.errors).toBeUndefined();
  });

  it('refuses a File given as a JSON variable, and malformed multipart requests, with typed errors', async () => {
    const listId = await dialList('Not a file');
    const asJson = await server.graphql(IMPORT, { id: listId, file: 'renewals;5551000000' });
    expect(asJson.status).toBe(400);
    expect(asJson.errors?.[0]).toMatchObject({ message: expect.stringContaining('A File is sent as a part of a GraphQL multipart request') });
    const malformed = new FormData();
    malformed.set('operations', '{ not json');
    const response = await fetch(server.url, { method: 'POST', headers: { authorization: `Bearer ${server.tokens.ADMIN}` }, body: malformed });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [{ message: 'Multipart request: the operations part is not JSON', extensions: { code: 'BAD_REQUEST' } }] });
  });
});
