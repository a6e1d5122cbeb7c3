import { Readable } from 'node:stream';
import { Busboy, type BusboyFileStream } from '@fastify/busboy';
import { GraphQLError } from 'graphql';
import type { GraphQLParams } from 'graphql-yoga';
import { ValidationError } from '../errors.js';

/** What the operations and map parts of a multipart request may weigh (fieldBytes), and its file. */
export type UploadLimits = { fieldBytes: number; fileBytes: number };

/**
 * A file of a GraphQL multipart request, read as it arrives: its bytes are the request's own, so a 500 MB
 * member file is never held whole. It can be read once. Past the limit it fails with a ValidationError on
 * `file`, and what was read of it is to be thrown away.
 */
export class StreamedUpload {
  private read = false;

  constructor(
    private readonly stream: BusboyFileStream,
    readonly name: string,
    readonly type: string,
    private readonly maxBytes: number,
  ) {}

  async *chunks(): AsyncGenerator<Buffer> {
    if (this.read) throw ValidationError.of('file', 'was already read: send it again');
    this.read = true;
    for await (const chunk of this.stream) yield chunk as Buffer;
    // Busboy stops at the limit and ends the stream with this flag set.
    if (this.stream.truncated) throw ValidationError.of('file', `is over ${this.maxBytes} bytes: split it`);
  }
}

function badRequest(message: string): GraphQLError {
  return new GraphQLError(`Multipart request: ${message}`, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
}

export function tooLarge(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'PAYLOAD_TOO_LARGE', http: { status: 413 } } });
}

function parseJsonPart(name: string, value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw badRequest(`the ${name} part is not JSON`);
  }
}

/** Puts value at a map path such as `variables.file` or `variables.files.0`, as the multipart spec says. */
function place(operations: Record<string, unknown>, path: string, value: StreamedUpload): void {
  const keys = path.split('.');
  let target: unknown = operations;
  for (const key of keys.slice(0, -1)) {
    target = (target as Record<string, unknown> | null)?.[key];
    if (target === null || typeof target !== 'object') throw badRequest(`map path ${path} does not name a variable`);
  }
  (target as Record<string, unknown>)[keys[keys.length - 1] as string] = value;
}

/**
 * Parses a GraphQL multipart request (operations, map, then one file) as it streams in: the parameters are
 * ready when the file part begins, with a StreamedUpload in its variable, while the file itself is still
 * arriving. One file per request: the only upload the API takes is importMembers' file.
 */
export function parseStreamingMultipart(request: Request, limits: UploadLimits): Promise<GraphQLParams> {
  return new Promise<GraphQLParams>((resolve, reject) => {
    if (!request.body) return reject(badRequest('no body'));
    let settled = false;
    let operations: Record<string, unknown> | undefined;
    let map: Record<string, unknown> | undefined;
    let current: BusboyFileStream | undefined;
    // Readable.from, not fromWeb: on Node the body may be whatwg-node's ponyfilled stream, which is async-iterable too.
    const source = Readable.from(request.body as unknown as AsyncIterable<Uint8Array>, { objectMode: false });
    const busboy = Busboy({
      headers: { 'content-type': request.headers.get('content-type') ?? '' },
      limits: { fieldSize: limits.fieldBytes, fields: 2, files: 1, parts: 3, fileSize: limits.fileBytes },
    });
    const fail = (error: unknown) => {
      current?.destroy(error instanceof Error ? error : new Error(String(error)));
      if (settled) return;
      settled = true;
      // Not destroyed: that would cut the connection before the answer. The HTTP server closes it after.
      source.unpipe(busboy);
      reject(error instanceof GraphQLError ? error : badRequest(error instanceof Error ? error.message : String(error)));
    };
    busboy.on('field', (name, value, _nameTruncated, valueTruncated) => {
      try {
        if (valueTruncated) throw tooLarge(`The ${name} part is over ${limits.fieldBytes} bytes`);
        if (name !== 'operations' && name !== 'map') throw badRequest(`unexpected part ${name}: send operations, map, then the file`);
        const parsed = parseJsonPart(name, value);
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw badRequest(`${name} must be a JSON object (one operation)`);
        if (name === 'operations') operations = parsed as Record<string, unknown>;
        else map = parsed as Record<string, unknown>;
      } catch (error) {
        fail(error);
      }
    });
    busboy.on('file', (name, stream, filename, _encoding, mimeType) => {
      current = stream;
      try {
        if (!operations || !map) throw badRequest('operations and map must come before the file');
        const paths = map[name];
        if (!Array.isArray(paths) || paths.length === 0) throw badRequest(`map names no variable for the part ${name}`);
        const upload = new StreamedUpload(stream, filename, mimeType, limits.fileBytes);
        for (const path of paths) {
          if (typeof path !== 'string') throw badRequest('map paths must be strings');
          place(operations, path, upload);
        }
        settled = true;
        resolve(operations as GraphQLParams);
      } catch (error) {
        stream.resume();
        fail(error);
      }
    });
    busboy.on('filesLimit', () => fail(badRequest('one file per request')));
    busboy.on('fieldsLimit', () => fail(badRequest('only the operations and map parts besides the file')));
    busboy.on('partsLimit', () => fail(badRequest('too many parts')));
    busboy.on('error', fail);
    source.on('error', fail);
    busboy.on('finish', () => {
      if (settled) return;
      if (!operations) return fail(badRequest('no operations part'));
      if (map && Object.keys(map).length > 0) return fail(badRequest('the map names a file that never came'));
      settled = true;
      resolve(operations as GraphQLParams);
    });
    source.pipe(busboy);
  });
}
