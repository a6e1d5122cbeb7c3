/** Cancels what was scheduled; harmless after it ran. */
export type Cancel = () => void;

/** Runs `run` once after `delayMs`: injected so tests decide how time passes. */
export type Schedule = (delayMs: number, run: () => void) => Cancel;

export const realSchedule: Schedule = (delayMs, run) => {
  const timer = setTimeout(run, delayMs);
  return () => clearTimeout(timer);
};
