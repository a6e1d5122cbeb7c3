import type { PolicyFigures } from './measure.js';

export interface SweepResult<Setting> {
  setting: Setting;
  figures: PolicyFigures;
}

/** Settings past the first too aggressive one, in case a noisy day made that one fail. */
const PATIENCE = 3;

/**
 * The setting with the highest occupancy whose every day kept the abandon rate at or below `maxRate`,
 * trying settings from least to most aggressive and stopping a few after they start failing; undefined
 * when none passes.
 */
export function bestWithin<Setting>(
  settings: Iterable<Setting>,
  evaluate: (setting: Setting) => PolicyFigures,
  maxRate: number,
): SweepResult<Setting> | undefined {
  let best: SweepResult<Setting> | undefined;
  let failures = 0;
  for (const setting of settings) {
    const figures = evaluate(setting);
    if (figures.worstAbandonRate > maxRate) {
      if (++failures >= PATIENCE) break;
      continue;
    }
    failures = 0;
    if (best === undefined || figures.occupancy > best.figures.occupancy) best = { setting, figures };
  }
  return best;
}

/** start, start + step, ... up to `end`, rounded so the settings print as typed. */
export function* steps(start: number, end: number, step: number): Generator<number> {
  for (let index = 0; start + index * step <= end + 1e-9; index++) yield Math.round((start + index * step) * 1000) / 1000;
}
