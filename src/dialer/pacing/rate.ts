/** The share of successes among the last `capacity` outcomes. */
export class SlidingRate {
  private readonly outcomes: boolean[] = [];
  private next = 0;
  private successes = 0;

  constructor(private readonly capacity: number) {}

  /** The share of successes, or undefined before the first outcome. */
  get rate(): number | undefined {
    return this.outcomes.length === 0 ? undefined : this.successes / this.outcomes.length;
  }

  add(success: boolean): void {
    if (this.outcomes.length < this.capacity) {
      this.outcomes.push(success);
    } else {
      if (this.outcomes[this.next]) this.successes--;
      this.outcomes[this.next] = success;
      this.next = (this.next + 1) % this.capacity;
    }
    if (success) this.successes++;
  }
}
