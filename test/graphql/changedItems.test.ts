import { Repeater } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { changedItems } from '../../src/graphql/liveSnapshots.js';

/** A topic the test pushes to by hand. */
function topic(): { source: AsyncIterable<unknown>; push(): void; end(): void } {
  let push: (value: unknown) => Promise<unknown> = async () => undefined;
  let end: () => void = () => undefined;
  const source = new Repeater<unknown>((pushed, stop) => {
    push = pushed;
    end = stop;
    return stop;
  });
  return { source, push: () => void push(1), end: () => end() };
}

describe('changedItems, the snapshot subscriptions’ loop', () => {
  it('answers with every item first, then only the items that changed, reading once for changes that come together', async () => {
    const changes = topic();
    const state = new Map([
      ['a', 1],
      ['b', 1],
    ]);
    let reads = 0;
    const items = changedItems({
      sources: [changes.source],
      read: async () => {
        reads += 1;
        return [...state].map(([key, value]) => ({ key, value }));
      },
      keyOf: (item) => item.key,
      minIntervalMs: 50,
    })[Symbol.asyncIterator]();
    expect([(await items.next()).value, (await items.next()).value]).toEqual([
      { key: 'a', value: 1 },
      { key: 'b', value: 1 },
    ]);
    // Five changes at once, only b's figure different in the end: read together (not once each), one item sent.
    for (let index = 0; index < 5; index++) {
      state.set('b', index + 2);
      changes.push();
    }
    expect((await items.next()).value).toEqual({ key: 'b', value: 6 });
    expect(reads).toBeLessThan(6);
    // A change that changes nothing sends nothing; the next real one is what comes.
    changes.push();
    state.set('a', 2);
    changes.push();
    expect((await items.next()).value).toEqual({ key: 'a', value: 2 });
    changes.end();
    expect((await items.next()).done).toBe(true);
  });
});
