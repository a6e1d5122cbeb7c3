import { Redis } from 'ioredis';
import { describe, expect, it, vi } from 'vitest';
import { createBus, publishChange } from '../../src/bus/bus.js';
import { captureLogs } from '../ami/logCapture.js';
import { topicsOf, type LiveEvent } from '../../src/bus/topics.js';
import type { Change } from '../../src/live/state.js';
import { replay } from '../live/replay.js';
import { BUS_TRANSPORTS, subscribe, useBuses } from './transports.js';

type Find<E extends Change['entity']> = Extract<Change, { entity: E }>;

/** Real changes the reducer made from the transcripts. */
function firstChange<E extends Change['entity']>(name: Parameters<typeof replay>[0], entity: E, matches: (change: Find<E>) => boolean = () => true): Find<E> {
  for (const step of replay(name)) {
    const found = step.changes.find((change): change is Find<E> => change.entity === entity && matches(change as Find<E>));
    if (found) return found;
  }
  throw new Error(`no ${entity} change in ${name}`);
}

const channel = firstChange('answered-to-queue', 'channel', (change) => change.value.callerIdNum !== '');
const otherChannel: Change = { ...channel, key: 'other.1', value: { ...channel.value, uniqueid: 'other.1', callerIdNum: `${channel.value.callerIdNum}9` } };
const member = firstChange('queue-admin', 'queueMember');
const parked = firstChange('answered-to-park', 'parkedCall');
const agent = firstChange('agents-login-queue', 'agent');

const stripped = (event: LiveEvent) => ({ server: event.server, kind: event.kind, entity: event.entity, key: event.key });

describe('topicsOf: where each change is published', () => {
  it('publishes a channel on all channels and on its caller id', () => {
    expect(topicsOf(channel)).toEqual(['live.channel', `live.channel.callerid.${channel.value.callerIdNum}`]);
  });

  it('publishes queue, member and caller changes on all queues and on their queue', () => {
    expect(topicsOf(member)).toEqual(['live.queue', `live.queue.${member.value.queue}`]);
    const caller = firstChange('answered-to-queue', 'queueCaller');
    expect(topicsOf(caller)).toEqual(['live.queue', `live.queue.${caller.value.queue}`]);
  });

  it('publishes parked calls on all lots and on their lot', () => {
    expect(topicsOf(parked)).toEqual(['live.park', `live.park.${parked.value.lot}`]);
  });

  it('publishes agents, devices, extensions and the PBX on one topic each', () => {
    expect(topicsOf(agent)).toEqual(['live.agent']);
    expect(topicsOf(firstChange('device-states', 'device'))).toEqual(['live.device']);
    expect(topicsOf(firstChange('device-states', 'extension'))).toEqual(['live.extension']);
  });
});

