import { ChannelRegistry, type SimChannel } from './channels.js';
import { amiTimestamp, type SimulatorClock } from './clock.js';
import { ParkingLot } from './parking.js';
import { QueueRegistry } from './queues.js';
import type { Fields } from './wire.js';

/** Something that ends a call's channels when a Hangup action names one of them. */
export interface HangupTarget {
  hangup(channel: SimChannel, cause: number): void;
  dispose(): void;
}

type Listener = (fields: Fields) => void;

/**
 * The simulated Asterisk shared by every AMI session: its clock, its channels, the calls that own them, and
 * the event fan-out (Asterisk sends every event to every logged-in session that asked for events).
 */
export class Pbx {
  readonly registry: ChannelRegistry;
  readonly startedAt: number;
  /** The lot `default` of res_parking.conf, shared by every call that parks. */
  readonly parking: ParkingLot;
  /** The queues of queues.conf (`support`, `sales`) and their members. */
  readonly queues: QueueRegistry;
  private readonly listeners = new Set<Listener>();
  private readonly owners = new Map<string, HangupTarget>();

  constructor(readonly clock: SimulatorClock) {
    this.registry = new ChannelRegistry(() => clock.now());
    this.startedAt = clock.now();
    this.parking = new ParkingLot(this);
    this.queues = new QueueRegistry(this);
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends one event with the Event/Privilege/Timestamp head Asterisk 22 puts on it. */
  emit(event: string, privilege: string, fields: Fields): void {
    const frame: Fields = [['Event', event], ['Privilege', privilege], ['Timestamp', amiTimestamp(this.clock.now())], ...fields];
    for (const listener of this.listeners) listener(frame);
  }

  addChannel(channel: SimChannel, owner: HangupTarget): void {
    this.registry.add(channel);
    this.owners.set(channel.name, owner);
  }

  removeChannel(channel: SimChannel): void {
    this.registry.remove(channel);
    this.owners.delete(channel.name);
  }

  /** Hangs up a channel by exact name; false when there is no such channel. */
  hangup(name: string, cause: number): boolean {
    const channel = this.registry.get(name);
    const owner = this.owners.get(name);
    if (channel === undefined || owner === undefined) return false;
    owner.hangup(channel, cause);
    return true;
  }

  /** Stops every call's timers, so a closed simulator leaves nothing scheduled. */
  dispose(): void {
    for (const owner of new Set(this.owners.values())) owner.dispose();
  }

  /** Seconds since start, for FullyBooted's Uptime and LastReload. */
  uptimeSeconds(): number {
    return Math.floor((this.clock.now() - this.startedAt) / 1000);
  }
}
