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
    const unplaced = (node) => context.report({ node, message: `src/${from} is in no layer: give it its arrows in eslint.layers.js and ARCHITECTURE.md` });
    const check = (node) => {
      const source = node.source;
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
      const toRelative = path.relative(src, path.resolve(path.dirname(file), source.value));
      if (toRelative.startsWith('..')) {
        context.report({ node: source, message: `src/ imports nothing outside it: ${source.value}` });
        return;
      }
      const to = partOf(toRelative);
      if (to === from || to === 'core' || allowed === undefined) return;
      if (allowed !== '*' && !allowed.includes(to)) {
        context.report({ node: source, message: `${from} must not import ${to} (ARCHITECTURE.md): ${from} may import ${allowed.length > 0 ? allowed.join(', ') : 'only the core'}` });
      }
    };
    return {
      Program: (node) => allowed === undefined && unplaced(node),
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export const layers = { rules: { arrows } };
