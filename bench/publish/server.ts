/**
 * The API process of the publish benchmark (run by run.ts): the HTTP + graphql-ws server the tests start,
 * on the bench's database, with a Redis bus of its own as a separate API process has. Prints its address,
 * a VIEWER token and the CPU its start took as one JSON line; when stdin ends it prints what it used, and closes.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createBus } from '../../src/bus/bus.js';
import { openDatabase } from '../../src/db/open.js';
import { startTestServer } from '../../test/support/server.js';

export type ServerReady = { wsUrl: string; token: string; cpuSeconds: number };
/** `eventLoopDelayP99Ms`: how late the API's event loop ran its timers, over the whole stream (perf_hooks' histogram). */
export type ServerUsage = { cpuSeconds: number; peakRssMb: number; eventLoopDelayP99Ms: number; eventLoopDelayMaxMs: number };

function cpuSeconds(): number {
  const { userCPUTime, systemCPUTime } = process.resourceUsage();
  return (userCPUTime + systemCPUTime) / 1e6;
}

const { values } = parseArgs({ options: { 'database-url': { type: 'string' }, 'redis-url': { type: 'string' } } });
const databaseUrl = values['database-url'] as string;
const database = await openDatabase({ databaseUrl, dataDir: '' });
const bus = createBus({ redisUrl: values['redis-url'] as string });
const server = await startTestServer({ ...database, url: databaseUrl, drop: () => database.close() }, { bus });
const ready: ServerReady = { wsUrl: server.wsUrl, token: server.tokens.VIEWER, cpuSeconds: cpuSeconds() };
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
console.log(JSON.stringify(ready));

process.stdin.resume();
await new Promise((resolve) => process.stdin.once('end', resolve));
delay.disable();
const usage: ServerUsage = {
  cpuSeconds: cpuSeconds(),
  peakRssMb: process.resourceUsage().maxRSS / 1024,
  eventLoopDelayP99Ms: delay.percentile(99) / 1e6,
  eventLoopDelayMaxMs: delay.max / 1e6,
};
await server.close();
await bus.close();
await database.close();
console.log(JSON.stringify(usage));
