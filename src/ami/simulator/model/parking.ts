import { randomUUID } from 'node:crypto';
import { channelFields, type SimChannel } from './channels.js';
import type { DeviceState, DeviceStates } from './deviceStates.js';
import type { EventHost } from './eventHost.js';
import type { Fields } from '../protocol/wire.js';

/** The transcripts' one lot (pbx-config/res_parking.conf): `[default]`, spaces 701-720, 20 s, context parkedcalls. */
export const DEFAULT_LOT = {
  name: 'default',
  startSpace: 701,
  stopSpace: 720,
  timeoutSeconds: 20,
  context: 'parkedcalls',
  /** comebacktoorigin = no: a timed-out call goes here, to `s` unless the flattened parker has an extension. */
  comebackContext: 'parked-timeout',
} as const;

/** One call held in the lot. */
export type ParkedCall = {
  readonly channel: SimChannel;
  readonly space: number;
  readonly parkedAt: number;
  /** The parker's device (`Local/7002@customers`), what ParkerDialString and PARKER say. */
  readonly parkerDialString: string;
};

/**
 * The parking lot `default` and its holding bridge. As in Asterisk the bridge is made by the first Park() and
 * then outlives every call in it (answered-to-park enters the bridge park-then-hangup created).
 */
export class ParkingLot {
  readonly config = DEFAULT_LOT;
  private bridgeId: string | undefined;
  private readonly calls = new Map<number, ParkedCall>();

  constructor(
    private readonly pbx: EventHost,
    private readonly devices: DeviceStates,
  ) {}

  /** The parked calls by space, lowest first (Asterisk keeps parked users sorted by space). */
  list(): ParkedCall[] {
    return [...this.calls.values()].sort((a, b) => a.space - b.space);
  }

  /** Whether every space is taken. */
  full(): boolean {
    return this.calls.size > this.config.stopSpace - this.config.startSpace;
  }

  /**
   * Park(default): the lowest free space, the bridge on first use, then ParkedCall, the space's device state
   * and BridgeEnter (park-then-hangup's order). Undefined when every space is taken: nothing is sent.
   */
  park(channel: SimChannel, parkerDialString: string): ParkedCall | undefined {
    const { startSpace, stopSpace } = this.config;
    let space = startSpace;
    while (space <= stopSpace && this.calls.has(space)) space += 1;
    if (space > stopSpace) return undefined;
    if (this.bridgeId === undefined) {
      this.bridgeId = randomUUID();
      this.pbx.emit('BridgeCreate', 'call,all', this.bridgeFields());
    }
    const call: ParkedCall = { channel, space, parkedAt: this.pbx.clock.now(), parkerDialString };
    this.calls.set(space, call);
    this.pbx.emit('ParkedCall', 'call,all', this.parkedCallFields(call));
    this.spaceState(call, 'INUSE');
    channel.bridgeId = this.bridgeId;
    this.pbx.emit('BridgeEnter', 'call,all', [...this.bridgeFields(), ...channelFields(channel)]);
    return call;
  }

  /** The customer hung up while parked (park-then-hangup): space free, ParkedCallGiveUp, BridgeLeave. */
  giveUp(call: ParkedCall): void {
    this.release(call);
    this.spaceState(call, 'NOT_INUSE');
    this.pbx.emit('ParkedCallGiveUp', 'call,all', this.parkedCallFields(call));
    this.leaveBridge(call);
  }

  /**
   * The lot's timeout (answered-to-park): space free, BridgeLeave, then ParkedCallTimeOut already showing the
   * comeback context the channel goes on to.
   */
  timeOut(call: ParkedCall): void {
    this.release(call);
    this.spaceState(call, 'NOT_INUSE');
    this.leaveBridge(call);
    Object.assign(call.channel, { context: this.config.comebackContext, exten: 's', priority: 1 });
    this.pbx.emit('ParkedCallTimeOut', 'call,all', this.parkedCallFields(call));
  }

  /** The ParkedCall / ParkedCallGiveUp / ParkedCallTimeOut body, list items included: Parkee snapshot, lot, space, times. */
  parkedCallFields(call: ParkedCall): Fields {
    // Asterisk subtracts whole epoch seconds (ParkingDuration 2 after 1.8 s in answered-to-park).
    const duration = Math.floor(this.pbx.clock.now() / 1000) - Math.floor(call.parkedAt / 1000);
    return [
      ...channelFields(call.channel, 'Parkee'),
      ['ParkerDialString', call.parkerDialString],
      ['Parkinglot', this.config.name],
      ['ParkingSpace', String(call.space)],
      ['ParkingTimeout', String(Math.max(0, this.config.timeoutSeconds - duration))],
      ['ParkingDuration', String(duration)],
    ];
  }

  private release(call: ParkedCall): void {
    this.calls.delete(call.space);
  }

  private leaveBridge(call: ParkedCall): void {
    call.channel.bridgeId = '';
    this.pbx.emit('BridgeLeave', 'call,all', [...this.bridgeFields(), ...channelFields(call.channel)]);
  }

  private spaceState(call: ParkedCall, state: DeviceState): void {
    this.devices.change(`park:${call.space}@${this.config.context}`, state);
  }

  /** The bridge snapshot; BridgeNumChannels counts the calls in the lot now. */
  private bridgeFields(): Fields {
    return [
      ['BridgeUniqueid', this.bridgeId ?? ''],
      ['BridgeType', 'parking'],
      ['BridgeTechnology', 'holding_bridge'],
      ['BridgeCreator', 'Parking'],
      ['BridgeName', this.config.name],
      ['BridgeNumChannels', String(this.calls.size)],
      ['BridgeVideoSourceMode', 'none'],
    ];
  }
}
