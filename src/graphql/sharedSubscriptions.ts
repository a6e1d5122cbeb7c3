import type { ExecutionResult } from 'graphql';
import { isAsyncIterable } from 'graphql-yoga';

type Result = ExecutionResult;
type Started = AsyncIterable<Result> | Result;

/** Results a slow subscriber may have waiting before it is ended, as yoga's own buffer allows. */
const WAITING_LIMIT = 1_024;

export class SlowSubscriberError extends Error {
  constructor() {
    super(`Subscription ended: this client fell ${WAITING_LIMIT} events behind. Subscribe again to catch up from the current state.`);
    this.name = 'SlowSubscriberError';
  }
}

/**
 * Subscriptions that would produce the same results share one execution: a wallboard shown on fifty
 * screens, or every supervisor following the same queue, is resolved once per event and the result handed
 * to each socket, instead of executing the selection set fifty times. Two subscriptions are the same when
 * their key is (the caller builds it from the document, operation, variables and whatever of the viewer
 * the fields may depend on). The execution stops when its last subscriber leaves.
 */
export class SharedSubscriptions {
  private readonly hubs = new Map<string, Hub>();

  /** The key's results as this subscriber's own iterator; `start` runs only when no one has the key yet. */
  async subscribe(key: string, start: () => Promise<Started> | Started): Promise<Started> {
    const existing = this.hubs.get(key);
    if (existing) return existing.join();
    const started = await start();
    if (!isAsyncIterable<Result>(started)) return started;
    // Another subscriber with the key may have started one while this one was being set up: join it.
    const raced = this.hubs.get(key);
    if (raced) {
      void started[Symbol.asyncIterator]().return?.();
      return raced.join();
    }
    const hub = new Hub(started, () => this.hubs.delete(key));
    this.hubs.set(key, hub);
    return hub.join();
  }

  /** Executions running now (one per distinct subscription). */
  get size(): number {
    return this.hubs.size;
  }
}

/** One execution and the subscribers it feeds. */
class Hub {
  private readonly subscribers = new Set<Subscriber>();
  private readonly source: AsyncIterator<Result>;
  private closed = false;

  constructor(
    source: AsyncIterable<Result>,
    private readonly onClosed: () => void,
  ) {
    this.source = source[Symbol.asyncIterator]();
    void this.pump();
  }

  join(): Subscriber {
    const subscriber = new Subscriber(() => this.leave(subscriber));
    this.subscribers.add(subscriber);
    return subscriber;
  }

  private leave(subscriber: Subscriber): void {
    this.subscribers.delete(subscriber);
    if (this.subscribers.size === 0) this.close();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClosed();
    void this.source.return?.();
  }

  private async pump(): Promise<void> {
    try {
      for (;;) {
        const next = await this.source.next();
        if (next.done) break;
        for (const subscriber of this.subscribers) subscriber.push(next.value);
      }
      for (const subscriber of this.subscribers) subscriber.end();
    } catch (error) {
      for (const subscriber of this.subscribers) subscriber.fail(error instanceof Error ? error : new Error(String(error)));
    } finally {
      this.close();
    }
  }
}

/** One socket's view of a shared execution: its own queue, so a slow socket holds back no other. */
class Subscriber implements AsyncGenerator<Result, undefined> {
  private readonly waiting: Result[] = [];
  private reader: { resolve: (next: IteratorResult<Result, undefined>) => void; reject: (error: Error) => void } | null = null;
  private finished = false;
  private failure: Error | null = null;

  constructor(private readonly onLeave: () => void) {}

  push(result: Result): void {
    if (this.finished) return;
    if (this.reader) {
      const { resolve } = this.reader;
      this.reader = null;
      resolve({ value: result, done: false });
    } else if (this.waiting.length >= WAITING_LIMIT) {
      this.fail(new SlowSubscriberError());
      this.onLeave();
    } else {
      this.waiting.push(result);
    }
  }

  end(): void {
    if (this.finished) return;
    this.finished = true;
    this.settleReader();
  }

  fail(error: Error): void {
    if (this.finished) return;
    this.finished = true;
    this.failure = error;
    this.waiting.length = 0;
    this.settleReader();
  }

  next(): Promise<IteratorResult<Result, undefined>> {
    const value = this.waiting.shift();
    if (value !== undefined) return Promise.resolve({ value, done: false });
    if (this.failure) {
      const failure = this.failure;
      this.failure = null;
      return Promise.reject(failure);
    }
    if (this.finished) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => (this.reader = { resolve, reject }));
  }

  return(): Promise<IteratorResult<Result, undefined>> {
    if (!this.finished) {
      this.finished = true;
      this.waiting.length = 0;
      this.settleReader();
      this.onLeave();
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<Result, undefined>> {
    void this.return();
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }

  private settleReader(): void {
    if (!this.reader) return;
    const { resolve, reject } = this.reader;
    this.reader = null;
    if (this.failure) {
      const failure = this.failure;
      this.failure = null;
      reject(failure);
    } else {
      resolve({ value: undefined, done: true });
    }
  }
}
