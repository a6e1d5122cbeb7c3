import { CAUSE_TEXT, channelFields, type ChannelStateCode, type SimChannel } from './channels.js';
import type { Pbx } from './pbx.js';
import type { Fields } from './wire.js';

/**
 * The events a Local channel pair sends, each with the snapshot of the channel at that moment; the call
 * classes say only when and in which order.
 */
export abstract class LegEvents {
  constructor(
    protected readonly pbx: Pbx,
    /** The device both legs share: `Local/<exten>@<context>`. */
    protected readonly device: string,
  ) {}

  /** The dialled ;1 leg, which DialBegin/DialState/DialEnd describe. */
  protected abstract get dialled(): SimChannel;

  protected channelEvent(event: string, channel: SimChannel, extra: Fields = [], privilege = 'call,all'): void {
    this.pbx.emit(event, privilege, [...channelFields(channel), ...extra]);
  }

  protected newexten(channel: SimChannel, application: string, data: string): void {
    channel.application = application;
    channel.applicationData = data;
    this.channelEvent('Newexten', channel, [['Extension', channel.exten], ['Application', application], ['AppData', data]], 'dialplan,all');
  }

  protected varSet(channel: SimChannel, name: string, value: string): void {
    this.channelEvent('VarSet', channel, [['Variable', name], ['Value', value]], 'dialplan,all');
  }

  protected setState(channel: SimChannel, state: ChannelStateCode): void {
    channel.state = state;
    this.channelEvent('Newstate', channel);
  }

  protected cause(event: 'HangupRequest' | 'SoftHangupRequest', channel: SimChannel, cause: number): void {
    this.channelEvent(event, channel, [['Cause', String(cause)]]);
  }

  /** The Hangup event; `device` sends that device state right after it, as the failure outcomes do. */
  protected hangupEvent(channel: SimChannel, cause: number, device?: string): void {
    this.channelEvent('Hangup', channel, [['Cause', String(cause)], ['Cause-txt', CAUSE_TEXT[cause] ?? 'Unknown']]);
    this.pbx.removeChannel(channel);
    if (device !== undefined) this.deviceState(device);
  }

  protected dial(event: 'DialBegin' | 'DialState' | 'DialEnd', extra: Fields): void {
    this.pbx.emit(event, 'call,all', [...channelFields(this.dialled, 'Dest'), ...extra]);
  }

  protected deviceState(state: string): void {
    this.pbx.emit('DeviceStateChange', 'call,all', [['Device', this.device], ['State', state]]);
  }

  protected userEvent(channel: SimChannel, name: string, body: Fields): void {
    this.channelEvent('UserEvent', channel, [['UserEvent', name], ...body], 'user,all');
  }
}
