/** Reads at most this often: a busy PBX changes its figures hundreds of times a second, a screen needs a few. */
export const MIN_READ_INTERVAL_MS = 100;

export type ChangedItemsOptions<T> = {
  /** The topics that say something changed. */
  sources: readonly AsyncIterable<unknown>[];
  read: () => Promise<readonly T[]>;
  keyOf: (item: T) => string;
  /** What of an item counts as a change; the whole item when absent. */
  sameOf?: (item: T) => unknown;
  minIntervalMs?: number;
};

/**
 * A subscription that answers with what a read of the live store says, first as it is now and then again each
 * time the topics it follows say something changed, at most once every `minIntervalMs`. Changes that arrive
 * meanwhile are read together once: under a busy PBX a subscriber gets a few fresh answers a second instead of a
 * growing backlog, and a shared execution (sharedSubscriptions.ts) reads once for every screen.
 *
 * Each read gives a list of items; only the items that differ from what was last sent for their key are sent
 * (all of them the first time), compared by `sameOf`, which leaves out what a page computes itself (a wait that
 * counts up).
 */
export async function* changedItems<T>({ sources, read, keyOf, sameOf = (item) => item, minIntervalMs = MIN_READ_INTERVAL_MS }: ChangedItemsOptions<T>): AsyncGenerator<T> {
  // Something may have changed since the last read: true at first, so the state as it is now is read once.
  let dirty = true;
  let ended = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const signal = () => {
    const waiting = wake;
    wake = undefined;
    waiting?.();
  };
  // Listening before the first read, so nothing that changes while it runs is missed.
  const iterators = sources.map((source) => source[Symbol.asyncIterator]());
  const pumps = iterators.map(async (iterator) => {
    try {
      for (let result = await iterator.next(); !result.done; result = await iterator.next()) {
        dirty = true;
        signal();
      }
    } catch (error) {
      failure ??= error;
    } finally {
      ended = true;
      signal();
    }
  });
  const sent = new Map<string, string>();
  let lastRead = Number.NEGATIVE_INFINITY;
  try {
    for (;;) {
      if (!dirty && !ended) await new Promise<void>((resolve) => (wake = resolve));
      if (failure !== undefined) throw failure;
      if (!dirty) return;
      const wait = lastRead + minIntervalMs - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      lastRead = performance.now();
      dirty = false;
      for (const item of await read()) {
        const key = keyOf(item);
        const shown = JSON.stringify(sameOf(item));
        if (sent.get(key) === shown) continue;
        sent.set(key, shown);
        yield item;
      }
    }
  } finally {
    await Promise.all(iterators.map((iterator) => iterator.return?.()));
    await Promise.allSettled(pumps);
  }
}
