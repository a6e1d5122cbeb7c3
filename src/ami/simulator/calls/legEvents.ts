import { channelFields, type SimChannel } from '../model/channels.js';
import { ChannelEvents } from '../model/channelEvents.js';
import type { DeviceState } from '../model/deviceStates.js';
import type { Pbx } from '../model/pbx.js';
import type { Fields } from '../protocol/wire.js';

/** What a Local pair is dialled with: `Local/<number>@<context>[/n]`, its caller id and channel variables. */
export type LocalDial = {
  number: string;
  context: string;
  /** false for `/n`: no optimisation, and the DialString keeps the `/n`. */
  optimize: boolean;
  callerId: { name: string; num: string } | undefined;
  variables: readonly (readonly [string, string])[];
};

/** The events a Local channel pair sends; the call classes say only when and in which order. */
export abstract class LegEvents extends ChannelEvents<Pbx> {
  constructor(
    pbx: Pbx,
    /** The device both legs share: `Local/<exten>@<context>`. */
    protected readonly device: string,
  ) {
    super(pbx);
  }

  /** The dialled ;1 leg, which DialBegin/DialState/DialEnd describe. */
  protected abstract get dialled(): SimChannel;

  /**
   * An originated pair comes up (every Local transcript): both Newchannels, AppDial2, the Variables (;1 last to
   * first, ;2 first to last), the caller id on each leg, then, for a context the dialplan has, LocalBridge and
   * DialBegin.
   */
  protected openPair(one: SimChannel, two: SimChannel, request: LocalDial, reachable: boolean): void {
    this.channelEvent('Newchannel', one);
    this.channelEvent('Newchannel', two);
    this.newexten(one, 'AppDial2', '(Outgoing Line)');
    // A function written through Variable (PJSIP_HEADER(add,X-Id)=...) is no variable: ast_func_write sets no VarSet,
    // and PJSIP_HEADER fails outright on a Local channel.
    const variables = request.variables.filter(([name]) => !name.endsWith(')'));
    for (const [name, value] of [...variables].reverse()) this.varSet(one, name, value);
    const { callerId } = request;
    if (callerId) {
      this.callerId(one, callerId.num, callerId.name);
      this.connectedLine(one, callerId.num, callerId.name);
    }
    for (const [name, value] of variables) this.varSet(two, name, value);
    if (callerId) {
      // ;2 copies ;1 whole, so its NewCallerid already shows the connected line.
      Object.assign(two, { connectedNum: callerId.num, connectedName: callerId.name });
      this.callerId(two, callerId.num, callerId.name);
      this.channelEvent('NewConnectedLine', two);
    }
    if (!reachable) return;
    this.pbx.emit('LocalBridge', 'call,all', [
      ...channelFields(one, 'LocalOne'),
      ...channelFields(two, 'LocalTwo'),
      ['Context', request.context],
      ['Exten', request.number],
      ['LocalOptimization', request.optimize ? 'Yes' : 'No'],
    ]);
    this.dial('DialBegin', [['DialString', `${request.number}@${request.context}${request.optimize ? '' : '/n'}`]]);
  }

  /** The Hangup event; `device` sends that device state right after it, as the failure outcomes do. */
  protected hangupEvent(channel: SimChannel, cause: number, device?: DeviceState): void {
    this.sendHangup(channel, cause);
    if (device !== undefined) this.deviceState(device);
  }

  protected dial(event: 'DialBegin' | 'DialState' | 'DialEnd', extra: Fields): void {
    this.pbx.emit(event, 'call,all', [...channelFields(this.dialled, 'Dest'), ...extra]);
  }

  protected deviceState(state: DeviceState): void {
    this.pbx.devices.change(this.device, state);
  }

  protected userEvent(channel: SimChannel, name: string, body: Fields): void {
    this.channelEvent('UserEvent', channel, [['UserEvent', name], ...body], 'user,all');
  }
}
