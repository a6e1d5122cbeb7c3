import { applyChanges, type LiveStore, type LiveStoreFilter } from './store.js';
import { emptyLiveState, type Change, type Entities, type EntityName, type LiveState } from './state.js';

/** The live store of a single process (the embedded default): the states themselves, shared by reference. */
export class MemoryLiveStore implements LiveStore {
  private readonly states = new Map<string, LiveState>();

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

  async close(): Promise<void> {}
}
