/**
 * Publish-to-client latency, the one place it is measured: every delivery's latency goes into a histogram
 * of 0.1 ms buckets (millions of deliveries would not fit an array of samples), the maximum kept exactly.
 */

const BUCKET_MS = 0.1;
/** Latencies above this land in the last bucket; the maximum is still exact. */
const RANGE_MS = 120_000;

export type LatencySummary = { count: number; p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number };

export class LatencyHistogram {
  private readonly buckets = new Uint32Array(Math.ceil(RANGE_MS / BUCKET_MS) + 1);
  private count = 0;
  private maxMs = 0;

  record(latencyMs: number): void {
    const bucket = Math.min(this.buckets.length - 1, Math.max(0, Math.floor(latencyMs / BUCKET_MS)));
    this.buckets[bucket] = (this.buckets[bucket] ?? 0) + 1;
    this.count++;
    if (latencyMs > this.maxMs) this.maxMs = latencyMs;
  }

  /** The upper edge of the bucket that holds the pth percentile (0 < p <= 100). */
  percentile(p: number): number {
    const rank = Math.ceil((p / 100) * this.count);
    let seen = 0;
    for (let bucket = 0; bucket < this.buckets.length; bucket++) {
      seen += this.buckets[bucket] ?? 0;
      if (seen >= rank) return Math.min((bucket + 1) * BUCKET_MS, this.maxMs);
    }
    return this.maxMs;
  }

  summary(): LatencySummary {
    return { count: this.count, p50Ms: this.percentile(50), p95Ms: this.percentile(95), p99Ms: this.percentile(99), maxMs: this.maxMs };
  }
}
