type StoredListener = (...args: unknown[]) => void;

/** A typed, minimal event registry: a listener that throws is reported and never breaks the emitter. */
export class Listeners<Events extends { [name: string]: unknown[] }> {
  private readonly byName = new Map<keyof Events, Set<StoredListener>>();

  constructor(private readonly onListenerError: (error: unknown, name: keyof Events) => void) {}

  /** Subscribes; returns the function that unsubscribes. */
  on<K extends keyof Events>(name: K, listener: (...args: Events[K]) => void): () => void {
    const stored = listener as unknown as StoredListener;
    let set = this.byName.get(name);
    if (!set) this.byName.set(name, (set = new Set()));
    set.add(stored);
    return () => void set.delete(stored);
  }

  emit<K extends keyof Events>(name: K, ...args: Events[K]): void {
    for (const listener of [...(this.byName.get(name) ?? [])]) {
      try {
        listener(...args);
      } catch (error) {
        this.onListenerError(error, name);
      }
    }
  }
}
