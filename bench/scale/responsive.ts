/**
 * Responsiveness benchmark (`npm run bench:responsive`): the server as `npm start` runs it (embedded by default,
 * or `--database-url` for PostgreSQL), a PROGRESSIVE campaign dialing the simulated PBX, and beside it an import
 * of `--rows` members into another list as one multipart upload. /health and `{ me }` are asked every
 * `--every-ms` before and during the import; their latencies, the import's time and the attempts recorded a
 * minute before and during it are reported. `--preload-rows` imports that many members into a third list first,
 * for a database of a long-running instance's size. See bench/README.md.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startServerProcess } from '../../test/support/process.js';
import { machine, whole } from '../shared/report.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    'every-ms': { type: 'string', default: '50' },
    'database-url': { type: 'string' },
    'baseline-seconds': { type: 'string', default: '20' },
    /** Members imported into a third list before anything is measured: the database a long-running instance has. */
    'preload-rows': { type: 'string', default: '0' },
  },
});
const rows = Number(values.rows);
const preloadRows = Number(values['preload-rows']);
const everyMs = Number(values['every-ms']);

type Sample = { at: number; ms: number; ok: boolean };

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

function summary(samples: readonly Sample[]): string {
  const times = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  const failed = samples.filter((sample) => !sample.ok).length;
  return `n ${samples.length}, p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms, max ${(times.at(-1) ?? 0).toFixed(1)} ms, failed ${failed}`;
}

