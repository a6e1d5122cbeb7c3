import { DEFAULT_CALL_LOG_MS, type CallLogEntry, type LoggedEvent } from './callLog.js';
import { applyChanges, type LiveStore, type LiveStoreFilter } from './store.js';
import { emptyLiveState, type Change, type Entities, type EntityName, type LiveState } from './state.js';

export type MemoryLiveStoreOptions = {
  /** How long a call's logged events are kept after its last one. Default 10 minutes. */
  callLogMs?: number;
  /** What time it is, for the call log's window; the real clock unless a test moves it. */
  now?: () => number;
};

/** The live store of a single process (the embedded default): the states themselves, shared by reference. */
export class MemoryLiveStore implements LiveStore {
  private readonly states = new Map<string, LiveState>();
  // By `<server> <dialing>`, oldest last event first: a logged call moves to the end, so the expired lead.
  private readonly calls = new Map<string, { events: LoggedEvent[]; expiresAt: number }>();
  private readonly callLogMs: number;
  private readonly now: () => number;

  constructor(options: MemoryLiveStoreOptions = {}) {
    this.callLogMs = options.callLogMs ?? DEFAULT_CALL_LOG_MS;
    this.now = options.now ?? Date.now;
  }

  async load(server: string): Promise<LiveState> {
    return this.states.get(server) ?? emptyLiveState();
  }

  async apply(server: string, changes: readonly Change[], after?: LiveState): Promise<void> {
    if (changes.length === 0) return;
    this.states.set(server, after ?? applyChanges(await this.load(server), changes));
  }

  async replace(server: string, state: LiveState): Promise<void> {
    this.states.set(server, state);
  }

  async list<E extends EntityName>(entity: E, filter: LiveStoreFilter = {}): Promise<Entities[E][]> {
    const states = filter.server === undefined ? [...this.states.values()] : [await this.load(filter.server)];
    return states.flatMap((state) => [...(state[entity] as LiveState[E]).values()] as Entities[E][]);
  }

  async get<E extends EntityName>(entity: E, server: string, key: string): Promise<Entities[E] | undefined> {
    return (await this.load(server))[entity].get(key) as Entities[E] | undefined;
  }

  async servers(): Promise<string[]> {
    return [...this.states.keys()];
  }

  async logCalls(server: string, entries: readonly CallLogEntry[]): Promise<void> {
    const now = this.now();
    for (const [key, call] of this.calls) {
      if (call.expiresAt > now) break;
      this.calls.delete(key);
    }
    for (const { dialingId, at, event } of entries) {
      const key = `${server} ${dialingId}`;
      const call = this.calls.get(key) ?? { events: [], expiresAt: 0 };
      this.calls.delete(key);
      call.events.push({ at, event });
      call.expiresAt = now + this.callLogMs;
      this.calls.set(key, call);
    }
  }

  async callLog(server: string, dialingId: string): Promise<LoggedEvent[]> {
    const call = this.calls.get(`${server} ${dialingId}`);
    return call && call.expiresAt > this.now() ? [...call.events] : [];
  }

  /** Memory is lost only with the process, and the state with it. */
  watchLoss(): () => void {
    return () => undefined;
  }

  async close(): Promise<void> {}
}