describe.each(BUS_TRANSPORTS)('the bus $transport', ({ redisUrl, available }) => {
  const newBus = useBuses(redisUrl);

  it.skipIf(!available)('delivers a change to a subscriber of each of its topics and to no other', async () => {
    const bus = newBus();
    const all = await subscribe(bus, 'live.channel');
    const mine = await subscribe(bus, `live.channel.callerid.${channel.value.callerIdNum}`);
    const theirs = await subscribe(bus, `live.channel.callerid.${channel.value.callerIdNum}9`);
    const queue = await subscribe(bus, `live.queue.${member.value.queue}`);
    const otherQueue = await subscribe(bus, 'live.queue.nobody-here');

    publishChange(bus, 'pbx-a', channel);
    publishChange(bus, 'pbx-a', otherChannel);
    publishChange(bus, 'pbx-a', member);
    publishChange(bus, 'pbx-a', { ...member, value: { ...member.value, queue: 'nobody-here' } });

    expect(await all.next()).toEqual({ server: 'pbx-a', ...channel });
    expect(stripped(await all.next())).toEqual(stripped({ server: 'pbx-a', ...otherChannel }));
    expect(await mine.next()).toEqual({ server: 'pbx-a', ...channel });
    // The first thing each narrower subscriber hears is its own change: the earlier ones never reached it.
    expect(await theirs.next()).toEqual({ server: 'pbx-a', ...otherChannel });
    expect(await queue.next()).toEqual({ server: 'pbx-a', ...member });
    expect((await otherQueue.next()).value).toMatchObject({ queue: 'nobody-here' });
    await Promise.all([all, mine, theirs, queue, otherQueue].map((subscription) => subscription.stop()));
  });

  it.skipIf(!available)('takes a hundred subscribers of one topic without a warning, and delivers to each', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const bus = newBus();
      const screens = await Promise.all(Array.from({ length: 100 }, () => subscribe(bus, 'live.channel')));
      publishChange(bus, 'pbx-a', channel);
      for (const screen of screens) expect(await screen.next()).toEqual({ server: 'pbx-a', ...channel });
      await Promise.all(screens.map((screen) => screen.stop()));
      // Node emits a listener warning on the next tick: one more turn, and it would be here.
      await new Promise<void>((resolve) => setImmediate(resolve));
      expect(warnings.map((warning) => warning.name)).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it.skipIf(!available)('delivers parked calls per lot', async () => {
    const bus = newBus();
    const lot = await subscribe(bus, `live.park.${parked.value.lot}`);
    const otherLot = await subscribe(bus, 'live.park.elsewhere');
    publishChange(bus, 'pbx-a', parked);
    publishChange(bus, 'pbx-a', { ...parked, value: { ...parked.value, lot: 'elsewhere' } });
    expect(await lot.next()).toEqual({ server: 'pbx-a', ...parked });
    expect((await otherLot.next()).value).toMatchObject({ lot: 'elsewhere' });
    await Promise.all([lot.stop(), otherLot.stop()]);
  });
});

describe.skipIf(!BUS_TRANSPORTS[1].available)('the Redis bus across processes', () => {
  const newBus = useBuses(BUS_TRANSPORTS[1].redisUrl);

  it('lets two bus instances see each other’s publishes', async () => {
    const worker = newBus();
    const api = newBus();
    const atApi = await subscribe(api, 'live.agent');
    const atWorker = await subscribe(worker, 'live.agent');
    publishChange(worker, 'pbx-a', agent);
    expect(await atApi.next()).toEqual({ server: 'pbx-a', ...agent });
    expect(await atWorker.next()).toEqual({ server: 'pbx-a', ...agent });
    publishChange(api, 'pbx-b', agent);
    expect((await atWorker.next()).server).toBe('pbx-b');
    expect((await atApi.next()).server).toBe('pbx-b');
    await Promise.all([atApi.stop(), atWorker.stop()]);
  });

  it('logs a publish Redis refuses instead of leaving the rejection unhandled', async () => {
    const logs = captureLogs();
    const bus = createBus({ redisUrl: BUS_TRANSPORTS[1].redisUrl, log: logs.log });
    await bus.close();
    const failed = logs.next('bus publish failed');
    publishChange(bus, 'pbx-a', agent);
    expect(await failed).toMatchObject({ topic: 'live.agent' });
  });

  it('sends what one tick publishes on a topic as one message, and subscribers still get each event in order', async () => {
    const bus = newBus();
    const server = `pbx-batch-${process.pid}`;
    const raw = new Redis(BUS_TRANSPORTS[1].redisUrl as string);
    const messages: string[] = [];
    raw.on('message', (_topic: string, message: string) => messages.push(message));
    await raw.subscribe('live.agent');
    const agents = await subscribe(bus, 'live.agent');
    const names = ['a1', 'a2', 'a3'];
    for (const id of names) publishChange(bus, server, { ...agent, key: id, value: { ...agent.value, id } });
    for (const id of names) expect(await agents.next()).toMatchObject({ server, key: id });
    const ours = () => messages.filter((message) => message.includes(server));
    await vi.waitFor(() => expect(ours()).toHaveLength(1));
    expect((JSON.parse(ours()[0] as string) as { key: string }[]).map((event) => event.key)).toEqual(names);
    await agents.stop();
    await raw.quit();
  });
});
