/** Frame-level AMI text: what the simulator reads from clients and writes back, as Asterisk 22 lays it out. */

import { FrameSplitter } from '../../frameSplitter.js';

/** One frame's lines in wire order; order matters because clients and tests compare it with real Asterisk. */
export type Fields = readonly (readonly [key: string, value: string])[];

export const BANNER = 'Asterisk Call Manager/11.0.0\r\n';

/** Serialises fields as one frame (CRLF lines, blank line after). */
export function formatFrame(fields: Fields): string {
  let text = '';
  for (const [key, value] of fields) text += `${key}: ${value}\r\n`;
  return `${text}\r\n`;
}

/** A client's action; keys are matched case-insensitively, as Asterisk's astman_get_header does. */
export class ClientAction {
  constructor(readonly fields: Fields) {}

  /** The first value of `key`, or '' (Asterisk treats a missing header as empty). */
  get(key: string): string {
    const wanted = key.toLowerCase();
    return this.fields.find(([name]) => name.toLowerCase() === wanted)?.[1] ?? '';
  }

  /** Every value of a key that may repeat (Variable). */
  all(key: string): string[] {
    const wanted = key.toLowerCase();
    return this.fields.filter(([name]) => name.toLowerCase() === wanted).map(([, value]) => value);
  }

  has(key: string): boolean {
    const wanted = key.toLowerCase();
    return this.fields.some(([name]) => name.toLowerCase() === wanted);
  }

  get name(): string {
    return this.get('Action');
  }

  /** The ActionID line to echo back, or none: Asterisk omits the line when the client sent none. */
  get idFields(): Fields {
    return this.has('ActionID') ? [['ActionID', this.get('ActionID')]] : [];
  }
}

/** Splits a byte stream into actions; tolerates bare-LF line ends as Asterisk's reader does. */
export class ActionReader {
  private readonly frames = new FrameSplitter();

  push(chunk: string): ClientAction[] {
    return this.frames
      .push(chunk)
      .map(parseLines)
      .filter((fields) => fields.length > 0)
      .map((fields) => new ClientAction(fields));
  }
}

function parseLines(text: string): [string, string][] {
  const fields: [string, string][] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    fields.push([line.slice(0, colon).trim(), line.slice(colon + 1).trimStart()]);
  }
  return fields;
}
