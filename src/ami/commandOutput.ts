import type { AmiMessage } from './message.js';

const FOLLOWS_HEADER = /^(Response|Privilege|ActionID|Message): /i;

/**
 * The CLI output lines of a Command response. Asterisk 22 answers `Response: Success` with one `Output:`
 * header per line; Asterisk before 14 answered `Response: Follows` with raw text, which the package hands
 * over as `content` (headers first, `--END COMMAND--` already removed).
 */
export function commandOutput(response: AmiMessage): string[] {
  const output = response.output;
  if (typeof output === 'string') return [output];
  if (Array.isArray(output)) return [...(output as readonly string[])];
  const content = response.content;
  if (typeof content !== 'string') return [];
  const lines = content.split('\n');
  while (lines.length > 0 && FOLLOWS_HEADER.test(lines[0] ?? '')) lines.shift();
  return lines;
}
