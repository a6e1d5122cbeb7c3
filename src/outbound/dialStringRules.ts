/**
 * Where a stored dial string may send a call: a technology, then names (an endpoint, a context), never a URI,
 * a port or an address. The plan's and the trunk's dial strings are the places the PBX is told where to dial,
 * so none may point it at a private network address, however its endpoints are set up: a destination reached
 * by URI is an endpoint (its contact) in the PBX's own configuration, dialed by name.
 */

const ENDPOINT_NAME = /^[A-Za-z0-9_.-]{1,80}$/;
const DIAL_STRING = /^[A-Za-z][A-Za-z0-9_]*\/[A-Za-z0-9_.+*#@{}/-]+$/;
const IPV4_LITERAL = /(^|[@/])\d{1,3}(\.\d{1,3}){3}($|[@/])/;
const PLACEHOLDER = /\{[^}]*\}/g;

/** Why a dial string template is refused, or null: it must hold {number}, no other placeholder than `allowed`, and only names. */
export function dialStringTemplateProblem(template: string, allowed: readonly string[]): string | null {
  const unknown = (template.match(PLACEHOLDER) ?? []).find((placeholder) => placeholder !== '{number}' && !allowed.includes(placeholder));
  if (unknown !== undefined) {
    const known = allowed.length === 0 ? 'the {number} placeholder' : `the ${['{number}', ...allowed].slice(0, -1).join(', ')} and ${allowed.at(-1)} placeholders`;
    return `may use only ${known}, not ${unknown}`;
  }
  if (!template.includes('{number}')) return 'must contain {number}';
  // {tech} and {trunk} are checked on their own (a technology, an endpoint name): here they stand for such names.
  const shape = template.replaceAll('{tech}', 'TECH').replaceAll('{trunk}', 'trunk');
  if (!DIAL_STRING.test(shape)) return "must be TECH/resource of letters, digits and _ . + * # @ / - (no ':', spaces, commas or quotes), e.g. PJSIP/{number}@carrier or Local/{number}@outbound";
  if (IPV4_LITERAL.test(shape)) return 'must name an endpoint or a context, not an address';
  return null;
}

/** Why an endpoint (or trunk) name is refused, or null: a name, never an address. */
export function endpointNameProblem(name: string): string | null {
  return !ENDPOINT_NAME.test(name) || IPV4_LITERAL.test(`@${name}`) ? 'must be the name of an endpoint (letters, digits, _ . -), not an address' : null;
}
