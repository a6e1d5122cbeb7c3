/**
 * Publish-to-client latency benchmark (`npm run bench:publish -- --clients 1000 --rate 1000 --seconds 20`):
 * this process publishes channel changes through a Redis bus as the ingest worker does (publishChange), an
 * API server in a child process delivers them over graphql-ws, and another child holds the clients and
 * measures each delivery against the publish time stamped into the event. See bench/README.md.
 */
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createBus, publishChange } from '../../src/bus/bus.js';
import { startChild, type BenchChild } from '../shared/child.js';
import { createBenchDatabase, DEFAULT_POSTGRES_URL } from '../shared/postgres.js';
import { redisVersion } from '../shared/redis.js';
import { machine, whole } from '../shared/report.js';
import type { ClientsResult } from './clients.js';
import type { ServerReady, ServerUsage } from './serverUsage.js';
import { clock, groupCallerId, PROBE_SEQUENCE, stampedChange } from './stamp.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '1000' },
    /** Events published per second, each to every client of its group. */
    rate: { type: 'string', default: '1000' },
    /**
     * Clients split into this many groups, each following one caller id (channelEvents' callerIdNum filter), and
     * the events spread over the groups in turn: wallboards that each show a part of the PBX. 1: every client
     * hears every event.
     */
    groups: { type: 'string', default: '1' },
    seconds: { type: 'string', default: '20' },
    /** The stream's first seconds, left out of the steady figures (the first second is reported apart). */
    'warmup-seconds': { type: 'string', default: '3' },
    /** How long the clients get, once the last event is out, to receive the rest. */
    'drain-seconds': { type: 'string', default: '30' },
    'redis-url': { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    'postgres-url': { type: 'string', default: DEFAULT_POSTGRES_URL },
    /** product: the API server as it runs; bare: yoga and graphql-ws alone on the same topics (bareServer.ts), to compare. */
    server: { type: 'string', default: 'product' },
    /** Write V8 CPU profiles of the API server child and of the clients child into this folder. */
    'cpu-prof-dir': { type: 'string' },
  },
});
const wholeOption = (name: 'clients' | 'rate' | 'seconds' | 'drain-seconds' | 'groups' | 'warmup-seconds') => {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number above 0, got ${values[name]}`);
  return value;
};
const clientCount = wholeOption('clients');
const rate = wholeOption('rate');
const seconds = wholeOption('seconds');
const drainSeconds = wholeOption('drain-seconds');
const groups = wholeOption('groups');
const warmupSeconds = wholeOption('warmup-seconds');
if (warmupSeconds >= seconds) throw new Error(`--warmup-seconds must be below --seconds (${seconds}), got ${warmupSeconds}`);
if (groups > clientCount) throw new Error(`--groups must not exceed --clients (${clientCount}), got ${groups}`);
const serverKind = values.server as string;
if (serverKind !== 'product' && serverKind !== 'bare') throw new Error(`--server must be product or bare, got ${serverKind}`);
const callerIdOf = (sequence: number) => (groups > 1 ? groupCallerId(sequence % groups) : '');
const events = rate * seconds;
const redisUrl = values['redis-url'] as string;
/** Starting, migrating and connecting take well under a minute here; past this a child is stuck. */
const CHILD_TIMEOUT_MS = (seconds + drainSeconds + 180) * 1000;
/**
 * A probe round publishes one probe a group. Rounds go out no faster than the stream's own rate would (a round of
 * 1,000 groups every 100 ms was 10,000 events a second), and the stream waits PROBE_DRAIN_MS after the last: the
 * probes still queued when every client had heard one were delivered during the stream's first second and
 * counted as its latency (a 300-400 ms "cold start" that was this bench's own).
 */
const PROBE_INTERVAL_MS = Math.max(100, Math.ceil((groups * 1000) / rate));
const PROBE_DRAIN_MS = 1000;
/** The PBX server name the events carry, this run's own. */
const pbxServer = `bench-publish-${process.pid}`;
const script = (name: string) => fileURLToPath(new URL(name, import.meta.url));

function stop(child: BenchChild | undefined): void {
  if (child !== undefined && child.process.exitCode === null) child.process.kill();
}

/** Publishes probes until every client has heard one, then the stream at the rate; returns its seconds. */
async function publish(ready: Promise<unknown>): Promise<number> {
  const bus = createBus({ redisUrl });
  try {
    let heard = false;
    void ready.then(() => (heard = true), () => (heard = true));
    while (!heard) {
      for (let group = 0; group < groups; group++) publishChange(bus, pbxServer, stampedChange(pbxServer, PROBE_SEQUENCE, clock(), callerIdOf(group)));
      await Promise.race([ready, sleep(PROBE_INTERVAL_MS)]);
    }
    await ready;
    await sleep(PROBE_DRAIN_MS);
    const started = clock();
    let sent = 0;
    while (sent < events) {
      const due = Math.min(events, Math.floor(((clock() - started) / 1000) * rate) + 1);
      for (; sent < due; sent++) publishChange(bus, pbxServer, stampedChange(pbxServer, sent, clock(), callerIdOf(sent)));
      await sleep(1);
    }
    return (clock() - started) / 1000;
  } finally {
    await bus.close();
  }
}

const database = await createBenchDatabase(values['postgres-url'] as string);
let api: BenchChild | undefined;
let clients: BenchChild | undefined;
let result: ClientsResult;
let ready: ServerReady;
let usage: ServerUsage;
let publishSeconds: number;
try {
  console.error(serverKind === 'bare' ? 'starting the bare yoga + graphql-ws server' : `starting the API server on ${database.url}`);
  const profile = values['cpu-prof-dir'] === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof-dir']];
  api = startChild(script(serverKind === 'bare' ? './bareServer.ts' : './server.ts'), ['--database-url', database.url, '--redis-url', redisUrl], {
    nodeArgs: profile,
    timeoutMs: CHILD_TIMEOUT_MS,
  });
  ready = await api.nextMessage<ServerReady>();
  const { wsUrl, token } = ready;
  console.error(`connecting ${clientCount} clients to ${wsUrl}`);
  const clientArgs = ['--url', wsUrl, '--token', token, '--server', pbxServer, '--clients', String(clientCount), '--events', String(events), '--groups', String(groups), '--rate', String(rate), '--warmup-seconds', String(warmupSeconds), '--drain-seconds', String(drainSeconds)];
  clients = startChild(script('./clients.ts'), clientArgs, { nodeArgs: profile, timeoutMs: CHILD_TIMEOUT_MS });
  await clients.nextMessage<{ connected: number }>();
  console.error(`publishing ${events} events at ${rate}/s`);
  publishSeconds = await publish(clients.nextMessage<{ ready: true }>());
  clients.process.stdin?.end();
  result = await clients.nextMessage<ClientsResult>();
  await clients.exited;
  api.process.stdin?.end();
  usage = await api.nextMessage<ServerUsage>();
  await api.exited;
} finally {
  stop(clients);
  stop(api);
  await database.drop();
}

const ms = (value: number) => value.toFixed(1);
// Each event reaches the clients of its group: clients / groups of them, give or take one when it does not divide.
let expected = 0;
for (let index = 0; index < result.clients; index++) expected += Math.ceil((result.events - (index % groups)) / groups);
console.log(
  [
    `${serverKind === 'bare' ? 'BARE yoga + graphql-ws: ' : ''}${whole(clientCount)} graphql-ws clients on channelEvents${groups > 1 ? ` in ${whole(groups)} groups of one caller id each` : ''}, ${whole(rate)} events/s for ${seconds} s through Redis ${await redisVersion(redisUrl)}; ${machine()}`,
    '',
    '| clients | events/s sent | events | deliveries expected | delivered | clients with all | fewest to a client | out of order | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | API CPU after start (s) | API peak RSS (MB) | clients CPU (s) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${whole(result.clients)} | ${whole(events / publishSeconds)} | ${whole(events)} | ${whole(expected)} | ${whole(result.delivered)} | ` +
      `${whole(result.completeClients)} | ${whole(result.fewestDelivered)} | ${whole(result.outOfOrder)} | ${ms(result.latency.p50Ms)} | ${ms(result.latency.p95Ms)} | ` +
      `${ms(result.latency.p99Ms)} | ${ms(result.latency.maxMs)} | ${(usage.cpuSeconds - ready.cpuSeconds).toFixed(1)} | ${whole(usage.peakRssMb)} | ${result.cpuSeconds.toFixed(1)} |`,
    '',
    `| first second p99 / max (ms) | steady p50 / p99 / max after ${warmupSeconds} s (ms) | API event-loop delay p99 / max (ms) |`,
    '|---:|---:|---:|',
    `| ${ms(result.firstSecond.p99Ms)} / ${ms(result.firstSecond.maxMs)} | ${ms(result.steady.p50Ms)} / ${ms(result.steady.p99Ms)} / ${ms(result.steady.maxMs)} | ` +
      `${ms(usage.eventLoopDelayP99Ms)} / ${ms(usage.eventLoopDelayMaxMs)} |`,
    ...(result.errors > 0 ? ['', `${result.errors} subscription errors`] : []),
  ].join('\n'),
);
