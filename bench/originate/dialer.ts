/**
 * The dialer process of the originate benchmark (run by run.ts): startDialer as ROLE=dialer runs it, over the
 * bench's database and one AMI connection to the simulator, with an in-memory live store and bus. Prints one
 * JSON line when connected and dialing; when stdin ends it stops the dialer, prints what it used, and exits.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { AsteriskManagerConnection } from '../../src/ami/asteriskManager.js';
import type { AmiConnection } from '../../src/ami/connection.js';
import { createBus } from '../../src/bus/bus.js';
import { openDatabase } from '../../src/db/open.js';
import { startDialer } from '../../src/dialer/engine.js';
import { MemoryLiveStore } from '../../src/live/storeMemory.js';

export type DialerReady = { ready: true; rssMb: number };
export type DialerUsage = {
  peakRssMb: number;
  cpuSeconds: number;
  /** Event-loop delay while dialing, in ms: how long a ready callback (an AMI event, a query's answer) waited. */
  loopDelayP50Ms: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** From sending an Originate to its Response (not the call's OriginateResponse event), in ms. */
  originateResponseP50Ms: number;
  originateResponseP99Ms: number;
  warnings: number;
};

const { values } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    'ami-host': { type: 'string' },
    'ami-port': { type: 'string' },
    username: { type: 'string' },
    secret: { type: 'string' },
    'tick-ms': { type: 'string' },
  },
});

// Warnings and errors go to stderr (stdout carries the JSON lines run.ts reads), and are counted.
let warnings = 0;
const log = pino(
  {
    level: 'warn',
    base: { service: 'switchboard', process: 'bench-dialer' },
    hooks: {
      logMethod(args, method) {
        warnings += 1;
        method.apply(this, args);
      },
    },
  },
  pino.destination(2),
);

const database = await openDatabase({ databaseUrl: values['database-url'] as string, dataDir: '' });
const connection = new AsteriskManagerConnection(
  { name: 'pbx1', host: values['ami-host'] as string, port: Number(values['ami-port']), username: values.username as string, secret: values.secret as string },
  { log },
);
await connection.start();
// The engine awaits each Originate's Response before the next: how long that takes bounds its rate.
const originateResponseMs: number[] = [];
const timedConnection: AmiConnection = {
  get server() {
    return connection.server;
  },
  get connected() {
    return connection.connected;
  },
  async action(action, options) {
    if (action.action !== 'Originate') return connection.action(action, options);
    const sentAt = performance.now();
    try {
      return await connection.action(action, options);
    } finally {
      originateResponseMs.push(performance.now() - sentAt);
    }
  },
  listAction: (action, options) => connection.listAction(action, options),
  command: (command, options) => connection.command(command, options),
  on: (name, listener) => connection.on(name, listener),
  pause: () => connection.pause(),
  resume: () => connection.resume(),
  close: () => connection.close(),
};
const bus = createBus();
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const dialer = startDialer({
  prisma: database.prisma,
  driver: database.driver,
  connections: new Map([['pbx1', timedConnection]]),
  store: new MemoryLiveStore(),
  bus,
  log,
  tickMs: Number(values['tick-ms']),
});
const ready: DialerReady = { ready: true, rssMb: process.memoryUsage.rss() / 2 ** 20 };
console.log(JSON.stringify(ready));

process.stdin.resume();
await new Promise((resolve) => process.stdin.once('end', resolve));
loopDelay.disable();
await dialer.stop();
const { userCPUTime, systemCPUTime, maxRSS } = process.resourceUsage();
originateResponseMs.sort((a, b) => a - b);
const percentile = (fraction: number) => originateResponseMs[Math.floor(fraction * (originateResponseMs.length - 1))] ?? 0;
const usage: DialerUsage = {
  peakRssMb: maxRSS / 1024,
  cpuSeconds: (userCPUTime + systemCPUTime) / 1e6,
  loopDelayP50Ms: loopDelay.percentile(50) / 1e6,
  loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
  loopDelayMaxMs: loopDelay.max / 1e6,
  originateResponseP50Ms: percentile(0.5),
  originateResponseP99Ms: percentile(0.99),
  warnings,
};
await connection.close();
await bus.close();
await database.close();
console.log(JSON.stringify(usage));
