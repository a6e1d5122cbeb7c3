/** A job run again and again until stopped. */
export type PeriodicJob = { stop(): Promise<void> };

/**
 * Runs `job` every `intervalMs` (and once at once with `atStart`), one run at a time: a slow run delays the next,
 * never overlaps it. `job` handles its own failures. The timer keeps no process alive; `stop` waits for the run
 * under way.
 */
export function runEvery(intervalMs: number, job: () => Promise<void>, options: { atStart?: boolean } = {}): PeriodicJob {
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = running.then(job);
  };
  if (options.atStart) run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
