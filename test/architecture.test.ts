import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Linter, type ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
type LayersModule = { ARROWS: Record<string, readonly string[] | '*'>; INNER_ARROWS: Record<string, Record<string, readonly string[]>>; layers: ESLint.Plugin };
// Loaded by its URL: a JavaScript module of the lint setup, outside the TypeScript project.
const { ARROWS, INNER_ARROWS, layers } = (await import(pathToFileURL(path.join(root, 'eslint.layers.js')).href)) as LayersModule;

/** The arrows rule's complaints about `code` as the file `file` of the project. */
function complaints(file: string, code: string): string[] {
  const linter = new Linter({ cwd: root });
  const config = [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, plugins: { layers }, rules: { 'layers/arrows': 'error' as const } }];
  return linter.verify(code, config, { filename: path.join(root, file) }).map((message) => message.message);
}

describe('the arrows of ARCHITECTURE.md, as the lint enforces them', () => {
  it('refuses an import against the arrows, outside src/ or from a folder in no layer, and lets the allowed ones through', () => {
    expect(complaints('src/live/ingest.ts', "import { createBus } from '../bus/bus.js';")).toEqual(['live must not import bus (ARCHITECTURE.md): live may import ami']);
    expect(complaints('src/ami/simulator/pbx.ts', "export { x } from '../../graphql/schema.js';")).toEqual([
      'ami must not import graphql (ARCHITECTURE.md): ami may import only the core',
    ]);
    expect(complaints('src/dialer/engine.ts', "const fixture = await import('../../test/support/fixture.js');")).toEqual(['src/ imports nothing outside it: ../../test/support/fixture.js']);
    expect(complaints('src/wallboard/page.ts', 'export const page = 1;')).toEqual(['src/wallboard is in no layer: give it its arrows in eslint.layers.js and ARCHITECTURE.md']);
    expect(complaints('src/dialer/engine.ts', "import { leaseDialings } from './leasing.js';\nimport type { LiveStore } from '../live/store.js';\nimport { logger } from '../logger.js';\nimport { x } from '../metrics/processMetrics.js';")).toEqual([]);
    expect(complaints('src/main.ts', "import { createGraphQLHandler } from './graphql/yoga.js';")).toEqual([]);
    expect(complaints('src/ami/simulator/model/queues.ts', "import { LocalCall } from '../calls/localCall.js';")).toEqual([
      'ami/simulator/model must not import ami/simulator/calls (ARCHITECTURE.md): model may import protocol',
    ]);
    expect(complaints('src/ami/simulator/calls/localCall.ts', "import { startSimulator } from '../index.js';")).toEqual([
      'ami/simulator/calls must not import ami/simulator/index.js (ARCHITECTURE.md): calls may import model, protocol',
    ]);
    expect(complaints('src/ami/simulator/scenes/replay.ts', 'export const replay = 1;')).toEqual(['src/ami/simulator/scenes is in no layer: give it its arrows in eslint.layers.js and ARCHITECTURE.md']);
    expect(complaints('src/ami/simulator/actions/originate.ts', "import { LocalCall } from '../calls/localCall.js';\nimport { FrameSplitter } from '../../frameSplitter.js';")).toEqual([]);
    expect(complaints('src/ami/simulator/server.ts', "import { dispatch } from './actions/actions.js';")).toEqual([]);
    expect(complaints('test/live/reducer.test.ts', "import { createGraphQLHandler } from '../../src/graphql/yoga.js';")).toEqual([]);
  });

  it('gives every folder of src/ its arrows, and ARCHITECTURE.md lists the same ones', () => {
    const table = new Map<string, string>();
    for (const line of readFileSync(path.join(root, 'ARCHITECTURE.md'), 'utf8').split('\n')) {
      const row = /^\| `([a-z]+)(?:\/|\.ts)` \| .* \| (.*) \|$/.exec(line);
      if (row) table.set(row[1] as string, (row[2] as string).replace(/ \(.*\)$/, ''));
    }
    const written = Object.fromEntries(Object.entries(ARROWS).map(([part, arrows]) => [part, arrows === '*' ? 'everything' : arrows.length === 0 ? 'core' : arrows.join(', ')]));
    expect(Object.fromEntries(table)).toEqual(written);
    const folders = readdirSync(path.join(root, 'src'), { withFileTypes: true }).filter((entry) => entry.isDirectory() && !['metrics', 'generated'].includes(entry.name));
    expect(folders.map((entry) => entry.name).sort()).toEqual(Object.keys(ARROWS).filter((part) => !['main', 'config', 'api'].includes(part)).sort());
  });

  it('lists the arrows inside a part in ARCHITECTURE.md as eslint.layers.js holds them, for every folder of that part', () => {
    const table = new Map<string, string>();
    for (const line of readFileSync(path.join(root, 'ARCHITECTURE.md'), 'utf8').split('\n')) {
      const row = /^\| `([a-z]+(?:\/[a-z]+)+)\/` \| .* \| (.*) \|$/.exec(line);
      if (row) table.set(row[1] as string, row[2] as string);
    }
    const written = new Map<string, string>();
    for (const [base, folders] of Object.entries(INNER_ARROWS)) {
      for (const [folder, arrows] of Object.entries(folders)) written.set(`${base}/${folder}`, arrows.length === 0 ? 'itself' : arrows.join(', '));
      const onDisk = readdirSync(path.join(root, 'src', base), { withFileTypes: true }).filter((entry) => entry.isDirectory());
      expect(onDisk.map((entry) => entry.name).sort()).toEqual(Object.keys(folders).sort());
    }
    expect(Object.fromEntries(table)).toEqual(Object.fromEntries(written));
  });
});
