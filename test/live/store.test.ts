import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { callLogEntries } from '../../src/live/callLog.js';
import type { LiveStore } from '../../src/live/store.js';
import { MemoryLiveStore } from '../../src/live/storeMemory.js';
import { RedisLiveStore } from '../../src/live/storeRedis.js';
import { ENTITY_NAMES, emptyLiveState, type LiveState } from '../../src/live/state.js';
import { resync } from '../../src/live/resync.js';
import { redisAvailable } from '../bus/transports.js';
import { startPrivateRedis } from '../support/privateRedis.js';
import { REDIS_URL } from '../support/services.js';
import { SERVER, finalState, replay } from './replay.js';

/** A state as plain data, each table sorted by key, to compare states whatever their table's order. */
function snapshot(state: LiveState) {
  return Object.fromEntries(
    ENTITY_NAMES.map((entity) => [entity, [...state[entity]].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]),
  );
}


/** Stores for one test, each pointed at its own Redis key prefix (removed after the test). */
function useStores() {
  const open: LiveStore[] = [];
  const prefixes: string[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((store) => store.close()));
    if (prefixes.length === 0) return;
    const redis = new Redis(REDIS_URL);
    for (const prefix of prefixes.splice(0)) {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
    }
    await redis.quit();
  });
  return {
    memory(): LiveStore {
      const store = new MemoryLiveStore();
      open.push(store);
      return store;
    },
    /** A Redis store; pass the prefix of another to get a second client on the same data. */
    redis(prefix = `test-live-${randomUUID()}`): { store: LiveStore; prefix: string } {
      prefixes.push(prefix);
      const store = new RedisLiveStore({ redisUrl: REDIS_URL, prefix });
      open.push(store);
      return { store, prefix };
    },
  };
}

const queueCall = replay('answered-to-queue');
const parking = replay('answered-to-park');

describe.each([
  { adapter: 'memory', available: true },
  { adapter: 'Redis', available: redisAvailable },
] as const)('the $adapter live store', ({ adapter, available }) => {
  const stores = useStores();
  const newStore = () => (adapter === 'memory' ? stores.memory() : stores.redis().store);

  it.skipIf(!available)('holds nothing for a server it never saw', async () => {
    const store = newStore();
    expect(snapshot(await store.load('pbx-a'))).toEqual(snapshot(emptyLiveState()));
    expect(await store.list('channel')).toEqual([]);
    expect(await store.get('channel', 'pbx-a', '1.1')).toBeUndefined();
    expect(await store.servers()).toEqual([]);
  });

  it.skipIf(!available)('ends where the reducer ended after every reduction of a transcript is applied in order', async () => {
    const store = newStore();
    for (const step of queueCall) await store.apply(SERVER, step.changes);
    expect(snapshot(await store.load(SERVER))).toEqual(snapshot(finalState(queueCall)));
    expect(await store.servers()).toEqual([SERVER]);
  });

  it.skipIf(!available)('ends the same when each write comes with the state the reducer reached', async () => {
    const store = newStore();
    for (const step of queueCall) await store.apply(SERVER, step.changes, step.state);
    expect(snapshot(await store.load(SERVER))).toEqual(snapshot(finalState(queueCall)));
  });

  it.skipIf(!available)('answers list and get from what it holds, by server', async () => {
    const store = newStore();
    const midCall = queueCall.find((step) => step.state.channel.size >= 2)?.state ?? emptyLiveState();
    const parked = parking.find((step) => step.state.parkedCall.size > 0)?.state ?? emptyLiveState();
    await store.replace('pbx-a', midCall);
    await store.replace('pbx-b', parked);
    const byUniqueid = (a: { uniqueid: string }, b: { uniqueid: string }) => a.uniqueid.localeCompare(b.uniqueid);
    expect((await store.list('channel', { server: 'pbx-a' })).sort(byUniqueid)).toEqual([...midCall.channel.values()].sort(byUniqueid));
    expect((await store.list('channel')).sort(byUniqueid)).toEqual([...midCall.channel.values(), ...parked.channel.values()].sort(byUniqueid));
    expect(parked.parkedCall.size).toBeGreaterThan(0);
    expect(await store.list('parkedCall')).toEqual([...parked.parkedCall.values()]);
    expect(await store.list('parkedCall', { server: 'pbx-a' })).toEqual([]);
    const [key, channel] = [...midCall.channel][0] ?? [];
    expect(await store.get('channel', 'pbx-a', key ?? '')).toEqual(channel);
    expect(await store.get('channel', 'pbx-b', key ?? '')).toBeUndefined();
    expect((await store.servers()).sort()).toEqual(['pbx-a', 'pbx-b']);
  });

  it.skipIf(!available)('replaces a server’s whole state on resync, dropping what is gone, and leaves other servers alone', async () => {
    const store = newStore();
    const midCall = queueCall.find((step) => step.state.channel.size >= 2)?.state ?? emptyLiveState();
    await store.replace('pbx-a', midCall);
    await store.replace('pbx-b', midCall);
    const { state: fresh } = resync(midCall, { channels: [], queueStatus: [] }, 'pbx-a', 1_795_294_905_000);
    expect(fresh.channel.size).toBe(0);
    await store.replace('pbx-a', fresh);
    expect(snapshot(await store.load('pbx-a'))).toEqual(snapshot(fresh));
    expect(await store.list('channel', { server: 'pbx-a' })).toEqual([]);
    expect(snapshot(await store.load('pbx-b'))).toEqual(snapshot(midCall));
  });

  it.skipIf(!available)('applies REMOVED as a delete and UPDATED as the new value', async () => {
    const store = newStore();
    const created = queueCall.flatMap((step) => step.changes).find((change) => change.entity === 'channel' && change.kind === 'CREATED');
    if (created?.entity !== 'channel') throw new Error('no channel created in answered-to-queue');
    await store.apply('pbx-a', [created]);
    const updated = { ...created, kind: 'UPDATED' as const, value: { ...created.value, state: 6, stateDesc: 'Up' } };
    await store.apply('pbx-a', [updated]);
    expect(await store.get('channel', 'pbx-a', created.key)).toEqual(updated.value);
    await store.apply('pbx-a', [{ ...updated, kind: 'REMOVED' }]);
    expect(await store.get('channel', 'pbx-a', created.key)).toBeUndefined();
  });

  it.skipIf(!available)("keeps each dialer call's events in order, by dialing and server, and only those, a failed-over leg's with its dialing", async () => {
    const store = newStore();
    const dialing = randomUUID();
    const events = [
      { event: 'Newchannel', uniqueid: dialing, channel: 'Local/1001@customers-1;1' },
      { event: 'Newchannel', uniqueid: `${dialing};2`, channel: 'Local/1001@customers-1;2' },
      { event: 'VarSet', uniqueid: dialing, variable: 'X' },
      { event: 'Newchannel', uniqueid: '1700000000.12', channel: 'PJSIP/2001-1' },
      { event: 'UserEvent', uniqueid: ['1700000000.13', `${dialing};2`], userevent: 'CALLSTATUS', v: 'SALE' },
      { event: 'Hangup', uniqueid: `${dialing};2`, cause: '16' },
      { event: 'Newchannel', uniqueid: `${dialing}-2;2`, channel: 'Local/1001@other-2;2' },
      { event: 'Newchannel', uniqueid: `${dialing}-x`, channel: 'Local/1001@other-3;1' },
    ];
    await store.logCalls(SERVER, callLogEntries(events, 1_000));
    const logged = await store.callLog(SERVER, dialing);
    expect(logged.map(({ at, event }) => [at, event.event, event.uniqueid])).toEqual([
      [1_000, 'Newchannel', dialing],
      [1_000, 'Newchannel', `${dialing};2`],
      [1_000, 'UserEvent', ['1700000000.13', `${dialing};2`]],
      [1_000, 'Hangup', `${dialing};2`],
      [1_000, 'Newchannel', `${dialing}-2;2`],
    ]);
    expect(await store.callLog('pbx-other', dialing)).toEqual([]);
  });
});

