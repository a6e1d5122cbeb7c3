/**
 * Wallboard benchmark (`npm run bench:wallboard -- --pages 50 --seconds 60`): one API process on the embedded
 * default (in-memory database, memory store, in-process bus) following the simulated PBX, which a load generator
 * keeps busy; N wallboards open in one headless Chromium. It measures, from the PBX's own event to each page's DOM
 * showing it, how long a queue caller's join and leave take to appear; the first paint of a fresh page; and the CPU
 * the browser and the API process spent. See bench/README.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { AsteriskManagerConnection } from '../../src/ami/asteriskManager.js';
import { startSimulator } from '../../src/ami/simulator/index.js';
import { startApi } from '../../src/api.js';
import { createApiToken } from '../../src/auth/apiTokens.js';
import { changePublisher, createBus } from '../../src/bus/bus.js';
import { openDatabase } from '../../src/db/open.js';
import { MemoryLiveStore } from '../../src/live/storeMemory.js';
import { startWorker } from '../../src/live/worker.js';
import { createLogger } from '../../src/logger.js';
import { localPbxActions } from '../../src/pbx/actions.js';
import { machine, whole } from '../shared/report.js';

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '60' },
    /** Background calls placed per second: each is about 40 events (a Local pair rung, answered, echoed, hung up). */
    'calls-per-second': { type: 'string', default: '40' },
    chromium: { type: 'string', default: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
    /** Also profile the first page's JavaScript over the window (Chrome's sampling profiler) and print where its time went. */
    profile: { type: 'boolean', default: false },
  },
});
const pages = Number(values.pages);
const seconds = Number(values.seconds);
const callsPerSecond = Number(values['calls-per-second']);
for (const [name, value] of [['pages', pages], ['seconds', seconds], ['calls-per-second', callsPerSecond]] as const) {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a number above 0`);
}

const log = createLogger('silent');
const credentials = { username: 'bench', secret: 'wallboard-bench' };
const PROBE_QUEUE = 'helpdesk';

/** CPU seconds (user + system) of the descendants of a process (not its own), from /proc (Linux). */
function childrenCpuSeconds(root: number): number {
  const ticksPerSecond = 100; // USER_HZ
  const stats = new Map<number, { parent: number; cpu: number }>();
  for (const pid of readdirSync('/proc').map(Number).filter(Number.isInteger)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      stats.set(pid, { parent: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / ticksPerSecond });
    } catch {
      // Gone between the listing and the read.
    }
  }
  let total = 0;
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.pop() as number;
    if (pid !== root) total += stats.get(pid)?.cpu ?? 0;
    for (const [child, { parent }] of stats) if (parent === pid) queue.push(child);
  }
  return total;
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

const database = await openDatabase({ dataDir: '', inMemory: true });
const simulator = await startSimulator(credentials);
const store = new MemoryLiveStore();
const bus = createBus();
const worker = await startWorker({ servers: [{ name: 'pbx1', host: simulator.host, port: simulator.port, ...credentials }], store, publish: changePublisher(bus), log });
const api = await startApi({
  prisma: database.prisma,
  driver: database.driver,
  log,
  sessionTtlMs: 3_600_000,
  health: async () => ({ ok: true, checks: [], uptimeSec: 0 }),
  store,
  bus,
  actions: localPbxActions(worker.connections),
  port: 0,
  host: '127.0.0.1',
});
const origin = new URL(api.url).origin;
const token = (await createApiToken(database.prisma, { name: 'bench wallboards', role: 'VIEWER' })).secret;
const load = new AsteriskManagerConnection({ name: 'load', host: simulator.host, port: simulator.port, ...credentials }, { log });
await load.start();

// The PBX's own moment for each change of the probe queue's callers (Count: how many wait after it): what the
// pages are timed against.
const probeEvents: { at: number; callers: number }[] = [];
simulator.pbx.subscribe((frame) => {
  const fields = new Map(frame.map(([key, value]) => [key.toLowerCase(), value]));
  const event = fields.get('event');
  if (fields.get('queue') === PROBE_QUEUE && (event === 'QueueCallerJoin' || event === 'QueueCallerLeave')) probeEvents.push({ at: Date.now(), callers: Number(fields.get('count')) });
});
let eventsSeen = 0;
load.on('event', () => (eventsSeen += 1));

const browser: Browser = await chromium.launch({
  executablePath: values.chromium,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

/** A wallboard that records each change of the probe queue's callers figure, by the page's own clock. */
async function openWallboard(): Promise<{ page: Page; firstPaintMs: number; firstQueueMs: number }> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const started = Date.now();
  await page.goto(`${origin}/wallboard#token=${token}`);
  const figure = page.getByTestId(`queue-${PROBE_QUEUE}`).getByTestId('callers').locator('.value');
  await figure.waitFor();
  const firstQueueMs = Date.now() - started;
  const firstPaintMs = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN);
  await figure.evaluate((element) => {
    const seen: { at: number; text: string }[] = [];
    (window as unknown as { seen: typeof seen }).seen = seen;
    new MutationObserver(() => seen.push({ at: Date.now(), text: element.textContent ?? '' })).observe(element, { childList: true, characterData: true, subtree: true });
  });
  return { page, firstPaintMs, firstQueueMs };
}

const opened: Awaited<ReturnType<typeof openWallboard>>[] = [];
for (let index = 0; index < pages; index++) opened.push(await openWallboard());
console.error(`${pages} wallboards open; loading the PBX at ${callsPerSecond} calls/s for ${seconds} s`);

