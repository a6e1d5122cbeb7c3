/**
 * One AMI message (a response or an event), keyed as the asterisk-manager package keys them: lower case,
 * spaces removed; a key seen twice keeps every value in order; Variable and ChanVariable lines become
 * name -> value maps. The adapter and the transcript reader both produce exactly this shape.
 */
export type AmiMessage = {
  readonly [key: string]: string | readonly string[] | Readonly<Record<string, string>> | undefined;
};

/** An AMI event: a message with its `event` name. */
export type AmiEvent = AmiMessage & { readonly event: string };

const VARIABLE_KEYS = new Set(['variable', 'chanvariable']);

/** Parses the text of one frame (lines ended by CRLF or, as Asterisk 22 sometimes sends, a bare LF). */
export function parseFrame(text: string): AmiMessage {
  const message: Record<string, string | string[] | Record<string, string>> = {};
  for (const line of text.split(/\r?\n/)) {
    if (line === '') continue;
    const colon = line.indexOf(': ');
    const key = (colon === -1 ? line.replace(/:$/, '') : line.slice(0, colon)).replace(/\s/g, '').toLowerCase();
    const value = colon === -1 ? '' : line.slice(colon + 2);
    if (VARIABLE_KEYS.has(key)) {
      const variables = (message[key] ??= {}) as Record<string, string>;
      const equals = value.indexOf('=');
      variables[equals === -1 ? value : value.slice(0, equals)] = equals === -1 ? '' : value.slice(equals + 1);
      continue;
    }
    const previous = message[key];
    if (previous === undefined) message[key] = value;
    else if (Array.isArray(previous)) previous.push(value);
    else message[key] = [previous as string, value];
  }
  return message;
}

/** A field's single value: the first when the key was repeated, '' when absent. */
export function field(message: AmiMessage, key: string): string {
  const value = message[key];
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value[0] ?? '';
  return '';
}

export function isEvent(message: AmiMessage): message is AmiEvent {
  return typeof message.event === 'string';
}