describe.skipIf(!redisAvailable)('the Redis live store across processes', () => {
  const stores = useStores();

  it('is readable from another client as soon as a write resolves', async () => {
    const { store: worker, prefix } = stores.redis();
    const { store: api } = stores.redis(prefix);
    for (const step of parking) {
      await worker.apply(SERVER, step.changes);
      // The last change of each object in the reduction is what the other client must read.
      const last = new Map(step.changes.map((change) => [`${change.entity}|${change.key}`, change]));
      for (const change of last.values()) {
        expect(await api.get(change.entity, SERVER, change.key)).toEqual(change.kind === 'REMOVED' ? undefined : change.value);
      }
    }
    expect(snapshot(await api.load(SERVER))).toEqual(snapshot(finalState(parking)));
  });
});

describe('the memory live store\'s call log', () => {
  it('forgets a call once its window after its last event passed', async () => {
    let now = 0;
    const store = new MemoryLiveStore({ callLogMs: 1_000, now: () => now });
    const [early, late] = [randomUUID(), randomUUID()];
    await store.logCalls('pbx1', callLogEntries([{ event: 'Newchannel', uniqueid: early }], 0));
    now = 600;
    await store.logCalls('pbx1', callLogEntries([{ event: 'Newchannel', uniqueid: late }], 600));
    now = 1_200;
    expect(await store.callLog('pbx1', early)).toEqual([]);
    expect(await store.callLog('pbx1', late)).toHaveLength(1);
  });
});

describe.skipIf(!redisAvailable)('the Redis live store losing its data', () => {
  it('tells the process that wrote the whole state once Redis no longer holds it, and no process that only reads', async () => {
    // A Redis of its own: the EXISTS it counts are this writer's checks alone.
    const redis = await startPrivateRedis();
    const prefix = `test-live-${randomUUID()}`;
    const writer = new RedisLiveStore({ redisUrl: redis.url, prefix, lossCheckMs: 50 });
    const reader = new RedisLiveStore({ redisUrl: redis.url, prefix, lossCheckMs: 50 });
    const admin = new Redis(redis.url);
    let writerLost = 0;
    let readerLost = 0;
    const stopWriter = writer.watchLoss(() => writerLost++);
    const stopReader = reader.watchLoss(() => readerLost++);
    try {
      await writer.replace(SERVER, finalState(parking));
      // The writer has looked several times (Redis counts the EXISTS it sent) and found the state there.
      const existsCalls = async () => Number(/cmdstat_exists:calls=(\d+)/.exec(await admin.info('commandstats'))?.[1] ?? 0);
      const before = await existsCalls();
      await expect.poll(existsCalls).toBeGreaterThanOrEqual(before + 4);
      expect(writerLost).toBe(0);
      // A flush, as a restart without persistence or a failover to an empty replica leaves it.
      const keys = await admin.keys(`${prefix}:*`);
      await admin.del(...keys);
      await expect.poll(() => writerLost).toBeGreaterThan(0);
      expect(readerLost).toBe(0);
    } finally {
      stopWriter();
      stopReader();
      await Promise.all([writer.close(), reader.close(), admin.quit()]);
      await redis.destroy();
    }
  });
});
