import type { ExecutionResult } from 'graphql';
import { Repeater } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { SharedSubscriptions, SlowSubscriberError } from '../../src/graphql/sharedSubscriptions.js';

/** A source of results pushed by the test, telling how often it was started and whether it was stopped. */
function source() {
  const state = {
    started: 0,
    stopped: false,
    push: (_result: ExecutionResult): Promise<unknown> => Promise.resolve(),
    fail: (_error: Error): void => undefined,
    end: (): void => undefined,
  };
  const start = () => {
    state.started += 1;
    return new Repeater<ExecutionResult>((push, stop) => {
      state.push = push;
      state.fail = (error) => stop(error);
      state.end = () => stop();
      void stop.then(() => (state.stopped = true));
    });
  };
  return { state, start };
}

const result = (n: number): ExecutionResult => ({ data: { n } });
const iterate = (started: unknown) => (started as AsyncIterableIterator<ExecutionResult>)[Symbol.asyncIterator]();
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('subscriptions sharing one execution', () => {
  it('starts one execution per key and gives each subscriber every result from when it joined', async () => {
    const shared = new SharedSubscriptions();
    const { state, start } = source();
    const first = iterate(await shared.subscribe('k', start));
    const firstNext = first.next();
    await tick();
    await state.push(result(1));
    expect(await firstNext).toEqual({ value: result(1), done: false });
    const second = iterate(await shared.subscribe('k', start));
    await state.push(result(2));
    await state.push(result(3));
    expect(state.started).toBe(1);
    expect([await first.next(), await first.next()].map((r) => r.value)).toEqual([result(2), result(3)]);
    expect([await second.next(), await second.next()].map((r) => r.value)).toEqual([result(2), result(3)]);

    const other = source();
    const third = iterate(await shared.subscribe('other', other.start));
    expect(other.state.started).toBe(1);
    expect(shared.size).toBe(2);
    await third.return?.();
  });

  it('keeps the execution while anyone listens and stops it when the last one leaves', async () => {
    const shared = new SharedSubscriptions();
    const { state, start } = source();
    const first = iterate(await shared.subscribe('k', start));
    const second = iterate(await shared.subscribe('k', start));
    void first.next();
    await tick();
    await first.return?.();
    await state.push(result(1));
    expect((await second.next()).value).toEqual(result(1));
    expect(state.stopped).toBe(false);
    await second.return?.();
    await tick();
    expect(state.stopped).toBe(true);
    expect(shared.size).toBe(0);
    // A new subscriber after that starts afresh.
    const again = iterate(await shared.subscribe('k', start));
    expect(state.started).toBe(2);
    await again.return?.();
  });

  it('ends a subscriber that falls too far behind, without holding back the others', async () => {
    const shared = new SharedSubscriptions();
    const { state, start } = source();
    const slow = iterate(await shared.subscribe('k', start));
    const fast = iterate(await shared.subscribe('k', start));
    const fastNext = fast.next();
    await tick();
    const received: unknown[] = [];
    for (let n = 1; n <= 1_100; n += 1) {
      await state.push(result(n));
      received.push((await (n === 1 ? fastNext : fast.next())).value);
    }
    expect(received).toHaveLength(1_100);
    expect(received.at(-1)).toEqual(result(1_100));
    await expect(slow.next()).rejects.toBeInstanceOf(SlowSubscriberError);
    expect(await slow.next()).toEqual({ value: undefined, done: true });
    await fast.return?.();
  });

  it("passes an execution's end and its error to every subscriber", async () => {
    const shared = new SharedSubscriptions();
    const ending = source();
    const a = iterate(await shared.subscribe('ends', ending.start));
    const b = iterate(await shared.subscribe('ends', ending.start));
    const [aNext, bNext] = [a.next(), b.next()];
    await tick();
    ending.state.end();
    expect(await aNext).toEqual({ value: undefined, done: true });
    expect(await bNext).toEqual({ value: undefined, done: true });

    const failing = source();
    const c = iterate(await shared.subscribe('fails', failing.start));
    const cNext = c.next();
    await tick();
    failing.state.fail(new Error('bus gone'));
    await expect(cNext).rejects.toThrow('bus gone');
    expect(shared.size).toBe(0);
  });

  it('hands back a result that is not a stream (an error) as it is, sharing nothing', async () => {
    const shared = new SharedSubscriptions();
    const refused: ExecutionResult = { errors: [] };
    let calls = 0;
    const start = () => {
      calls += 1;
      return refused;
    };
    expect(await shared.subscribe('k', start)).toBe(refused);
    expect(await shared.subscribe('k', start)).toBe(refused);
    expect(calls).toBe(2);
    expect(shared.size).toBe(0);
  });
});
