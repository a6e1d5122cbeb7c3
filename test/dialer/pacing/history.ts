import { Pacer } from '../../../src/dialer/pacing/pacer.js';
import type { PacingPlan, PacingSnapshot } from '../../../src/dialer/pacing/snapshot.js';

export const START = Date.UTC(2026, 0, 5, 9);

export const PLAN: PacingPlan = {
  dialMode: 'PREDICTIVE',
  serviceLevel: 0,
  maxConcurrentCalls: null,
  targetAbandonPercent: 2.5,
  maxAbandonPercent: 3,
  warmUpAttempts: 150,
};

/** A snapshot of 10 seats, 2 free, 8 busy, nothing ringing, with `changes` applied. */
export function snapshot(changes: Partial<PacingSnapshot> = {}): PacingSnapshot {
  return {
    now: START,
    plan: PLAN,
    seats: { free: 2, busy: 8 },
    liveDialings: 0,
    callsUp: 8,
    trunkChannelsFree: null,
    ...changes,
  };
}

/**
 * A Pacer that has seen `attempts` finished dialings before START, one every 2 s: every fourth answered
 * after 4 to 12 s and connected at once (the first `abandoned` of them abandoned instead), talking 100 s
 * with 10 s of wrap-up; the rest failed after 20 s. At START 4 seats talk on this run's calls and 4 are in
 * wrap-up, free within 3 to 9 s.
 */
export function pacerWithHistory(attempts: number, abandoned = 0): Pacer {
  const pacer = new Pacer();
  const begin = START - attempts * 2000 - 200_000;
  let abandonsLeft = abandoned;
  for (let index = 0; index < attempts; index++) {
    const dialingId = `history-${index}`;
    const placedAt = begin + index * 2000;
    pacer.observe({ kind: 'placed', dialingId, at: placedAt });
    if (index % 4 !== 0) {
      pacer.observe({ kind: 'failed', dialingId, at: placedAt + 20_000 });
      continue;
    }
    const answeredAt = placedAt + 4000 + (index % 9) * 1000;
    pacer.observe({ kind: 'answered', dialingId, at: answeredAt });
    if (abandonsLeft > 0) {
      abandonsLeft--;
      pacer.observe({ kind: 'abandoned', dialingId, at: answeredAt + 2000 });
      continue;
    }
    pacer.observe({ kind: 'connected', dialingId, at: answeredAt });
    pacer.observe({ kind: 'hungUp', dialingId, at: answeredAt + 100_000 });
    pacer.observe({ kind: 'seatFreed', dialingId, at: answeredAt + 110_000 });
  }
  for (let seat = 0; seat < 8; seat++) {
    const dialingId = `seat-${seat}`;
    const connectedAt = START - 20_000 - seat * 10_000;
    pacer.observe({ kind: 'placed', dialingId, at: connectedAt - 8000 });
    pacer.observe({ kind: 'answered', dialingId, at: connectedAt });
    pacer.observe({ kind: 'connected', dialingId, at: connectedAt });
    if (seat >= 4) pacer.observe({ kind: 'hungUp', dialingId, at: START - (seat - 3) * 1000 - 1000 });
  }
  return pacer;
}
