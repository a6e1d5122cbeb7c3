/**
 * The last `capacity` samples of a duration, with the fraction of them above a value. Survival queries run
 * on every pacing decision for every call in flight, so they read a table rebuilt only after new samples.
 */
export class SlidingSamples {
  private readonly ring: number[] = [];
  private next = 0;
  private readonly sorted: number[] = [];
  private sum = 0;
  private table: Float64Array | null = null;

  /** `step` is the table's resolution, in the samples' unit. */
  constructor(
    private readonly capacity: number,
    private readonly step: number,
  ) {}

  /** Mean of the samples, or undefined when there are none. */
  get mean(): number | undefined {
    return this.ring.length === 0 ? undefined : this.sum / this.ring.length;
  }

  add(value: number): void {
    if (this.ring.length < this.capacity) {
      this.ring.push(value);
    } else {
      const evicted = this.ring[this.next] as number;
      this.ring[this.next] = value;
      this.next = (this.next + 1) % this.capacity;
      this.sum -= evicted;
      this.sorted.splice(lowerBound(this.sorted, evicted), 1);
    }
    this.sum += value;
    this.sorted.splice(lowerBound(this.sorted, value), 0, value);
    this.table = null;
  }

  /** Fraction of the samples above `value` (1 when there are none, so an unknown duration never ends). */
  survival(value: number): number {
    if (this.sorted.length === 0 || value < 0) return 1;
    const table = this.table ?? this.buildTable();
    const position = value / this.step;
    const index = Math.floor(position);
    if (index >= table.length - 1) return 0;
    const low = table[index] as number;
    const high = table[index + 1] as number;
    return low + (high - low) * (position - index);
  }

  private buildTable(): Float64Array {
    const largest = this.sorted[this.sorted.length - 1] as number;
    const table = new Float64Array(Math.ceil(largest / this.step) + 2);
    let below = 0;
    for (let index = 0; index < table.length; index++) {
      const value = index * this.step;
      while (below < this.sorted.length && (this.sorted[below] as number) <= value) below++;
      table[index] = (this.sorted.length - below) / this.sorted.length;
    }
    this.table = table;
    return table;
  }
}

/** Index of the first element not below `value` in an ascending array. */
function lowerBound(ascending: readonly number[], value: number): number {
  let low = 0;
  let high = ascending.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((ascending[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
