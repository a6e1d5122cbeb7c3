import type { CallLogEntry, LoggedEvent } from './callLog.js';
import type { Change, Entities, EntityName, LiveState } from './state.js';
import type { Table } from './table.js';

export type LiveStoreFilter = {
  /** Only this server's objects; every server's when absent. */
  readonly server?: string;
};

/**
 * Where the live state of every PBX server is kept for the API processes to read: the ingest worker
 * writes it, queries read it. In memory on the embedded default, Redis when several processes share it.
 */
export interface LiveStore {
  /** The stored state of server; empty when nothing is stored. */
  load(server: string): Promise<LiveState>;
  /**
   * Writes what one reduction (or several, in order) changed: REMOVED deletes, CREATED and UPDATED set.
   * after, when given, is the server's whole state with them applied (the reducer's): a store in this
   * process may keep it as it is instead of applying the changes again.
   */
  apply(server: string, changes: readonly Change[], after?: LiveState): Promise<void>;
  /** Makes state the whole stored state of server at once (a resync), dropping whatever it no longer holds. */
  replace(server: string, state: LiveState): Promise<void>;
  /** The objects of one entity, in no particular order. */
  list<E extends EntityName>(entity: E, filter?: LiveStoreFilter): Promise<Entities[E][]>;
  get<E extends EntityName>(entity: E, server: string, key: string): Promise<Entities[E] | undefined>;
  /** The servers that have state stored. */
  servers(): Promise<string[]>;
  /** Keeps these events of the dialer's calls (callLog.ts) for the store's window after each call's last one. */
  logCalls(server: string, entries: readonly CallLogEntry[]): Promise<void>;
  /** One dialing's kept events, in the order they came; none once its window passed. */
  callLog(server: string, dialingId: string): Promise<LoggedEvent[]>;
  /**
   * Calls lost once the store no longer holds the state this process wrote whole (Redis restarted empty or was
   * flushed): every server's state must be written again. Returns the function that stops watching.
   */
  watchLoss(lost: () => void): () => void;
  close(): Promise<void>;
}

type AnyTable = Table<Entities[EntityName]>;

/** state with changes applied in order (pure: state is not modified). */
export function applyChanges(state: LiveState, changes: readonly Change[]): LiveState {
  const tables: Record<EntityName, AnyTable> = { ...state };
  for (const change of changes) {
    const table = tables[change.entity];
    tables[change.entity] = change.kind === 'REMOVED' ? table.delete(change.key) : table.set(change.key, change.value);
  }
  return tables as LiveState;
}
