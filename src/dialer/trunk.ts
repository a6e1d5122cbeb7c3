import type { LiveStore } from '../live/store.js';
import { originatesPerTick } from './originateGate.js';
import { roomKey, type TrunkRoute } from './routes.js';

/** A channel up on a trunk, by its call (linkedid): Asterisk's Uniqueid of the call's first channel. */
export type TrunkChannel = { name: string; linkedid: string };

/** Each limited trunk's room, by roomKey: the calls it can still take (never below none), or null for no limit. */
export type TrunkRoom = Map<string, number | null>;

/**
 * The channels up on each of the routes' trunks that has a limit and an endpoint, by roomKey, as the live state
 * shows them: every call on it counts (other campaigns, other dialers, inbound), since the trunk's capacity
 * is shared by all of them. Asterisk names a channel of an endpoint `TECH/endpoint-<sequence>`
 * (PJSIP/carrier-0000002a), whoever placed it.
 */
export async function trunkChannelsUp(store: LiveStore, server: string, routes: readonly TrunkRoute[]): Promise<Map<string, TrunkChannel[]>> {
  const watched = routes.filter((route) => route.maxChannels !== null && route.endpoint !== null);
  const up = new Map<string, TrunkChannel[]>();
  if (watched.length === 0) return up;
  const channels = await store.list('channel', { server });
  for (const route of watched) {
    const prefix = `${route.techName}/${route.endpoint}-`.toLowerCase();
    up.set(roomKey(route), channels.filter((channel) => channel.name.toLowerCase().startsWith(prefix)).map(({ name, linkedid }) => ({ name, linkedid })));
  }
  return up;
}

/**
 * What each trunk can still take: its capacity less the other traffic up on it and one for each call the
 * dialers placed through it (`calls`, their dialing ids by roomKey), seen on the trunk yet or not. A dialing's
 * channels are linked to its id (the Originate's ChannelId is its first channel's Uniqueid, so the linkedid of
 * every leg), which tells the dialers' own channels from the rest. Counting calls, not channels, leaves no gap
 * between originating a call and its leg showing on the trunk: through a Local channel that leg is made by the
 * dialplan a moment later. A call that has left the trunk but not yet ended is counted on the safe side.
 */
export function trunkRoom(routes: readonly TrunkRoute[], up: ReadonlyMap<string, readonly TrunkChannel[]>, calls: Readonly<Record<string, readonly string[]>>): TrunkRoom {
  const room: TrunkRoom = new Map();
  for (const route of routes) {
    const key = roomKey(route);
    if (route.maxChannels === null) {
      room.set(key, null);
      continue;
    }
    const own = new Set(calls[key] ?? []);
    const others = (up.get(key) ?? []).filter((channel) => !own.has(channel.linkedid)).length;
    room.set(key, Math.max(0, route.maxChannels - others - own.size));
  }
  return room;
}

/**
 * The room of each trunk with an originate pace of its own, cut to what that pace lets out before the next tick
 * (`tickMs` away): the rest waits for fresher facts instead of queueing behind the trunk's gate.
 */
export function pacedRoom(routes: readonly TrunkRoute[], room: TrunkRoom, tickMs: number): TrunkRoom {
  const paced: TrunkRoom = new Map(room);
  for (const route of routes) {
    if (route.originatesPerSecond === null) continue;
    const key = roomKey(route);
    paced.set(key, Math.min(paced.get(key) ?? Number.POSITIVE_INFINITY, originatesPerTick(route.originatesPerSecond, tickMs)));
  }
  return paced;
}

/**
 * The calls the routes can take in all, for pacing: the room of the enabled trunks, or null when one of them
 * has no limit. A plan whose every trunk is disabled has none.
 */
export function trunkChannelsFree(routes: readonly TrunkRoute[], room: TrunkRoom): number | null {
  let free = 0;
  const counted = new Set<string>();
  for (const route of routes) {
    const key = roomKey(route);
    if (!route.enabled || counted.has(key)) continue;
    counted.add(key);
    const left = room.get(key);
    if (left === null || left === undefined) return null;
    free += left;
  }
  return free;
}

/**
 * The route a number is placed through now: the first that takes it, is enabled and has room (taking one
 * place of it); `none` when no route takes the number at all, `full` when those that do have no room now.
 */
export function routeFor(room: TrunkRoom, takers: readonly TrunkRoute[]): TrunkRoute | 'none' | 'full' {
  if (takers.length === 0) return 'none';
  for (const route of takers) {
    if (!route.enabled) continue;
    const key = roomKey(route);
    const left = room.get(key);
    if (left === null || left === undefined) return route;
    if (left > 0) {
      room.set(key, left - 1);
      return route;
    }
  }
  return 'full';
}
