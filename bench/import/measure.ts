/**
 * One measurement in a process of its own, so its peak RSS is its own: opens the database, empties the
 * members, then times one case and prints a JSON line. Run by run.ts.
 */
import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { SqlDriver } from '../../src/db/driver.js';
import { createEmbeddedDriver } from '../../src/db/embedded.js';
import { EmbeddedClient } from '../../src/db/embeddedClient.js';
import { createPostgresDriver } from '../../src/db/postgres.js';
import { importMembers } from '../../src/outbound/members/index.js';
import { BENCH_LIST_ID, MEMBER_COPY_COLUMNS, NUMBER_COPY_COLUMNS } from './generate.js';

export type CaseName = 'copy' | 'import-none' | 'import-number';

export type Measurement = {
  case: CaseName;
  seconds: number;
  members: number;
  numbers: number;
  /** Peak RSS of the whole process, and RSS once the database was open (before the case ran), in MB. */
  peakRssMb: number;
  openRssMb: number;
  result?: unknown;
};

/** A file in pieces that end at a line end: the embedded COPY sends each batch of pieces as its own COPY. */
async function* lines(path: string): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 256 * 1024 })) {
    const text = rest + (chunk as string);
    const end = text.lastIndexOf('\n') + 1;
    rest = text.slice(end);
    if (end > 0) yield text.slice(0, end);
  }
  if (rest.length > 0) yield `${rest}\n`;
}

const { values } = parseArgs({
  options: {
    case: { type: 'string' },
    url: { type: 'string' },
    'data-dir': { type: 'string' },
    csv: { type: 'string' },
    'member-copy': { type: 'string' },
    'number-copy': { type: 'string' },
  },
});
const name = values.case as CaseName;
// The drivers as src/db/open.ts makes them, without Prisma: the import needs only raw SQL.
const driver: SqlDriver = values.url
  ? createPostgresDriver(new pg.Pool({ connectionString: values.url, max: 10 }))
  : createEmbeddedDriver(await EmbeddedClient.start({ dataDir: values['data-dir'], snapshot: undefined }));
await driver.withConnection((connection) => connection.exec('TRUNCATE "Member" CASCADE; CHECKPOINT'));
const openRssMb = process.memoryUsage.rss() / 2 ** 20;

const started = performance.now();
let result: unknown;
if (name === 'copy') {
  await driver.withConnection(
    async (connection) => {
      await connection.copyFrom('Member', MEMBER_COPY_COLUMNS, lines(values['member-copy'] as string));
      await connection.copyFrom('MemberNumber', NUMBER_COPY_COLUMNS, lines(values['number-copy'] as string));
    },
    { transaction: true },
  );
} else {
  result = await importMembers(driver, BENCH_LIST_ID, createReadStream(values.csv as string), {
    format: 'CSV',
    dedupe: name === 'import-number' ? 'NUMBER' : 'NONE',
  });
}
const seconds = (performance.now() - started) / 1000;

const [counts] = await driver.withConnection((connection) =>
  connection.query<{ members: number; numbers: number }>(
    'SELECT (SELECT count(*) FROM "Member")::int AS members, (SELECT count(*) FROM "MemberNumber")::int AS numbers',
  ),
);
const measurement: Measurement = {
  case: name,
  seconds,
  members: counts?.members ?? 0,
  numbers: counts?.numbers ?? 0,
  peakRssMb: process.resourceUsage().maxRSS / 1024,
  openRssMb,
  result,
};
await driver.close();
process.stdout.write(`${JSON.stringify(measurement)}\n`);
process.exit(0);
