// The arrows of ARCHITECTURE.md, enforced: which part of src/ may import which. A part is a folder of src/;
// the files at the root of src/ are the core (every part may use them), but main.ts, config.ts and api.ts, which
// wire the parts together. metrics/ (the counters every part keeps) and generated/ (the Prisma client) are core too.
import path from 'node:path';

/** What each part may import, besides itself and the core. Keep it in step with ARCHITECTURE.md. */
export const ARROWS = {
  db: [],
  ami: [],
  auth: ['db'],
  outbound: ['db'],
  live: ['ami'],
  pbx: ['ami', 'db'],
  webhooks: ['db'],
  retention: ['db'],
  audit: ['auth', 'db'],
  bus: ['auth', 'live', 'outbound'],
  reports: ['auth', 'db', 'live', 'outbound'],
  supervisor: ['ami', 'outbound', 'pbx'],
  dialer: ['ami', 'bus', 'db', 'live', 'outbound', 'webhooks'],
  http: ['auth', 'db'],
  graphql: ['audit', 'auth', 'bus', 'db', 'dialer', 'live', 'outbound', 'pbx', 'reports', 'supervisor', 'webhooks'],
  api: ['auth', 'graphql', 'http', 'reports'],
  config: ['auth', 'outbound', 'webhooks'],
  main: '*',
};

/**
 * Arrows inside a part: what each of its folders may import besides itself. The files at the part's root wire
 * its folders together and may import them all; no folder imports them back.
 */
export const INNER_ARROWS = {
  'ami/simulator': { protocol: [], model: ['protocol'], calls: ['model', 'protocol'], actions: ['calls', 'model', 'protocol'] },
};

const CORE_FOLDERS = new Set(['metrics', 'generated']);

/** The part a file of src/ belongs to, from its path relative to src/. */
function partOf(relative) {
  const [first, ...rest] = relative.split(path.sep);
  if (rest.length === 0) {
    const name = first.replace(/\.[jt]s$/, '');
    return ['main', 'config', 'api'].includes(name) ? name : 'core';
  }
  return CORE_FOLDERS.has(first) ? 'core' : first;
}

/** The folder of `base` a file of src/ is in: its first folder under `base`, or 'root' for a file at `base`'s root. */
function innerPartOf(base, relative) {
  const rest = path.relative(base, relative).split(path.sep);
  return rest.length === 1 ? 'root' : rest[0];
}

/** The part with inner arrows a file of src/ is inside, and its folder there; undefined for any other file. */
function innerPlace(relative) {
  const base = Object.keys(INNER_ARROWS).find((candidate) => relative.startsWith(candidate + path.sep));
  return base === undefined ? undefined : { base, folder: innerPartOf(base, relative) };
}

/** The complaint about an import from `fromRelative` to `toRelative` against INNER_ARROWS, if any. */
function innerComplaint(fromRelative, toRelative) {
  const from = innerPlace(fromRelative);
  const to = innerPlace(toRelative);
  if (from === undefined || to === undefined || from.base !== to.base || from.folder === 'root' || from.folder === to.folder) return undefined;
  const allowed = INNER_ARROWS[from.base][from.folder];
  if (allowed === undefined || allowed.includes(to.folder)) return undefined;
  const target = to.folder === 'root' ? path.basename(toRelative) : to.folder;
  return `${from.base}/${from.folder} must not import ${from.base}/${target} (ARCHITECTURE.md): ${from.folder} may import ${allowed.length > 0 ? allowed.join(', ') : 'only itself'}`;
}

/** Whether a file is in a folder of a part with inner arrows that has none of its own. */
function innerUnplaced(relative) {
  const place = innerPlace(relative);
  return place !== undefined && place.folder !== 'root' && INNER_ARROWS[place.base][place.folder] === undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
const arrows = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports inside src/ follow the arrows of ARCHITECTURE.md' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const src = path.join(context.cwd, 'src');
    const fromRelative = path.relative(src, file);
    if (fromRelative.startsWith('..')) return {};
    const from = partOf(fromRelative);
    const allowed = from === 'core' ? [] : ARROWS[from];
    const unplaced = (node, folder) => context.report({ node, message: `src/${folder} is in no layer: give it its arrows in eslint.layers.js and ARCHITECTURE.md` });
    const check = (node) => {
      const source = node.source;
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
      const toRelative = path.relative(src, path.resolve(path.dirname(file), source.value));
      if (toRelative.startsWith('..')) {
        context.report({ node: source, message: `src/ imports nothing outside it: ${source.value}` });
        return;
      }
      const inner = innerComplaint(fromRelative, toRelative);
      if (inner !== undefined) context.report({ node: source, message: inner });
      const to = partOf(toRelative);
      if (to === from || to === 'core' || allowed === undefined) return;
      if (allowed !== '*' && !allowed.includes(to)) {
        context.report({ node: source, message: `${from} must not import ${to} (ARCHITECTURE.md): ${from} may import ${allowed.length > 0 ? allowed.join(', ') : 'only the core'}` });
      }
    };
    return {
      Program: (node) => {
        if (allowed === undefined) unplaced(node, from);
        else if (innerUnplaced(fromRelative)) unplaced(node, path.dirname(fromRelative));
      },
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export const layers = { rules: { arrows } };
