/**
 * AMI ingest benchmark (`npm run bench:ingest -- --events 200000 --runs 3`): the asterisk-manager package
 * alone against the worker (AsteriskManagerConnection + startIngest) into the embedded default (memory store,
 * in-process bus) and into Redis, on the same loopback stream of real transcript event frames. Each case runs
 * in a child process of its own; see bench/README.md.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runChild } from '../shared/child.js';
import { redisVersion } from '../shared/redis.js';
import { machine, whole } from '../shared/report.js';
import type { CaseName, Measurement } from './measure.js';
import { startStreamServer, transcriptEventFrames } from './stream.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    runs: { type: 'string', default: '3' },
    cases: { type: 'string', default: 'bare,memory,redis' },
    'redis-url': { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    /** Write V8 CPU profiles of each child into a folder of its own here, `<case>-run<N>` (the bare one to compare with). */
    'cpu-prof-dir': { type: 'string' },
  },
});
const events = Number(values.events);
const runs = Number(values.runs);
if (!Number.isInteger(events) || events < 1) throw new Error(`--events must be a whole number above 0, got ${values.events}`);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number above 0, got ${values.runs}`);
const cases = (values.cases as string).split(',') as CaseName[];
const redisUrl = values['redis-url'] as string;
const measureScript = fileURLToPath(new URL('./measure.ts', import.meta.url));
const CASE_TIMEOUT_MS = 300_000;

function runCase(name: CaseName, run: number, port: number): Promise<Measurement> {
  const profileDir = values['cpu-prof-dir'];
  // A folder per child: tsx's loader thread writes a profile of its own beside the main thread's.
  const nodeArgs = profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', path.join(profileDir, `${name}-run${run}`)];
  const args = ['--case', name, '--port', String(port), '--events', String(events), '--redis-url', redisUrl];
  return runChild<Measurement>(measureScript, args, { nodeArgs, timeoutMs: CASE_TIMEOUT_MS });
}

const frames = transcriptEventFrames();
const server = await startStreamServer(frames, events);
console.error(`${frames.length} event frames per cycle (${server.bytesPerCycle} bytes), ${events} events per case, port ${server.port}`);
const results: Measurement[][] = [];
try {
  for (let run = 1; run <= runs; run++) {
    const measured: Measurement[] = [];
    for (const name of cases) {
      console.error(`run ${run}: ${name}`);
      measured.push(await runCase(name, run, server.port));
    }
    results.push(measured);
  }
} finally {
  await server.close();
}

const lines = [
  `${events.toLocaleString('en-US')} events per case (${frames.length} transcript event frames repeated); ${machine()}, ` +
    `Redis ${await redisVersion(redisUrl)}`,
];
results.forEach((measured, index) => {
  const baseline = measured.find((m) => m.case === 'bare');
  lines.push('', `Run ${index + 1}:`, '');
  lines.push('| case | seconds | events/s | vs asterisk-manager | peak RSS (MB) | RSS when ready (MB) |', '|---|---:|---:|---:|---:|---:|');
  for (const m of measured) {
    const ratio = baseline ? baseline.seconds / m.seconds : NaN;
    lines.push(`| ${m.case} | ${m.seconds.toFixed(2)} | ${whole(m.events / m.seconds)} | ${ratio.toFixed(2)} | ${whole(m.peakRssMb)} | ${whole(m.readyRssMb)} |`);
  }
});
const states = results.flat().filter((m) => m.state !== undefined);
if (states.length > 0) {
  lines.push('', 'Live state at the end (objects by entity):', '');
  for (const m of states.slice(0, cases.filter((name) => name !== 'bare').length)) {
    const sizes = Object.entries(m.state ?? {}).map(([entity, size]) => `${entity} ${size}`);
    lines.push(`- ${m.case}: ${sizes.join(', ')}`);
  }
}
console.log(lines.join('\n'));
