type StoredListener = (...args: unknown[]) => void;

/** A typed, minimal event registry: a listener that throws is reported and never breaks the emitter. */
export class Listeners<Events extends { [name: string]: unknown[] }> {
  /** Replaced, never changed, when a listener comes or goes: an emit goes on over the list it started with. */
  private readonly byName = new Map<keyof Events, readonly StoredListener[]>();

  constructor(private readonly onListenerError: (error: unknown, name: keyof Events) => void) {}

  /** Subscribes; returns the function that unsubscribes. */
  on<K extends keyof Events>(name: K, listener: (...args: Events[K]) => void): () => void {
    const stored = listener as unknown as StoredListener;
    const current = this.byName.get(name) ?? [];
    if (!current.includes(stored)) this.byName.set(name, [...current, stored]);
    return () => this.byName.set(name, (this.byName.get(name) ?? []).filter((other) => other !== stored));
  }

  emit<K extends keyof Events>(name: K, ...args: Events[K]): void {
    const listeners = this.byName.get(name);
    if (listeners === undefined) return;
    for (const listener of listeners) {
      try {
        listener(...args);
      } catch (error) {
        this.onListenerError(error, name);
      }
    }
  }
}
