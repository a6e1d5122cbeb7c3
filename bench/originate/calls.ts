/**
 * The calls as the simulated PBX sees them, from its own event fan-out (no AMI session, no database): an
 * originated Local call's ;1 leg is created on Newchannel and gone on Hangup, so those two events count the
 * originates that reached the PBX and the calls up at any moment.
 */
import type { Pbx } from '../../src/ami/simulator/index.js';

export type CallWatch = {
  /** performance.now() of every originate's ;1 Newchannel, in order. */
  readonly originatedAt: number[];
  /** performance.now() of every ;1 Hangup, in order. */
  readonly endedAt: number[];
  live(): number;
  mostLive(): number;
  /** When the calls up first reached `target`; undefined while they have not. */
  reachedAt(): number | undefined;
  stop(): void;
};

export function watchCalls(pbx: Pbx, target: number): CallWatch {
  const originatedAt: number[] = [];
  const endedAt: number[] = [];
  let live = 0;
  let mostLive = 0;
  let reachedAt: number | undefined;
  const unsubscribe = pbx.subscribe((fields) => {
    const event = fields[0]?.[1];
    if (event !== 'Newchannel' && event !== 'Hangup') return;
    const channel = fields.find(([key]) => key === 'Channel')?.[1] ?? '';
    if (!channel.endsWith(';1')) return;
    const now = performance.now();
    if (event === 'Newchannel') {
      originatedAt.push(now);
      live += 1;
      mostLive = Math.max(mostLive, live);
      if (reachedAt === undefined && live >= target) reachedAt = now;
    } else {
      endedAt.push(now);
      live -= 1;
    }
  });
  return {
    originatedAt,
    endedAt,
    live: () => live,
    mostLive: () => mostLive,
    reachedAt: () => reachedAt,
    stop: unsubscribe,
  };
}

/** How many of the sorted times fall in [from, to). */
export function countBetween(times: readonly number[], from: number, to: number): number {
  return lowerBound(times, to) - lowerBound(times, from);
}

function lowerBound(times: readonly number[], value: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((times[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
