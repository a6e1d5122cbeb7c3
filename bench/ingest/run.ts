/**
 * AMI ingest benchmark (`npm run bench:ingest -- --events 200000 --runs 3`): the asterisk-manager package
 * alone against the worker (AsteriskManagerConnection + startIngest) into the embedded default (memory store,
 * in-process bus) and into Redis, on the same loopback stream of real transcript event frames. Each case runs
 * in a child process of its own; see bench/README.md.
 */
import { spawn } from 'node:child_process';
import { cpus, freemem, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import type { CaseName, Measurement } from './measure.js';
import { startStreamServer, transcriptEventFrames } from './stream.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    runs: { type: 'string', default: '3' },
    cases: { type: 'string', default: 'bare,memory,redis' },
    'redis-url': { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    /** Write a V8 CPU profile of each worker child into this folder. */
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

function runCase(name: CaseName, port: number): Promise<Measurement> {
  const profile = values['cpu-prof-dir'] !== undefined && name !== 'bare' ? ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof-dir']] : [];
  const args = ['--case', name, '--port', String(port), '--events', String(events), '--redis-url', redisUrl];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...profile, '--import', 'tsx', measureScript, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), CASE_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const line = output.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`${name} failed (exit ${code ?? signal}): ${output}`));
      else resolve(JSON.parse(line) as Measurement);
    });
  });
}

async function redisVersion(): Promise<string> {
  const client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  try {
    await client.connect();
    return /redis_version:(\S+)/.exec(await client.info('server'))?.[1] ?? 'unknown';
  } catch {
    return 'unreachable';
  } finally {
    client.disconnect();
  }
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
      measured.push(await runCase(name, server.port));
    }
    results.push(measured);
  }
} finally {
  await server.close();
}

const format = (value: number) => Math.round(value).toLocaleString('en-US');
const lines = [
  `${events.toLocaleString('en-US')} events per case (${frames.length} transcript event frames repeated); ${cpus().length} CPUs, ` +
    `${(totalmem() / 2 ** 30).toFixed(1)} GB RAM (${(freemem() / 2 ** 30).toFixed(1)} GB free), Node ${process.version}, ` +
    `Redis ${await redisVersion()}, ${new Date().toISOString().slice(0, 10)}`,
];
results.forEach((measured, index) => {
  const baseline = measured.find((m) => m.case === 'bare');
  lines.push('', `Run ${index + 1}:`, '');
  lines.push('| case | seconds | events/s | vs asterisk-manager | peak RSS (MB) | RSS when ready (MB) |', '|---|---:|---:|---:|---:|---:|');
  for (const m of measured) {
    const ratio = baseline ? baseline.seconds / m.seconds : NaN;
    lines.push(`| ${m.case} | ${m.seconds.toFixed(2)} | ${format(m.events / m.seconds)} | ${ratio.toFixed(2)} | ${format(m.peakRssMb)} | ${format(m.readyRssMb)} |`);
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
