import type { AmiMessage } from '../ami/message.js';
import { timestampMs } from './fields.js';
import type { Table } from './table.js';
import type { Change, ChangeKind, Entities, EntityName, LiveState, Reduction } from './state.js';

type Tables = { -readonly [E in EntityName]: Table<Entities[E]> };

/** Two live objects are the same when every field is equal (fields are scalars or arrays of strings). */
export function sameValue<T extends object>(a: T, b: T): boolean {
  if (a === b) return true;
  // for...in rather than Object.keys: this runs for nearly every event, and allocates nothing this way.
  for (const key in a) {
    const x = a[key];
    const y = b[key];
    if (x === y) continue;
    if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
    if (x.some((item: unknown, i) => item !== y[i])) return false;
  }
  return true;
}

/** Two lists hold the same items, in any order (a list item's order is not the order things happened in). */
export function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}

/**
 * One reduction in progress: the entity handlers read and write tables through it, and it records each
 * object's change once per event (a CREATED then UPDATED in one event is one CREATED with the last value;
 * a resync is one event). It lives for one call of reduceEvents or resync, so the caller only ever sees a
 * new state and the old one untouched.
 */
export class Tx {
  /** Copied from base on the first write only: most events change nothing. */
  private tables: Tables | null = null;
  readonly changes: Change[] = [];
  /** Where the current event's changes start: a change merges only with the same event's. */
  private eventStart = 0;

  constructor(
    readonly base: LiveState,
    readonly server: string,
    /** What "now" is for list items, which carry no Timestamp (resync); null when replaying events. */
    readonly now: number | null = null,
    /** When the events came in (epoch ms), for the few that carry no Timestamp even where the rest do (FullyBooted); null in replays. */
    readonly receivedAt: number | null = null,
  ) {}

  /** Starts the next event of a batch: its changes are recorded after the earlier events', never merged into them. */
  nextEvent(): void {
    this.eventStart = this.changes.length;
  }

  /** The event's own time, or now for list items. */
  at(message: AmiMessage): number | null {
    return timestampMs(message) ?? this.now;
  }

  get<E extends EntityName>(entity: E, key: string): Entities[E] | undefined {
    return (this.tables ?? this.base)[entity].get(key);
  }

  all<E extends EntityName>(entity: E): Iterable<Entities[E]> {
    return (this.tables ?? this.base)[entity].values();
  }

  /** Stores value under key, recording CREATED or UPDATED; nothing when it equals what is there. */
  put<E extends EntityName>(entity: E, key: string, value: Entities[E]): void {
    const previous = this.get(entity, key);
    if (previous !== undefined && sameValue(previous, value)) return;
    const tables = this.writable<E>();
    tables[entity] = tables[entity].set(key, value);
    this.record(previous === undefined ? 'CREATED' : 'UPDATED', entity, key, value);
  }

  /** Removes key, recording REMOVED with last (the final state, e.g. with its hangup cause) or the stored value. */
  remove<E extends EntityName>(entity: E, key: string, last?: Entities[E]): void {
    const previous = this.get(entity, key);
    if (previous === undefined) return;
    const tables = this.writable<E>();
    tables[entity] = tables[entity].delete(key);
    this.record('REMOVED', entity, key, last ?? previous);
  }

  /** The tables, copied for writing, seen through one entity's type (TypeScript cannot correlate it alone). */
  private writable<E extends EntityName>(): Record<E, Table<Entities[E]>> {
    this.tables ??= { ...this.base };
    return this.tables as Record<E, Table<Entities[E]>>;
  }

  private record<E extends EntityName>(kind: ChangeKind, entity: E, key: string, value: Entities[E]): void {
    let at = this.changes.length - 1;
    while (at >= this.eventStart && !(this.changes[at]?.entity === entity && this.changes[at]?.key === key)) at--;
    const earlier = at >= this.eventStart ? this.changes[at] : undefined;
    const change = { kind, entity, key, value } as Change;
    if (earlier === undefined) {
      this.changes.push(change);
    } else if (earlier.kind === 'CREATED' && kind === 'REMOVED') {
      this.changes.splice(at, 1);
    } else {
      const merged = earlier.kind === 'CREATED' ? 'CREATED' : earlier.kind === 'REMOVED' ? 'UPDATED' : kind;
      this.changes[at] = { ...change, kind: merged } as Change;
    }
  }

  finish(): Reduction {
    return this.changes.length === 0 || this.tables === null
      ? { state: this.base, changes: [] }
      : { state: this.tables, changes: this.changes };
  }
}
