import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { AmiConnection, AmiConnectionEvents, AmiListResult } from '../../src/ami/connection.js';
import type { AmiEvent, AmiMessage } from '../../src/ami/message.js';
import { changePublisher, createBus } from '../../src/bus/bus.js';
import { startIngest } from '../../src/live/ingest.js';
import { reduceEvents } from '../../src/live/reducer.js';
import { emptyLiveState, ENTITY_NAMES, type Change, type LiveState } from '../../src/live/state.js';
import { MemoryLiveStore } from '../../src/live/storeMemory.js';
import { captureLogs } from '../ami/logCapture.js';
import { collect } from '../bus/transports.js';
import { SERVER, finalState, replay } from './replay.js';

/** A connection that never connects: the test hands events to the ingest itself. */
class EventSource implements AmiConnection {
  readonly server = SERVER;
  readonly connected = false;
  private readonly emitter = new EventEmitter();

  async action(): Promise<AmiMessage> {
    throw new Error('not connected');
  }

  async listAction(): Promise<AmiListResult> {
    throw new Error('not connected');
  }

  async command(): Promise<string[]> {
    throw new Error('not connected');
  }

  on<K extends keyof AmiConnectionEvents>(name: K, listener: (...args: AmiConnectionEvents[K]) => void): () => void {
    const untyped = listener as (...args: unknown[]) => void;
    this.emitter.on(name, untyped);
    return () => this.emitter.off(name, untyped);
  }

  emit(event: AmiEvent): void {
    this.emitter.emit('event', event);
  }

  async close(): Promise<void> {}

  /** Whether reading is paused now, and every pause and resume asked, in order. */
  paused = false;
  readonly flow: ('pause' | 'resume')[] = [];

  pause(): void {
    this.paused = true;
    this.flow.push('pause');
  }

  resume(): void {
    this.paused = false;
    this.flow.push('resume');
  }
}

/** A memory store whose next `failures` apply calls fail, as a Redis outage would. */
class FlakyStore extends MemoryLiveStore {
  constructor(private failures: number) {
    super();
  }

  override async apply(server: string, changes: readonly Change[]): Promise<void> {
    if (this.failures-- > 0) throw new Error('store unavailable');
    return super.apply(server, changes);
  }
}

function snapshot(state: LiveState) {
  return Object.fromEntries(ENTITY_NAMES.map((entity) => [entity, [...state[entity]].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]));
}

/** The moment the ingests here receive every event: the replays they are compared with date FullyBooted by it. */
const RECEIVED_AT = 1_796_000_000_000;
const receivedAt = () => RECEIVED_AT;
const steps = replay('answered-to-queue', emptyLiveState(), RECEIVED_AT);

describe('live state ingest when the store fails', () => {
  it('logs a failed write, keeps publishing, and catches the store up with the next write', async () => {
    const store = new FlakyStore(1);
    const bus = createBus();
    const logs = captureLogs();
    const failed = logs.next('live store write failed; the next write replaces the whole state');
    const source = new EventSource();

    const running = startIngest({ connection: source, server: SERVER, store, publish: changePublisher(bus), log: logs.log, now: receivedAt });
    const published = await collect(bus, ['live.channel']);
    const [first, ...rest] = steps;
    if (first === undefined) throw new Error('no events');
    source.emit(first.event);
    expect(await failed).toMatchObject({ server: SERVER });
    for (const step of rest) source.emit(step.event);
    await running.idle();

    expect(snapshot(await store.load(SERVER))).toEqual(snapshot(finalState(steps)));
    const channelChanges = steps.flatMap((step) => step.changes).filter((change) => change.entity === 'channel');
    const received = await published.until(channelChanges.length);
    expect(received.map((event) => `${event.kind} ${event.key}`)).toEqual(channelChanges.map((change) => `${change.kind} ${change.key}`));
    await published.stop();
    await running.stop();
  });
});

describe('stopping the ingest', () => {
  it('settles once the events already received are written, and takes no events after', async () => {
    const store = new MemoryLiveStore();
    const source = new EventSource();
    const logs = captureLogs();
    const running = startIngest({ connection: source, server: SERVER, store, publish: changePublisher(createBus()), log: logs.log, now: receivedAt });
    const [first, second] = steps;
    if (first === undefined || second === undefined) throw new Error('too few events');
    source.emit(first.event);
    await running.stop();
    expect(snapshot(await store.load(SERVER))).toEqual(snapshot(first.state));
    source.emit(second.event);
    await running.idle();
    expect(snapshot(await store.load(SERVER))).toEqual(snapshot(first.state));
    expect(logs.messages()).toContain('live state ingest stopped');
  });
});

describe('backpressure on the AMI socket', () => {
  it('pauses reading while the backlog is deep, reads again once it is drained, and loses no event', async () => {
    const store = new MemoryLiveStore();
    const source = new EventSource();
    const running = startIngest({ connection: source, server: SERVER, store, publish: changePublisher(createBus()), log: captureLogs().log, now: receivedAt });
    // A burst far deeper than the pause threshold arrives before the ingest gets a turn.
    const rounds = Math.ceil(3_000 / steps.length);
    const emitted = Array.from({ length: rounds }, () => steps.map((step) => step.event)).flat();
    for (const event of emitted) source.emit(event);
    expect(source.paused).toBe(true);
    await running.idle();
    expect(source.paused).toBe(false);
    expect(source.flow).toEqual(['pause', 'resume']);
    // Every event reduced, in order: the last replay's state, with each call counted once per round.
    expect(snapshot(await store.load(SERVER))).toEqual(snapshot(reduceEvents(emptyLiveState(), emitted, SERVER, RECEIVED_AT).state));
    await running.stop();
  });
});
