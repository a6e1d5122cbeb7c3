/**
 * Member import benchmark (`npm run bench:import -- --rows 100000`): a bare COPY of pre-formatted rows
 * against importMembers from a CSV, with and without dedupe, on PostgreSQL and on the embedded database.
 * Each case runs in a child process on emptied tables; see bench/README.md.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openDatabase } from '../../src/db/open.js';
import { runChild } from '../shared/child.js';
import { createBenchDatabase, DEFAULT_POSTGRES_URL } from '../shared/postgres.js';
import { machine, whole } from '../shared/report.js';
import { BENCH_LIST_ID, generate } from './generate.js';
import type { CaseName, Measurement } from './measure.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    storage: { type: 'string', default: 'both' },
    'postgres-url': { type: 'string', default: DEFAULT_POSTGRES_URL },
  },
});
const rows = Number(values.rows);
if (!Number.isInteger(rows) || rows < 1) throw new Error(`--rows must be a whole number above 0, got ${values.rows}`);
const storages = values.storage === 'both' ? ['postgresql', 'embedded'] : [values.storage as string];
const cases: CaseName[] = ['copy', 'import-none', 'import-number'];
const measureScript = fileURLToPath(new URL('./measure.ts', import.meta.url));

/** A million rows take about a minute a case here: an hour is a stuck case. */
const CASE_TIMEOUT_MS = 3_600_000;

async function prepare(options: { databaseUrl?: string; dataDir: string }): Promise<void> {
  const database = await openDatabase(options);
  await database.driver.withConnection((connection) =>
    connection.query(`INSERT INTO "DialList" (id, name, "updatedAt") VALUES ($1, 'bench', now())`, [BENCH_LIST_ID]),
  );
  await database.close();
}

const directory = await mkdtemp(join(tmpdir(), 'switchboard-bench-import-'));
const results: { storage: string; measurement: Measurement }[] = [];
try {
  console.error(`generating ${rows} members in ${directory}`);
  const files = await generate(directory, rows);
  console.error(`members.csv: ${((await stat(files.csv)).size / 2 ** 20).toFixed(1)} MB`);
  const fileArgs = ['--csv', files.csv, '--member-copy', files.memberCopy, '--number-copy', files.numberCopy];
  for (const storage of storages) {
    let target: string[];
    let cleanup: () => Promise<void>;
    if (storage === 'postgresql') {
      const database = await createBenchDatabase(values['postgres-url'] as string);
      await prepare({ databaseUrl: database.url, dataDir: '' });
      target = ['--url', database.url];
      cleanup = database.drop;
    } else if (storage === 'embedded') {
      const dataDir = join(directory, 'embedded');
      await prepare({ dataDir });
      // openDatabase keeps the embedded database in <dataDir>/pglite.
      target = ['--data-dir', join(dataDir, 'pglite')];
      cleanup = async () => {};
    } else throw new Error(`--storage must be postgresql, embedded or both, got ${storage}`);
    try {
      for (const name of cases) {
        console.error(`${storage}: ${name}`);
        const measurement = await runChild<Measurement>(measureScript, ['--case', name, ...target, ...fileArgs], { timeoutMs: CASE_TIMEOUT_MS });
        const failed = (measurement.result as { failed?: number } | undefined)?.failed ?? 0;
        if (measurement.members !== rows || measurement.numbers !== rows * 2 || failed > 0) {
          throw new Error(
            `${storage} ${name} stored ${measurement.members} members and ${measurement.numbers} numbers (${failed} rows failed), ` +
              `expected ${rows} and ${rows * 2}`,
          );
        }
        results.push({ storage, measurement });
      }
    } finally {
      await cleanup();
    }
  }
} finally {
  await rm(directory, { recursive: true, force: true });
}

const lines = [
  `${rows.toLocaleString('en-US')} members, 2 numbers each; ${machine()}`,
  '',
  '| storage | case | seconds | members/s | table rows/s | vs bare COPY | peak RSS (MB) | RSS when open (MB) | added by the case (MB) |',
  '|---|---|---:|---:|---:|---:|---:|---:|---:|',
];
for (const { storage, measurement: m } of results) {
  const baseline = results.find((r) => r.storage === storage && r.measurement.case === 'copy')?.measurement;
  const ratio = baseline ? baseline.seconds / m.seconds : NaN;
  lines.push(
    `| ${storage} | ${m.case} | ${m.seconds.toFixed(2)} | ${whole(rows / m.seconds)} | ${whole((rows * 3) / m.seconds)} | ` +
      `${ratio.toFixed(2)} | ${whole(m.peakRssMb)} | ${whole(m.openRssMb)} | ${whole(m.peakRssMb - m.openRssMb)} |`,
  );
}
console.log(lines.join('\n'));
