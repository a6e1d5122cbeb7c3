/**
 * The calls as the PBX sees them: an originated Local call's ;1 leg is created on Newchannel and gone on Hangup,
 * so those two events count the originates that reached the PBX and the calls up at any moment. From the simulator's
 * own event fan-out in this process (no AMI session), or from an AMI session of its own to another PBX (--ami-url).
 */
import type { Pbx } from '../../src/ami/simulator/index.js';
import type { AmiConnection } from '../../src/ami/connection.js';
import { field } from '../../src/ami/message.js';

/** Tells `listener` every Newchannel and Hangup (event name, channel name) until the returned function is called. */
export type ChannelEvents = (listener: (event: string, channel: string) => void) => () => void;

/** The simulator's Newchannel and Hangup, from its fan-out. */
export function simulatorChannelEvents(pbx: Pbx): ChannelEvents {
  return (listener) =>
    pbx.subscribe((fields) => {
      const event = fields[0]?.[1] ?? '';
      if (event === 'Newchannel' || event === 'Hangup') listener(event, fields.find(([key]) => key === 'Channel')?.[1] ?? '');
    });
}

/** A PBX's Newchannel and Hangup, from an AMI session. */
export function amiChannelEvents(connection: AmiConnection): ChannelEvents {
  return (listener) =>
    connection.on('event', (event) => {
      if (event.event === 'Newchannel' || event.event === 'Hangup') listener(event.event, field(event, 'channel'));
    });
}

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

/** The campaign's calls (`Local/<number>@customers` ;1 legs: the bench's dial strings), whatever else the PBX carries. */
export function watchCalls(events: ChannelEvents, target: number): CallWatch {
  const originatedAt: number[] = [];
  const endedAt: number[] = [];
  let live = 0;
  let mostLive = 0;
  let reachedAt: number | undefined;
  const unsubscribe = events((event, channel) => {
    if (!channel.startsWith('Local/') || !channel.includes('@customers-') || !channel.endsWith(';1')) return;
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
