import { AgentPool } from './agents.js';
import { ChannelRegistry, type SimChannel } from './channels.js';
import type { Clock } from '../../../clock.js';
import { amiTimestamp } from '../protocol/timestamps.js';
import { DeviceStates } from './deviceStates.js';
import { Hints } from './hints.js';
import { ParkingLot } from './parking.js';
import { QueueRegistry } from './queues.js';
import { OutboundRegistrations } from './registrations.js';
import type { Fields } from '../protocol/wire.js';

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
  /** Device states, cached or not; hints and queue members follow them. */
  readonly devices: DeviceStates;
  /** The agents of agents.conf (app_agent_pool). */
  readonly agents: AgentPool;
  /** The queues of queues.conf (`support`, `sales`, `helpdesk`) and their members. */
  readonly queues: QueueRegistry;
  /** The hints of context `hints`. */
  readonly hints: Hints;
  /** PJSIP outbound registrations: none until a test configures some (registrations.configure). */
  readonly registrations: OutboundRegistrations;
  /** Global dialplan variables (Setvar without a Channel). */
  readonly globals = new Map<string, string>();
  private readonly listeners = new Set<Listener>();
  private readonly owners = new Map<string, HangupTarget>();

  constructor(readonly clock: Clock) {
    this.registry = new ChannelRegistry(() => clock.now());
    this.startedAt = clock.now();
    this.devices = new DeviceStates(this);
    this.parking = new ParkingLot(this, this.devices);
    // Agents and queues seed the device cache first, so queue members and hints start from those states.
    this.agents = new AgentPool(this, this.devices);
    this.queues = new QueueRegistry(this, this.devices);
    this.hints = new Hints(this, this.devices);
    this.registrations = new OutboundRegistrations(this);
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

  /** The call a channel belongs to, for actions that act on it (Redirect, Park). */
  ownerOf(name: string): HangupTarget | undefined {
    return this.owners.get(name);
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
    this.agents.dispose();
  }

  /** Seconds since start, for FullyBooted's Uptime and LastReload. */
  uptimeSeconds(): number {
    return Math.floor((this.clock.now() - this.startedAt) / 1000);
  }
}
