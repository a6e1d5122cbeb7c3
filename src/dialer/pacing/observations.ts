/**
 * What the engine tells a Pacer about each dialing, as it happens. `at` is epoch milliseconds. Every
 * dialing is `placed`, then either `failed` (busy, no answer, congestion, rejected) or `answered`; an
 * answered one is then `connected` to a seat, `abandoned` (hung up or timed out before a seat took it), or
 * `released` (it never waited for a seat: a machine, a destination without agents, a broadcast);
 * a connected one is `hungUp` when its talk ends, and `seatFreed` once its seat is ready again after
 * wrap-up.
 */
export type DialingObservation =
  | { kind: 'placed'; dialingId: string; at: number }
  | { kind: 'failed'; dialingId: string; at: number }
  | { kind: 'answered'; dialingId: string; at: number }
  | { kind: 'connected'; dialingId: string; at: number }
  | { kind: 'abandoned'; dialingId: string; at: number }
  | { kind: 'released'; dialingId: string; at: number }
  | { kind: 'hungUp'; dialingId: string; at: number }
  | { kind: 'seatFreed'; dialingId: string; at: number };
