/**
 * The clients of the publish benchmark (run by run.ts): N graphql-ws clients in this one process, each
 * subscribed to channelEvents with a VIEWER token. Prints `{ connected }` once every subscription is sent,
 * `{ ready }` once every client has heard a probe, and when stdin ends (the stream is out) waits for the
 * stragglers, up to --drain-seconds, then prints the ClientsResult.
 */
import { parseArgs } from 'node:util';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { LatencyHistogram, type LatencySummary } from './latency.js';
import { clock, groupCallerId, PROBE_SEQUENCE, readStamp, SUBSCRIPTION, type StampedChannel } from './stamp.js';

export type ClientsResult = {
  clients: number;
  /** Events published (each client should have received its group's share: all of them with one group). */
  events: number;
  groups: number;
  delivered: number;
  /** Clients that received as many events as were published (outOfOrder tells whether in order). */
  completeClients: number;
  fewestDelivered: number;
  /** Deliveries whose sequence number was not the one expected next: after a gap, a repeat or a reorder. */
  outOfOrder: number;
  errors: number;
  latency: LatencySummary;
  /** The events of the stream's first second: what a wallboard meets as it connects, or after a restart. */
  firstSecond: LatencySummary;
  /** The events after the warm-up (--warmup-seconds): the steady state. */
  steady: LatencySummary;
  cpuSeconds: number;
};

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    token: { type: 'string' },
    server: { type: 'string' },
    clients: { type: 'string' },
    events: { type: 'string' },
    groups: { type: 'string' },
    rate: { type: 'string' },
    'warmup-seconds': { type: 'string' },
    'drain-seconds': { type: 'string' },
  },
});
const count = Number(values.clients);
const events = Number(values.events);
const groups = Number(values.groups);
/** Client `index` hears group index % groups: events group, group + groups, ... (all of them with one group). */
const groupOf = (index: number) => index % groups;
const eventsOfGroup = (group: number) => Math.ceil((events - group) / groups);
const drainMs = Number(values['drain-seconds']) * 1000;
/** Sockets opened at once: a thousand authentications at the same instant measure the database, not this. */
const CONNECT_CONCURRENCY = 50;

const histogram = new LatencyHistogram();
const firstSecond = new LatencyHistogram();
const steady = new LatencyHistogram();
/** Events are numbered in the order they are published, at --rate a second. */
const rate = Number(values.rate);
const steadyFrom = rate * Number(values['warmup-seconds']);
const heardProbe = new Uint8Array(count);
/** Stream events each client received, and the sequence number it should hear next. */
const received = new Uint32Array(count);
const nextSequence = Uint32Array.from({ length: count }, (_, index) => groupOf(index));
let probed = 0;
let delivered = 0;
let outOfOrder = 0;
let errors = 0;
let complete = 0;
let onProgress = () => {};

function receive(index: number, channel: StampedChannel): void {
  const receivedAt = clock();
  const { sequence, sentAt } = readStamp(channel);
  if (sequence === PROBE_SEQUENCE) {
    if (heardProbe[index] === 0 && ++probed === count) onProgress();
    heardProbe[index] = 1;
    return;
  }
  histogram.record(receivedAt - sentAt);
  if (sequence < rate) firstSecond.record(receivedAt - sentAt);
  if (sequence >= steadyFrom) steady.record(receivedAt - sentAt);
  delivered++;
  if (sequence !== nextSequence[index]) outOfOrder++;
  nextSequence[index] = sequence + groups;
  received[index] = (received[index] ?? 0) + 1;
  if (received[index] === eventsOfGroup(groupOf(index)) && ++complete === count) onProgress();
}

const clients: Client[] = [];
for (let start = 0; start < count; start += CONNECT_CONCURRENCY) {
  const connecting: Promise<void>[] = [];
  for (let index = start; index < Math.min(count, start + CONNECT_CONCURRENCY); index++) {
    const client = createClient({ url: values.url as string, webSocketImpl: WebSocket, connectionParams: { token: values.token }, retryAttempts: 0 });
    clients.push(client);
    connecting.push(new Promise((resolve) => client.on('connected', () => resolve())));
    client.subscribe<{ channelEvents: { channel: StampedChannel } }>(
      { query: SUBSCRIPTION, variables: { server: values.server, callerIdNum: groups > 1 ? groupCallerId(groupOf(index)) : null } },
      {
        next: (result) => {
          if (result.data) receive(index, result.data.channelEvents.channel);
          else errors++;
        },
        error: () => errors++,
        complete: () => {},
      },
    );
  }
  await Promise.all(connecting);
}
console.log(JSON.stringify({ connected: clients.length }));

await new Promise<void>((resolve) => {
  onProgress = resolve;
  if (probed === count) resolve();
});
console.log(JSON.stringify({ ready: true }));

// The stream is out when stdin ends; then every client gets drainMs more to receive the rest.
process.stdin.resume();
await new Promise((resolve) => process.stdin.once('end', resolve));
await new Promise<void>((resolve) => {
  const timer = setTimeout(resolve, drainMs);
  onProgress = () => {
    clearTimeout(timer);
    resolve();
  };
  if (complete === count) onProgress();
});

const { userCPUTime, systemCPUTime } = process.resourceUsage();
const result: ClientsResult = {
  clients: count,
  events,
  groups,
  delivered,
  completeClients: complete,
  fewestDelivered: Math.min(...received),
  outOfOrder,
  errors,
  latency: histogram.summary(),
  firstSecond: firstSecond.summary(),
  steady: steady.summary(),
  cpuSeconds: (userCPUTime + systemCPUTime) / 1e6,
};
console.log(JSON.stringify(result));
await Promise.all(clients.map((client) => client.dispose()));
process.exit(0);
