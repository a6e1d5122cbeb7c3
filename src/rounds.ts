/**
 * Counts the rounds a loop has run to their end, so a caller can wait for a number more: what a check that
 * "nothing happened meanwhile" waits for, instead of a time that a loaded machine may fill with no round at all.
 */
export class Rounds {
  private ended = 0;
  private readonly waits: { at: number; done: () => void }[] = [];
  private released = false;

  /** One more round has run to its end. */
  end(): void {
    this.ended++;
    for (const wait of this.waits.filter((candidate) => candidate.at <= this.ended)) {
      this.waits.splice(this.waits.indexOf(wait), 1);
      wait.done();
    }
  }

  /** Resolves once `count` more rounds have ended, or the loop stopped. */
  next(count = 1): Promise<void> {
    return this.released ? Promise.resolve() : new Promise((done) => this.waits.push({ at: this.ended + count, done }));
  }

  /** The loop stopped: every wait resolves now, and later ones at once. */
  release(): void {
    this.released = true;
    for (const wait of this.waits.splice(0)) wait.done();
  }
}
