import { StringDecoder } from 'node:string_decoder';

/** Text is handed on in pieces of about this size, so no step holds more than a piece's worth of rows. */
const PIECE_CHARS = 64 * 1024;

export type TextSource = AsyncIterable<Buffer | string> | string;

function* pieces(text: string): Generator<string> {
  if (text.length <= PIECE_CHARS) {
    if (text.length > 0) yield text;
    return;
  }
  for (let start = 0; start < text.length; start += PIECE_CHARS) yield text.slice(start, start + PIECE_CHARS);
}

/** Decodes a source (one string, or chunks of UTF-8 bytes or text) into text pieces, without a leading BOM. */
export async function* textChunks(source: TextSource): AsyncGenerator<string> {
  let first = true;
  const stripBom = (text: string) => {
    if (!first || text.length === 0) return text;
    first = false;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  };
  if (typeof source === 'string') {
    yield* pieces(stripBom(source));
    return;
  }
  // StringDecoder keeps a character split across two chunks whole.
  const decoder = new StringDecoder('utf8');
  for await (const chunk of source) {
    yield* pieces(stripBom(typeof chunk === 'string' ? chunk : decoder.write(chunk)));
  }
  yield* pieces(stripBom(decoder.end()));
}

/**
 * Reads text until the first line that is not blank, and hands it back with the rest of the source still
 * unread, so the caller can decide how to parse before it parses anything.
 */
export async function peekFirstLine(
  chunks: AsyncIterator<string>,
  maxChars: number,
): Promise<{ line: string | null; buffered: string }> {
  let buffered = '';
  let from = 0;
  for (;;) {
    let newline = buffered.indexOf('\n', from);
    while (newline !== -1) {
      const line = buffered.slice(from, newline);
      if (line.trim().length > 0) return { line: line.replace(/\r$/, ''), buffered };
      from = newline + 1;
      newline = buffered.indexOf('\n', from);
    }
    if (buffered.length - from > maxChars) return { line: buffered.slice(from, from + maxChars), buffered };
    const next = await chunks.next();
    if (next.done) {
      const line = buffered.slice(from);
      return { line: line.trim().length > 0 ? line.replace(/\r$/, '') : null, buffered };
    }
    buffered += next.value;
  }
}

/** Yields `first` and then the rest of `chunks`. */
export async function* prepend(first: string, chunks: AsyncIterator<string>): AsyncGenerator<string> {
  if (first.length > 0) yield first;
  for (;;) {
    const next = await chunks.next();
    if (next.done) return;
    yield next.value;
  }
}
