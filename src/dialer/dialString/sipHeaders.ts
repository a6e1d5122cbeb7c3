import type { DialList, Member } from '../../generated/prisma/client.js';
import { variableMap } from './channelVariables.js';
import { OriginateFieldError } from './originateFieldError.js';

/** Whether the text holds a control character a SIP header value cannot (RFC 3261 allows the horizontal tab only). */
function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return true;
  }
  return false;
}

/**
 * The member's and its list's variables (the member's winning on a shared name) as SIP headers of the call,
 * jade's UUI delivery: each as an Originate Variable writing PJSIP_HEADER(add,X-<name>) on the new PJSIP
 * channel before its INVITE goes out, so the far end (a CRM, an SBC) gets the call's context. Variable names are
 * letters, digits and _ (checked when stored), all SIP token characters; a value is refused, naming the
 * variable, when a control character would end or corrupt the header.
 */
export function sipHeaderVariables(sources: { dialList: Pick<DialList, 'variables'>; member: Pick<Member, 'variables'> }): Record<string, string> {
  const context = { ...variableMap('dialList', sources.dialList.variables), ...variableMap('member', sources.member.variables) };
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(context)) {
    if (hasControlCharacter(value)) throw new OriginateFieldError(`Variable.${name}`, `the variable ${name} holds a control character, which a SIP header (X-${name}) cannot carry`);
    headers[`PJSIP_HEADER(add,X-${name})`] = value;
  }
  return headers;
}
