import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { changePublisher, createBus, type LiveBus } from '../../src/bus/bus.js';
import type { LiveEvent, LiveTopic } from '../../src/bus/topics.js';
import type { BackoffPolicy } from '../../src/backoff.js';
import type { AmiServerConfig } from '../../src/ami/config.js';
import type { AmiConnection } from '../../src/ami/connection.js';
import { field, isEvent, parseFrame, type AmiEvent, type AmiMessage } from '../../src/ami/message.js';
import { startIngest, type Ingest } from '../../src/live/ingest.js';
import { reduce } from '../../src/live/reducer.js';
import { ENTITY_NAMES, type LiveState } from '../../src/live/state.js';
import type { LiveStore } from '../../src/live/store.js';
import { MemoryLiveStore } from '../../src/live/storeMemory.js';
import { RedisLiveStore } from '../../src/live/storeRedis.js';
import { useAmiHarness } from '../ami/harness.js';
import { captureLogs, type LogCapture } from '../ami/logCapture.js';
import { collect, redisAvailable } from '../bus/transports.js';
import type { ScriptSession } from '../support/amiScriptServer.js';
import { REDIS_URL } from '../support/services.js';
import { readTranscript, type TranscriptName } from '../support/transcripts.js';

const SERVER = 'pbx-ingest';
const EVERY_ENTITY_TOPIC: readonly LiveTopic[] = ['live.channel', 'live.call', 'live.bridge', 'live.queue', 'live.park', 'live.agent', 'live.device', 'live.extension', 'live.registration', 'live.pbx'];

/** The frames Asterisk sent after the first `action` of a transcript, until the next action. */
function framesAfter(name: TranscriptName, action: string): string[] {
  const frames: string[] = [];
  let inside: boolean | undefined;
  for (const frame of readTranscript(name)) {
    if (frame.dir === 'out') {
      if (inside === true) break;
      if (inside === undefined && field(parseFrame(frame.frame), 'action') === action) inside = true;
    } else if (inside === true) frames.push(frame.frame);
  }
  return frames;
}

/** Sends a transcript's answer to a list action under the client's ActionID. */
function answerWith(frames: readonly string[]) {
  return (action: AmiMessage, session: ScriptSession) =>
    session.send(...frames.map((frame) => frame.replace(/^ActionID: rec-\d+(?=\r?\n)/m, `ActionID: ${field(action, 'actionid')}`)));
}

/** Answers a list action with no items, as Asterisk does for an idle PBX. */
function emptyList(complete: string) {
  return (action: AmiMessage, session: ScriptSession) => {
    const id = field(action, 'actionid');
    session.send(
      `Response: Success\r\nActionID: ${id}\r\nEventList: start\r\nMessage: Items will follow\r\n\r\n`,
      `Event: ${complete}\r\nActionID: ${id}\r\nEventList: Complete\r\nListItems: 0\r\n\r\n`,
    );
  };
}

function snapshot(state: LiveState) {
  return Object.fromEntries(ENTITY_NAMES.map((entity) => [entity, [...state[entity]].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]));
}

const identity = (event: Pick<LiveEvent, 'kind' | 'entity' | 'key'>) => `${event.entity} ${event.key} ${event.kind}`;

const SETUPS = [
  { setup: 'memory store and in-process bus', redis: false, available: true },
  { setup: 'Redis store and Redis bus', redis: true, available: redisAvailable },
] as const;

