import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { parseStreamingMultipart, tooLarge } from './uploads.js';

/** JSON bodies above this are refused: member files go as multipart uploads. */
export const MAX_JSON_BODY_BYTES = 4 * 1024 * 1024;
/** Multipart uploads (member files) above this are refused: a million members is about 60 MB. */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

export type BodyLimits = { jsonBytes: number; uploadBytes: number };

export const DEFAULT_BODY_LIMITS: BodyLimits = { jsonBytes: MAX_JSON_BODY_BYTES, uploadBytes: MAX_UPLOAD_BYTES };

const WHOLE_NUMBER = /^\d+$/;

type FetchAPI = { Request: typeof Request; TransformStream: typeof TransformStream };

function isMultipart(request: Request): boolean {
  return request.method === 'POST' && (request.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data');
}

/** request with a body that fails with a 413 once more than limit bytes have come: counted as they arrive, chunked or not. */
function counted(request: Request, limit: number, fetchAPI: FetchAPI): Request {
  if (!request.body) return request;
  let received = 0;
  // A body of the platform's own streams goes through the platform's TransformStream, a ponyfilled one through the ponyfill's.
  const Transform = request.body instanceof ReadableStream ? TransformStream : fetchAPI.TransformStream;
  const body = request.body.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.byteLength;
        if (received > limit) controller.error(tooLarge(`Request body over ${limit} bytes: send member files as a multipart upload`));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, { method: request.method, headers: request.headers, signal: request.signal, body, duplex: 'half' } as RequestInit);
}

/**
 * Request bodies within their limits, as they stream in: a declared length over the limit is refused before
 * anything is read, and an undeclared one (chunked) when its bytes pass it. JSON and every other body up
 * to jsonBytes; a multipart upload streamed to its resolver up to uploadBytes. (What is left unread of a
 * refused body is the HTTP server's to drop, with the connection.)
 */
export function bodyLimits(limits: BodyLimits): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const multipart = isMultipart(request);
      // A multipart body is the file plus its operations and map parts.
      const limit = multipart ? limits.uploadBytes + 2 * limits.jsonBytes : limits.jsonBytes;
      const length = request.headers.get('content-length');
      if (length !== null) {
        if (!WHOLE_NUMBER.test(length)) {
          throw new GraphQLError('Content-Length must be a whole number of bytes', { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
        }
        if (Number(length) > limit) throw tooLarge(`Request body over ${limit} bytes`);
      }
      if (multipart) {
        setRequestParser((parsed) => parseStreamingMultipart(parsed, { fieldBytes: limits.jsonBytes, fileBytes: limits.uploadBytes }));
      } else if (requestParser && request.body) {
        setRequestParser((parsed) => requestParser(counted(parsed, limits.jsonBytes, fetchAPI)));
      }
    },
  };
}
