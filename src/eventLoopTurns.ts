/**
 * Gives the event loop a turn once a slice of synchronous work is spent, so that a long job on the main thread
 * (validating a million imported rows) never holds up HTTP, WebSockets or AMI ingest for more than a slice.
 */
export class EventLoopTurns {
  private sliceStartedAt = performance.now();

  constructor(private readonly sliceMs = 10) {}

  /** Resolves at once while the slice lasts; once it is spent, after one turn of the event loop. */
  async take(): Promise<void> {
    if (performance.now() - this.sliceStartedAt < this.sliceMs) return;
    await new Promise((resolve) => setImmediate(resolve));
    this.sliceStartedAt = performance.now();
  }
}
