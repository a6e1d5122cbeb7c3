/**
 * Member import benchmark (`npm run bench:import -- --rows 100000`): a bare COPY of pre-formatted rows
 * against importMembers from a CSV, with and without dedupe, on PostgreSQL and on the embedded database.
 * Each case runs in a child process on emptied tables; see bench/README.md.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { cpus, freemem, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase } from '../../src/db/open.js';
import { BENCH_LIST_ID, generate } from './generate.js';
import type { CaseName, Measurement } from './measure.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    storage: { type: 'string', default: 'both' },
    'postgres-url': { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432/postgres' },
  },
});
const rows = Number(values.rows);
if (!Number.isInteger(rows) || rows < 1) throw new Error(`--rows must be a whole number above 0, got ${values.rows}`);
const storages = values.storage === 'both' ? ['postgresql', 'embedded'] : [values.storage as string];
const cases: CaseName[] = ['copy', 'import-none', 'import-number'];
const measureScript = fileURLToPath(new URL('./measure.ts', import.meta.url));

function runCase(args: string[]): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', measureScript, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = output.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`measure ${args.join(' ')} failed (exit ${code}): ${output}`));
      else resolve(JSON.parse(line) as Measurement);
    });
  });
}

async function prepare(options: { databaseUrl?: string; dataDir: string }): Promise<void> {
  const database = await openDatabase(options);
  await database.driver.withConnection((connection) =>
    connection.query(`INSERT INTO "DialList" (id, name, "updatedAt") VALUES ($1, 'bench', now())`, [BENCH_LIST_ID]),
  );
  await database.close();
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
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
      const adminUrl = values['postgres-url'] as string;
      const name = `sb_bench_${process.pid}`;
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      await prepare({ databaseUrl: url.toString(), dataDir: '' });
      target = ['--url', url.toString()];
      cleanup = () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
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
        const measurement = await runCase(['--case', name, ...target, ...fileArgs]);
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

const format = (value: number) => Math.round(value).toLocaleString('en-US');
const lines = [
  `${rows.toLocaleString('en-US')} members, 2 numbers each; ${cpus().length} CPUs, ${(totalmem() / 2 ** 30).toFixed(1)} GB RAM ` +
    `(${(freemem() / 2 ** 30).toFixed(1)} GB free), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
  '',
  '| storage | case | seconds | members/s | table rows/s | vs bare COPY | peak RSS (MB) | RSS when open (MB) | added by the case (MB) |',
  '|---|---|---:|---:|---:|---:|---:|---:|---:|',
];
for (const { storage, measurement: m } of results) {
  const baseline = results.find((r) => r.storage === storage && r.measurement.case === 'copy')?.measurement;
  const ratio = baseline ? baseline.seconds / m.seconds : NaN;
  lines.push(
    `| ${storage} | ${m.case} | ${m.seconds.toFixed(2)} | ${format(rows / m.seconds)} | ${format((rows * 3) / m.seconds)} | ` +
      `${ratio.toFixed(2)} | ${format(m.peakRssMb)} | ${format(m.openRssMb)} | ${format(m.peakRssMb - m.openRssMb)} |`,
  );
}
console.log(lines.join('\n'));
