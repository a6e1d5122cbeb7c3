import type { PacingSnapshot } from '../../src/dialer/pacing/snapshot.js';
import type { Dialer } from './callCentre.js';

/**
 * The classic baseline, not a mode of the product: keep `level` dialings ringing per free agent
 * (a dial level of 2.5 has 5 calls ringing while 2 agents wait), whatever the calls' history.
 */
export function fixedDialLevel(level: number): Dialer {
  return {
    observe: () => undefined,
    callsToPlace: ({ seats, liveDialings }: PacingSnapshot) =>
      seats === null ? 0 : Math.max(0, Math.floor(level * seats.free) - liveDialings),
  };
}
