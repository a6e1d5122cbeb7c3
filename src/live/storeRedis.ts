import { Redis, type ChainableCommander } from 'ioredis';
import type { Logger } from '../logger.js';
import { DEFAULT_CALL_LOG_MS, type CallLogEntry, type LoggedEvent } from './callLog.js';
import type { LiveStore, LiveStoreFilter } from './store.js';
import { ENTITY_NAMES, type Change, type Entities, type EntityName, type LiveState } from './state.js';
import { Table } from './table.js';

export type RedisLiveStoreOptions = {
  redisUrl: string;
  /** Prefix of every key; tests use their own. Default `live`. */
  prefix?: string;
  log?: Logger;
  /** How long a call's logged events are kept after its last one. Default 10 minutes. */
  callLogMs?: number;
  /** How often a writer checks that Redis still holds what it wrote. Default 5 s. */
  lossCheckMs?: number;
};

/**
 * The live store in Redis, shared by the ingest worker and every API process: one hash per server and
 * entity (`<prefix>:<entity>:<server>`, object key -> JSON), and a set of the servers stored. Each write is
 * one MULTI, so a reader never sees half a batch of reductions or half a resync.
 */
export class RedisLiveStore implements LiveStore {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly callLogMs: number;
  private readonly lossCheckMs: number;
  private readonly log: Logger | undefined;
  // Set by this process's first whole write: only a writer can tell that Redis lost what it wrote.
  private marked = false;

  constructor(options: RedisLiveStoreOptions) {
    this.prefix = options.prefix ?? 'live';
    this.callLogMs = options.callLogMs ?? DEFAULT_CALL_LOG_MS;
    this.lossCheckMs = options.lossCheckMs ?? 5_000;
    this.log = options.log;
    this.redis = new Redis(options.redisUrl, { connectionName: 'switchboard-live-store', enableAutoPipelining: true });
    // ioredis reconnects on its own; without a listener it would print the error to the console.
    this.redis.on('error', (error: Error) => options.log?.warn({ err: error }, 'live store redis client error'));
  }

  private key(entity: EntityName, server: string): string {
    return `${this.prefix}:${entity}:${server}`;
  }

  private get serversKey(): string {
    return `${this.prefix}:servers`;
  }

  /** Written with every whole state: gone, it says Redis restarted empty, was flushed or failed over to an empty replica. */
  private get markerKey(): string {
    return `${this.prefix}:written`;
  }

  private callKey(server: string, dialingId: string): string {
    return `${this.prefix}:calllog:${server}:${dialingId}`;
  }

  async load(server: string): Promise<LiveState> {
    const pipeline = this.redis.pipeline();
    for (const entity of ENTITY_NAMES) pipeline.hgetall(this.key(entity, server));
    const hashes = await results<Record<string, string>>(pipeline);
    return Object.fromEntries(
      ENTITY_NAMES.map((entity, index) => [
        entity,
        Table.from(Object.entries(hashes[index] ?? {}).map(([key, json]) => [key, JSON.parse(json) as unknown])),
      ]),
    ) as LiveState;
  }

  async apply(server: string, changes: readonly Change[]): Promise<void> {
    if (changes.length === 0) return;
    // A batch changes the same few objects many times over: only each object's last change reaches Redis,
    // as one HSET and one HDEL per hash, so the MULTI's size follows the objects touched, not the events.
    const lastChanges = new Map<EntityName, Map<string, Change>>();
    for (const change of changes) {
      let byKey = lastChanges.get(change.entity);
      if (byKey === undefined) lastChanges.set(change.entity, (byKey = new Map()));
      byKey.set(change.key, change);
    }
    const multi = this.redis.multi().sadd(this.serversKey, server);
    for (const [entity, byKey] of lastChanges) {
      const fields: string[] = [];
      const removed: string[] = [];
      for (const [field, change] of byKey) {
        if (change.kind === 'REMOVED') removed.push(field);
        else fields.push(field, JSON.stringify(change.value));
      }
      const key = this.key(entity, server);
      if (fields.length > 0) multi.hset(key, ...fields);
      if (removed.length > 0) multi.hdel(key, ...removed);
    }
    await results(multi);
  }

  async replace(server: string, state: LiveState): Promise<void> {
    const multi = this.redis.multi().sadd(this.serversKey, server).set(this.markerKey, '1');
    for (const entity of ENTITY_NAMES) {
      const key = this.key(entity, server);
      multi.del(key);
      const table: Table<unknown> = state[entity];
      if (table.size === 0) continue;
      const fields: Record<string, string> = {};
      for (const [field, value] of table) fields[field] = JSON.stringify(value);
      multi.hset(key, fields);
    }
    await results(multi);
    this.marked = true;
  }

  async list<E extends EntityName>(entity: E, filter: LiveStoreFilter = {}): Promise<Entities[E][]> {
    const servers = filter.server === undefined ? await this.servers() : [filter.server];
    if (servers.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const server of servers) pipeline.hvals(this.key(entity, server));
    const lists = await results<string[]>(pipeline);
    return lists.flatMap((list) => list.map((json) => JSON.parse(json) as Entities[E]));
  }

  async get<E extends EntityName>(entity: E, server: string, key: string): Promise<Entities[E] | undefined> {
    const json = await this.redis.hget(this.key(entity, server), key);
    return json === null ? undefined : (JSON.parse(json) as Entities[E]);
  }

  async servers(): Promise<string[]> {
    return this.redis.smembers(this.serversKey);
  }

  async logCalls(server: string, entries: readonly CallLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const pipeline = this.redis.pipeline();
    const keys = new Set<string>();
    for (const { dialingId, at, event } of entries) {
      const key = this.callKey(server, dialingId);
      pipeline.rpush(key, JSON.stringify({ at, event }));
      keys.add(key);
    }
    for (const key of keys) pipeline.pexpire(key, this.callLogMs);
    await results(pipeline);
  }

  async callLog(server: string, dialingId: string): Promise<LoggedEvent[]> {
    const items = await this.redis.lrange(this.callKey(server, dialingId), 0, -1);
    return items.map((json) => JSON.parse(json) as LoggedEvent);
  }

  watchLoss(lost: () => void): () => void {
    const check = () => {
      if (!this.marked) return;
      this.redis.exists(this.markerKey).then(
        (exists) => {
          if (exists === 1) return;
          this.log?.warn('Redis no longer holds the live state this process wrote (restarted empty, flushed or failed over): writing it again');
          lost();
        },
        () => undefined, // Redis away: the client's own error listener says so, and the next check looks again.
      );
    };
    const timer = setInterval(check, this.lossCheckMs);
    this.redis.on('ready', check);
    return () => {
      clearInterval(timer);
      this.redis.off('ready', check);
    };
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** The replies of a pipeline or MULTI; the first failed command's error is thrown. */
async function results<T = unknown>(commands: ChainableCommander): Promise<T[]> {
  const replies = (await commands.exec()) ?? [];
  return replies.map(([error, reply]) => {
    if (error) throw error;
    return reply as T;
  });
}
