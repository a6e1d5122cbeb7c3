import type { LiveStore } from '../live/store.js';
import { roomKey, type TrunkRoute } from './routes.js';
import { pacedRoom, trunkRoom, type TrunkChannel, type TrunkRoom } from './trunk.js';

/** Whether a trunk's endpoint can take calls, as its PBX's device state says. */
export type TrunkReach = {
  /** The endpoint's device (PJSIP/carrier), null for a trunk without one. */
  device: string | null;
  /** Its device state (NOT_INUSE, INUSE, UNAVAILABLE...), null when the PBX never reported one. */
  state: string | null;
  /** False when UNAVAILABLE (no contact answers its qualify, or none registered with its AOR) or INVALID (no such endpoint). */
  reachable: boolean | null;
};

/**
 * States in which Asterisk will not place a call on the endpoint (ast_device_state).
 *
 * The endpoint's outbound registration (TrunkStatus.registration) is left out on purpose: Asterisk 22 does not
 * consult it to place a call. chan_pjsip's device state is the endpoint's contacts' (qualify) state, which
 * res_pjsip_outbound_registration never sets, and an outgoing INVITE is sent to the endpoint's AOR contacts
 * whatever the registration says; the registration only tells the carrier where to send calls in (its `line` and
 * `endpoint` options match those). A carrier that refuses calls from an account not registered with it does so
 * itself, answering each INVITE with an error that the call's outcome records, as any other refusal.
 */
const UNREACHABLE = new Set(['UNAVAILABLE', 'INVALID']);

/** The device Asterisk keeps an endpoint's state under: TECH/endpoint. */
export function endpointDevice(route: Pick<TrunkRoute, 'techName' | 'endpoint'>): string | null {
  return route.endpoint === null ? null : `${route.techName}/${route.endpoint}`;
}

/** A trunk's reach from a PBX's device states (by device). A trunk dialed through a Local channel has none to go by: unknown. */
export function reachOf(route: Pick<TrunkRoute, 'techName' | 'endpoint'>, states: ReadonlyMap<string, string>): TrunkReach {
  const device = endpointDevice(route);
  const state = device === null ? null : (states.get(device.toLowerCase()) ?? null);
  return { device, state, reachable: state === null ? null : !UNREACHABLE.has(state) };
}

/** The device states the live state holds for a PBX, by device in lower case (Asterisk's device names are not case-sensitive). */
export async function deviceStates(store: LiveStore, server: string): Promise<Map<string, string>> {
  return new Map((await store.list('device', { server })).map((device) => [device.device.toLowerCase(), device.state]));
}

/** The device states of a PBX, read only when one of the routes has an endpoint to look up (none has nothing to read). */
export async function routeDeviceStates(store: LiveStore, server: string, routes: readonly TrunkRoute[]): Promise<Map<string, string>> {
  return routes.some((route) => route.endpoint !== null) ? deviceStates(store, server) : new Map();
}

/** The enabled routes whose trunk the PBX says is unreachable. */
function unreachable(routes: readonly TrunkRoute[], states: ReadonlyMap<string, string>): TrunkRoute[] {
  return routes.filter((route) => route.enabled && reachOf(route, states).reachable === false);
}

/** Why nothing can be dialed when every enabled route's trunk is unreachable, naming each; null while one is not. */
export function unreachableHold(routes: readonly TrunkRoute[], states: ReadonlyMap<string, string>): string | null {
  const down = unreachable(routes, states);
  if (down.length === 0 || down.length < routes.filter((route) => route.enabled).length) return null;
  return `every trunk is unreachable: ${down.map((route) => `${route.name} (${endpointDevice(route)} ${reachOf(route, states).state})`).join(', ')}`;
}

/** Takes the room of the trunks the PBX says are unreachable: a call placed there would only fail, or fail over. */
export function closeUnreachable(routes: readonly TrunkRoute[], states: ReadonlyMap<string, string>, room: TrunkRoom): TrunkRoom {
  for (const route of unreachable(routes, states)) room.set(roomKey(route), 0);
  return room;
}

/** The live facts a trunk's room is read from: channels up on it, the dialers' calls through it, its endpoint's state. */
export type RoomFacts = {
  up: ReadonlyMap<string, readonly TrunkChannel[]>;
  calls: Readonly<Record<string, readonly string[]>>;
  devices: ReadonlyMap<string, string>;
};

/**
 * What each trunk can take now, as a first call and a failed-over leg are both routed: its room (trunkRoom), none
 * on a trunk its PBX reports unreachable, and for a tick's batch (`tickMs` given) no more than each trunk's pace
 * lets out before the next tick. A failed-over leg is a single call: it waits its turn at the trunk's gate.
 */
export function roomNow(routes: readonly TrunkRoute[], facts: RoomFacts, tickMs?: number): TrunkRoom {
  const room = trunkRoom(routes, facts.up, facts.calls);
  return closeUnreachable(routes, facts.devices, tickMs === undefined ? room : pacedRoom(routes, room, tickMs));
}
