import { OriginateFieldError } from './originateFieldError.js';

// main/manager.c: get_input reads a line into inbuf[1025] and drops it as "too long" when it and its CRLF
// do not fit in 1024 bytes; a message keeps at most AST_MAX_MANHEADERS (128) lines.
const MAX_LINE_BYTES = 1022;
export const MAX_HEADER_LINES = 128;

/** Throws when `Name: value` would be dropped by Asterisk as a line too long. */
export function assertLineFits(field: string, header: string, value: string): void {
  const bytes = Buffer.byteLength(`${header}: ${value}`);
  if (bytes > MAX_LINE_BYTES) {
    throw new OriginateFieldError(field, `${field} makes an AMI line of ${bytes} bytes; Asterisk drops lines over ${MAX_LINE_BYTES}: shorten it`);
  }
}

/** Throws when Asterisk would cut the value short: action_originate copies it into a 256-byte buffer. */
export function assertFitsOriginateBuffer(field: string, value: string): void {
  const bytes = Buffer.byteLength(value);
  if (bytes > 255) throw new OriginateFieldError(field, `${field} is ${bytes} bytes; Asterisk keeps only the first 255 of it: shorten it`);
}