let running = true;
let placed = 0;
const background = (async () => {
  const startedAt = Date.now();
  while (running) {
    const due = Math.floor(((Date.now() - startedAt) / 1000) * callsPerSecond);
    for (; placed < due && running; placed++) {
      void load.action({ action: 'Originate', channel: `Local/${1000 + (placed % 1000)}@customers`, context: 'dest', exten: 'echo', priority: 1, async: true }).catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
})();
// A probe every 2 s: a customer put in the probe queue, where no agent is logged in, hung up a second later.
const probes = (async () => {
  let probe = 0;
  while (running) {
    const number = 6000 + (probe++ % 1000);
    await load.action({ action: 'Originate', channel: `Local/${number}@customers`, context: 'dest-agents', exten: 'queue-helpdesk', priority: 1, async: true });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const channel = (await store.list('channel', { server: 'pbx1' })).find((candidate) => candidate.name.startsWith(`Local/${number}@customers-`) && candidate.name.endsWith(';1'));
    if (channel) await load.action({ action: 'Hangup', channel: channel.name }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
})();

// Chromium is this process's only child: its processes' CPU is the browser's.
// The first page's JavaScript, sampled over the window when asked: how much of its time is idle, and where the rest goes.
const profiler = values.profile ? await (opened[0] as (typeof opened)[number]).page.context().newCDPSession((opened[0] as (typeof opened)[number]).page) : undefined;
await profiler?.send('Profiler.enable');
await profiler?.send('Profiler.start');
const cpuBefore = { browser: childrenCpuSeconds(process.pid), api: process.cpuUsage() };
const eventsBefore = eventsSeen;
const windowStart = Date.now();
await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
const windowSeconds = (Date.now() - windowStart) / 1000;
const cpuAfter = { browser: childrenCpuSeconds(process.pid), api: process.cpuUsage(cpuBefore.api) };
const events = eventsSeen - eventsBefore;
const profile = profiler === undefined ? undefined : (await profiler.send('Profiler.stop')).profile;
running = false;
await Promise.all([background, probes]);
// The last probe's leave reaches the pages too.
await new Promise((resolve) => setTimeout(resolve, 1_000));

const latencies: number[] = [];
let missed = 0;
const measured = probeEvents.filter((event) => event.at >= windowStart && event.at <= windowStart + windowSeconds * 1000);
for (const { page } of opened) {
  const seen = await page.evaluate(() => (window as unknown as { seen: { at: number; text: string }[] }).seen);
  for (const [index, event] of measured.entries()) {
    const next = measured[index + 1]?.at ?? Number.POSITIVE_INFINITY;
    const shown = seen.find((change) => change.at >= event.at && change.at < next + 1_000 && change.text === String(event.callers));
    if (shown) latencies.push(shown.at - event.at);
    else missed += 1;
  }
}
latencies.sort((a, b) => a - b);
const paints = opened.map((page) => page.firstPaintMs).sort((a, b) => a - b);
const firstQueue = opened.map((page) => page.firstQueueMs).sort((a, b) => a - b);

console.log(`\n${machine()}\n`);
console.log(`${pages} wallboards in one headless Chromium, ${whole(windowSeconds)} s measured, ${whole(events / windowSeconds)} AMI events/s from the PBX (${whole(placed)} background calls placed in all)\n`);
console.log('| measure | p50 | p90 | p99 | max | samples |');
console.log('|---|---|---|---|---|---|');
console.log(`| PBX event to the page's DOM (ms) | ${whole(percentile(latencies, 50))} | ${whole(percentile(latencies, 90))} | ${whole(percentile(latencies, 99))} | ${whole(latencies.at(-1) ?? Number.NaN)} | ${latencies.length} (${missed} missed) |`);
console.log(`| first contentful paint (ms) | ${whole(percentile(paints, 50))} | ${whole(percentile(paints, 90))} | ${whole(percentile(paints, 99))} | ${whole(paints.at(-1) ?? Number.NaN)} | ${paints.length} |`);
console.log(`| open to the first queue shown (ms) | ${whole(percentile(firstQueue, 50))} | ${whole(percentile(firstQueue, 90))} | ${whole(percentile(firstQueue, 99))} | ${whole(firstQueue.at(-1) ?? Number.NaN)} | ${firstQueue.length} |`);
console.log(`\nCPU over the measured window: Chromium (all its processes) ${((cpuAfter.browser - cpuBefore.browser) / windowSeconds).toFixed(2)} cores, ` +
  `the API process (API, worker and simulated PBX) ${((cpuAfter.api.user + cpuAfter.api.system) / 1e6 / windowSeconds).toFixed(2)} cores`);

if (profile !== undefined) {
  // Self time by function: each sample's time goes to the node it landed in.
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<string, number>();
  for (const [index, id] of (profile.samples ?? []).entries()) {
    const frame = nodes.get(id)?.callFrame;
    const name = frame === undefined ? '?' : `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop() ?? ''}`.trim();
    selfMs.set(name, (selfMs.get(name) ?? 0) + (profile.timeDeltas?.[index] ?? 0) / 1000);
  }
  const total = [...selfMs.values()].reduce((sum, ms) => sum + ms, 0);
  console.log('\nThe first page\'s JavaScript over the window, by self time:\n');
  for (const [name, ms] of [...selfMs].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`- ${((100 * ms) / total).toFixed(1)}% ${name}`);
}

await browser.close();
await load.close();
await api.close();
await worker.stop();
await simulator.close();
await bus.close();
await database.close();