const folder = await mkdtemp(join(tmpdir(), 'switchboard-bench-responsive-'));
const token = 'bench-admin-token-0123456789abcdef';
const server = await startServerProcess({ DATA_DIR: folder, ADMIN_TOKEN: token, ...(values['database-url'] ? { DATABASE_URL: values['database-url'] } : {}) });
try {
  const health = server.url.replace('/graphql', '/health');
  const graphql = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as { data?: T; errors?: unknown };
    if (!body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body.errors)}`);
    return body.data;
  };
  const idOf = (result: Record<string, { data?: { id: string }; message?: string }>) => {
    const [value] = Object.values(result);
    if (!value?.data) throw new Error(`no id: ${JSON.stringify(result)}`);
    return value.data.id;
  };

  const planId = idOf(await graphql(`mutation { createPlan(input: { name: "Bench", dialMode: PROGRESSIVE, dialStringTemplate: "Local/{number}@customers", maxConcurrentCalls: 20, retryDelaySec: 1, maxRetries: [1, 1, 1, 1, 1, 1, 1, 1] }) { ... on CreatePlanSuccess { data { id } } ... on Error { message } } }`));
  const destinationId = idOf(await graphql(`mutation { createDestination(input: { name: "Echo", type: EXTENSION, context: "dest", exten: "echo" }) { ... on CreateDestinationSuccess { data { id } } ... on Error { message } } }`));
  const dialListId = idOf(await graphql(`mutation { createDialList(input: { name: "Dialed" }) { ... on CreateDialListSuccess { data { id } } ... on Error { message } } }`));
  /**
   * `count` members with numbers from `first` on, as one multipart importMembers' body. Built before it is timed:
   * the text of a million rows takes this process's event loop for seconds, which its probes would count.
   */
  const importForm = (listId: string, count: number, first: number) => {
    const csv = `name,number\n${Array.from({ length: count }, (_, index) => `Customer ${first + index},+3491${String(first + index).padStart(7, '0')}`).join('\n')}\n`;
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: 'mutation($id: ID!, $file: File) { importMembers(dialListId: $id, file: $file) { ... on ImportMembersSuccess { data { created failed } } } }', variables: { id: listId, file: null } }));
    form.set('map', JSON.stringify({ 0: ['variables.file'] }));
    form.set('0', new Blob([csv], { type: 'text/csv' }), 'members.csv');
    return form;
  };
  const upload = async (form: FormData) => (await fetch(server.url, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form })).json();
  if (preloadRows > 0) {
    const preloadListId = idOf(await graphql(`mutation { createDialList(input: { name: "Preloaded" }) { ... on CreateDialListSuccess { data { id } } ... on Error { message } } }`));
    const started = Date.now();
    // In pieces of 500,000, so this process builds no more than one piece's text at a time.
    for (let first = 0; first < preloadRows; first += 500_000) await upload(importForm(preloadListId, Math.min(500_000, preloadRows - first), 10_000_000 + first));
    console.error(`preloaded ${whole(preloadRows)} members in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  const bigListId = idOf(await graphql(`mutation { createDialList(input: { name: "Imported" }) { ... on CreateDialListSuccess { data { id } } ... on Error { message } } }`));
  const measuredImport = importForm(bigListId, rows, 0);
  // 1XXX customers answer, talk 4.5 s and hang up: 20 at a time keep the campaign busy for the whole run.
  const members = Array.from({ length: 20_000 }, (_, index) => String(1000 + (index % 1000)));
  await graphql(`mutation($id: ID!, $csv: String) { importMembers(dialListId: $id, csv: $csv) { __typename } }`, { id: dialListId, csv: `number\n${members.join('\n')}\n` });
  const campaignId = idOf(await graphql(`mutation($p: ID!, $d: ID!, $l: ID!) { createCampaign(input: { name: "Bench", planId: $p, destinationId: $d, dialListId: $l }) { ... on CreateCampaignSuccess { data { id } } ... on Error { message } } }`, { p: planId, d: destinationId, l: dialListId }));
  await graphql(`mutation($id: ID!) { setCampaignStatus(id: $id, status: RUNNING) { __typename } }`, { id: campaignId });
  const attempts = async () => (await graphql<{ campaign: { progress: { attempts: number } } }>(`query($id: ID!) { campaign(id: $id) { progress { attempts } } }`, { id: campaignId })).campaign.progress.attempts;

  const probes: { health: Sample[]; me: Sample[] } = { health: [], me: [] };
  let probing = true;
  const probe = async (into: Sample[], ask: () => Promise<boolean>) => {
    while (probing) {
      const started = performance.now();
      const ok = await ask().catch(() => false);
      into.push({ at: Date.now(), ms: performance.now() - started, ok });
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  };
  const probing1 = probe(probes.health, async () => (await fetch(health)).ok);
  const probing2 = probe(probes.me, async () => (await graphql<{ me: { role: string } }>('{ me { role } }')).me.role === 'ADMIN');

  const baselineStart = Date.now();
  const attemptsAtBaseline = await attempts();
  await new Promise((resolve) => setTimeout(resolve, Number(values['baseline-seconds']) * 1000));
  const importStart = Date.now();
  const attemptsAtImport = await attempts();

  const imported = await upload(measuredImport);
  const importEnd = Date.now();
  const attemptsAtEnd = await attempts();
  probing = false;
  await Promise.all([probing1, probing2]);

  const during = (samples: Sample[]) => samples.filter((sample) => sample.at >= importStart && sample.at <= importEnd);
  const before = (samples: Sample[]) => samples.filter((sample) => sample.at >= baselineStart && sample.at < importStart);
  const perMinute = (count: number, ms: number) => (count * 60_000) / ms;
  console.log(
    `bench/responsive on ${machine()}, ${values['database-url'] ? 'PostgreSQL' : 'embedded'}, ${whole(rows)} rows imported beside a running campaign` +
      `${preloadRows > 0 ? `, ${whole(preloadRows)} members loaded before` : ''}`,
  );
  console.log(`import: ${JSON.stringify(imported)} in ${((importEnd - importStart) / 1000).toFixed(1)} s`);
  console.log(`/health before: ${summary(before(probes.health))}`);
  console.log(`/health during: ${summary(during(probes.health))}`);
  console.log(`{ me } before: ${summary(before(probes.me))}`);
  console.log(`{ me } during: ${summary(during(probes.me))}`);
  const slowest = (samples: Sample[]) =>
    [...samples].sort((a, b) => b.ms - a.ms).slice(0, 3).map((sample) => `${whole(sample.ms)} ms at ${((sample.at - importStart) / 1000).toFixed(1)} s`).join(', ');
  console.log(`slowest { me } during: ${slowest(during(probes.me))}; /health: ${slowest(during(probes.health))}`);
  console.log(`attempts a minute before: ${whole(perMinute(attemptsAtImport - attemptsAtBaseline, importStart - baselineStart))}, during: ${whole(perMinute(attemptsAtEnd - attemptsAtImport, importEnd - importStart))}`);
} finally {
  await server.stop();
  await rm(folder, { recursive: true, force: true });
}
