/**
 * An immutable string-keyed table with structural sharing (a small hash array mapped trie): `set` and
 * `delete` return a new table and copy only the path to the changed entry, so a reducer can keep every
 * earlier state intact without copying thousands of channels on each event (copying a 1,000-entry Map
 * costs about 65 µs; a write here copies two or three 32-slot arrays and one small bucket).
 */

const BITS = 5;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;
/** A bucket splits into a branch once it holds more entries than this, until the hash runs out. */
const BUCKET_LIMIT = 8;
const MAX_SHIFT = 30;

type Bucket<V> = { readonly kind: 0; readonly entries: readonly (readonly [string, V])[] };
type Branch<V> = { readonly kind: 1; readonly slots: readonly (Node<V> | undefined)[] };
type Node<V> = Bucket<V> | Branch<V>;

function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function bucket<V>(entries: readonly (readonly [string, V])[]): Bucket<V> {
  return { kind: 0, entries };
}

function split<V>(entries: readonly (readonly [string, V])[], shift: number): Branch<V> {
  const slots: (Node<V> | undefined)[] = new Array<Node<V> | undefined>(WIDTH).fill(undefined);
  const groups: (readonly [string, V])[][] = [];
  for (const entry of entries) {
    const index = (hash(entry[0]) >>> shift) & MASK;
    (groups[index] ??= []).push(entry);
  }
  groups.forEach((group, index) => {
    slots[index] = group.length > BUCKET_LIMIT && shift + BITS <= MAX_SHIFT ? split(group, shift + BITS) : bucket(group);
  });
  return { kind: 1, slots };
}

/** Returns the node with key set (or removed when value is undefined), or the same node when nothing changed. */
function update<V>(node: Node<V> | undefined, key: string, h: number, shift: number, value: V | undefined): Node<V> | undefined {
  if (node === undefined) return value === undefined ? undefined : bucket([[key, value]]);
  if (node.kind === 1) {
    const index = (h >>> shift) & MASK;
    const child = node.slots[index];
    const next = update(child, key, h, shift + BITS, value);
    if (next === child) return node;
    const slots = node.slots.slice();
    slots[index] = next;
    return slots.every((slot) => slot === undefined) ? undefined : { kind: 1, slots };
  }
  const at = node.entries.findIndex((entry) => entry[0] === key);
  if (value === undefined) {
    if (at === -1) return node;
    if (node.entries.length === 1) return undefined;
    return bucket(node.entries.filter((_, i) => i !== at));
  }
  if (at !== -1) {
    if (node.entries[at]?.[1] === value) return node;
    const entries = node.entries.slice();
    entries[at] = [key, value];
    return bucket(entries);
  }
  const entries = [...node.entries, [key, value] as const];
  return entries.length > BUCKET_LIMIT && shift <= MAX_SHIFT ? split(entries, shift) : bucket(entries);
}

function lookup<V>(root: Node<V> | undefined, key: string, h: number): V | undefined {
  let node = root;
  let shift = 0;
  while (node !== undefined) {
    if (node.kind === 0) {
      for (const entry of node.entries) if (entry[0] === key) return entry[1];
      return undefined;
    }
    node = node.slots[(h >>> shift) & MASK];
    shift += BITS;
  }
  return undefined;
}

function* walk<V>(node: Node<V> | undefined): Generator<readonly [string, V]> {
  if (node === undefined) return;
  if (node.kind === 0) {
    yield* node.entries;
    return;
  }
  for (const slot of node.slots) yield* walk(slot);
}

export class Table<V> implements Iterable<readonly [string, V]> {
  private static readonly EMPTY = new Table<never>(undefined, 0);

  private constructor(
    private readonly root: Node<V> | undefined,
    readonly size: number,
  ) {}

  static empty<V>(): Table<V> {
    return Table.EMPTY;
  }

  static from<V>(entries: Iterable<readonly [string, V]>): Table<V> {
    let table = Table.empty<V>();
    for (const [key, value] of entries) table = table.set(key, value);
    return table;
  }

  get(key: string): V | undefined {
    return lookup(this.root, key, hash(key));
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** A table with key set to value; this same table when the key already holds exactly that value. */
  set(key: string, value: V): Table<V> {
    const h = hash(key);
    const root = update(this.root, key, h, 0, value);
    if (root === this.root) return this;
    return new Table(root, lookup(this.root, key, h) === undefined ? this.size + 1 : this.size);
  }

  /** A table without key; this same table when the key is absent. */
  delete(key: string): Table<V> {
    const h = hash(key);
    if (lookup(this.root, key, h) === undefined) return this;
    return new Table(update(this.root, key, h, 0, undefined), this.size - 1);
  }

  [Symbol.iterator](): Iterator<readonly [string, V]> {
    return walk(this.root);
  }

  *keys(): Generator<string> {
    for (const [key] of walk(this.root)) yield key;
  }

  *values(): Generator<V> {
    for (const [, value] of walk(this.root)) yield value;
  }
}