describe.each(SETUPS)('live state ingest with the $setup', ({ redis, available }) => {
  const harness = useAmiHarness();
  const disposals: (() => Promise<void>)[] = [];
  // Declared after the harness, so it runs first: the ingest stops before its connection closes.
  afterEach(async () => {
    for (const dispose of disposals.splice(0).reverse()) await dispose();
  });

  function backing(): { store: LiveStore; bus: LiveBus } {
    const prefix = `test-ingest-${randomUUID()}`;
    const store = redis ? new RedisLiveStore({ redisUrl: REDIS_URL, prefix }) : new MemoryLiveStore();
    const bus = createBus({ redisUrl: redis ? REDIS_URL : undefined });
    disposals.push(async () => {
      await Promise.all([store.close(), bus.close()]);
      if (!redis) return;
      const client = new Redis(REDIS_URL);
      const keys = await client.keys(`${prefix}:*`);
      if (keys.length > 0) await client.del(...keys);
      await client.quit();
    });
    return { store, bus };
  }

  function ingest(connection: AmiConnection, store: LiveStore, bus: LiveBus, logs: LogCapture, statusRefreshMs?: number): Ingest {
    const running = startIngest({ connection, server: SERVER, store, publish: changePublisher(bus), log: logs.log, now: () => 1_795_294_905_000, ...(statusRefreshMs ? { statusRefreshMs } : {}) });
    disposals.push(() => running.stop());
    return running;
  }

  /** Until every frame the PBX sent so far has been reduced, stored and published. */
  async function settled(connection: AmiConnection, running: Ingest): Promise<void> {
    // The PBX answers in order: once the Pong is here, every earlier frame has been read and queued.
    await connection.action({ action: 'Ping' });
    await running.idle();
  }

  /** An ingest over a real connection to `config`, once its first resync is stored and published. */
  async function ingestingFrom(config: AmiServerConfig, backoff?: BackoffPolicy, statusRefreshMs?: number) {
    const { store, bus } = backing();
    const logs = captureLogs();
    const resynced = logs.next('live state resynced');
    const { connection } = harness.connection(config, { log: logs.log, ...(backoff ? { backoff } : {}) });
    const running = ingest(connection, store, bus, logs, statusRefreshMs);
    await connection.start();
    await resynced;
    await settled(connection, running);
    return { store, bus, connection, running, logs };
  }

  it.skipIf(!available)('puts a transcript’s events into the store and on the bus', async () => {
    const script = await harness.server({
      transcript: 'answered-to-queue',
      handlers: {
        coreshowchannels: emptyList('CoreShowChannelsComplete'),
        queuestatus: emptyList('QueueStatusComplete'),
        queuesummary: emptyList('QueueSummaryComplete'),
      },
    });
    const { store, bus, connection, running } = await ingestingFrom(script.config);

    const before = await store.load(SERVER);
    const events = framesAfter('answered-to-queue', 'Originate').map(parseFrame).filter(isEvent) as AmiEvent[];
    let expected = before;
    const expectedChanges: string[] = [];
    for (const event of events) {
      const reduction = reduce(expected, event, SERVER);
      expected = reduction.state;
      expectedChanges.push(...reduction.changes.map(identity));
    }
    expect(expectedChanges.length).toBeGreaterThan(20);

    const published = await collect(bus, EVERY_ENTITY_TOPIC);
    await connection.action({ action: 'Originate', channel: 'Local/1001@customers', context: 'dest', exten: 'queue-sales', priority: 1, async: true });
    await settled(connection, running);

    expect(snapshot(await store.load(SERVER))).toEqual(snapshot(expected));
    expect(expected.channel.size).toBeGreaterThan(0);
    const received = await published.until(expectedChanges.length);
    expect(received.map(identity).sort()).toEqual([...expectedChanges].sort());
    expect(received.every((event) => event.server === SERVER)).toBe(true);
    await published.stop();
  });

  it.skipIf(!available)('asks the PBX again, now and then, for the calls it processed, which no event counts, and leaves the channels up to the events', async () => {
    let processed = 3;
    const script = await harness.server({
      handlers: {
        corestatus: (action, session) =>
          session.send(
            `Response: Success\r\nActionID: ${field(action, 'actionid')}\r\nCoreStartupDate: 2026-11-21\r\nCoreStartupTime: 21:00:19\r\nCoreReloadDate: 2026-11-21\r\nCoreReloadTime: 21:00:19\r\nCoreCurrentCalls: ${processed * 10}\r\nCoreProcessedCalls: ${processed++}\r\n\r\n`,
          ),
      },
    });
    const { store } = await ingestingFrom(script.config, undefined, 20);
    // The resync took the first answer whole; the refreshes after it only the calls processed.
    await vi.waitFor(async () => expect((await store.get('pbx', SERVER, SERVER))?.processedCalls).toBeGreaterThanOrEqual(5), { timeout: 10_000 });
    expect((await store.get('pbx', SERVER, SERVER))?.currentCalls).toBe(30);
  });

  it.skipIf(!available)('applies events that arrive during a resync after it, in order', async () => {
    const newchannel = framesAfter('answered-to-queue', 'Originate').find((frame) => frame.startsWith('Event: Newchannel\r\n'));
    if (newchannel === undefined) throw new Error('no Newchannel in answered-to-queue');
    const script = await harness.server({
      handlers: {
        // The channel appears while the list is being gathered, and the list (taken a moment earlier) lacks it.
        coreshowchannels: (action, session) => {
          session.send(newchannel);
          emptyList('CoreShowChannelsComplete')(action, session);
        },
      },
    });
    const { store } = await ingestingFrom(script.config);
    const uniqueid = field(parseFrame(newchannel), 'uniqueid');
    expect((await store.get('channel', SERVER, uniqueid))?.uniqueid).toBe(uniqueid);
  });

  it.skipIf(!available)('resyncs after a reconnect, removing stale channels from the store and publishing REMOVED', async () => {
    const channelsMidCall = framesAfter('answered-to-queue', 'CoreShowChannels');
    const script = await harness.server({
      handlers: {
        coreshowchannels: (action, session) =>
          (session.index === 0 ? answerWith(channelsMidCall) : emptyList('CoreShowChannelsComplete'))(action, session),
      },
    });
    const { store, bus, connection, running, logs } = await ingestingFrom(script.config, { initialMs: 1, maxMs: 1 });

    const stale = await store.list('channel', { server: SERVER });
    expect(stale.map((channel) => channel.name).sort()).toEqual([
      'Local/1001@customers-00000000;1',
      'Local/1001@customers-00000000;2',
      'Local/102@agents-00000002;1',
      'Local/102@agents-00000002;2',
    ]);
    // The actions this PBX does not answer were logged and left out, not fatal.
    expect(logs.records.filter((record) => record.msg.startsWith('resync action failed')).map((record) => record.action).sort()).toEqual(
      ['Agents', 'CoreSettings', 'CoreStatus', 'DeviceStateList', 'ExtensionStateList', 'PJSIPShowRegistrationsOutbound', 'ParkedCalls', 'Parkinglots', 'QueueStatus', 'QueueSummary'],
    );

    const removed = await collect(bus, ['live.channel', 'live.call']);
    const secondResync = logs.next('live state resynced');
    script.sessions[0]?.socket.destroy();
    await secondResync;
    await settled(connection, running);

    expect(await store.list('channel', { server: SERVER })).toEqual([]);
    expect(await store.list('call', { server: SERVER })).toEqual([]);
    const gone = await removed.until(stale.length, (event) => event.entity === 'channel');
    expect(gone.map((event) => [event.kind, event.key]).sort()).toEqual(stale.map((channel) => ['REMOVED', channel.uniqueid]).sort());
    await removed.stop();
  });

  it.skipIf(!available)('says the PBX is connected once resynced, out of reach as soon as its session drops, and connected again after the reconnect', async () => {
    const script = await harness.server({ handlers: { coreshowchannels: emptyList('CoreShowChannelsComplete') } });
    const { store, bus, connection, running, logs } = await ingestingFrom(script.config, { initialMs: 1, maxMs: 1 });
    expect(await store.get('pbx', SERVER, SERVER)).toMatchObject({ server: SERVER, connected: true });

    const changes = await collect(bus, ['live.pbx']);
    const secondResync = logs.next('live state resynced');
    script.sessions[0]?.socket.destroy();
    await secondResync;
    await settled(connection, running);
    const seen = await changes.until(2);
    expect(seen.map((event) => [event.kind, (event.value as { connected: boolean }).connected])).toEqual([
      ['UPDATED', false],
      ['UPDATED', true],
    ]);
    expect(await store.get('pbx', SERVER, SERVER)).toMatchObject({ connected: true });
    await changes.stop();
  });
});
