import { CAUSE_TEXT, ChannelState, channelFields, type ChannelStateCode, type SimChannel } from './channels.js';
import type { ChannelHost } from './eventHost.js';
import type { Fields } from '../protocol/wire.js';

/** Priority 1 of `context,exten`, where the dialplan starts a destination's application. */
export type DialplanPlace = { readonly context: string; readonly exten: string };

/** How a leg comes to run an application: its data, and the dialplan place that runs it (none for an application Originate). */
export type ApplicationStart = { readonly data: string; readonly at: DialplanPlace | undefined };

/**
 * The per-channel events every simulated call sends, each with the snapshot of the channel at that moment; the
 * call classes say only when and in which order.
 */
export class ChannelEvents<Host extends ChannelHost = ChannelHost> {
  constructor(protected readonly pbx: Host) {}

  channelEvent(event: string, channel: SimChannel, extra: Fields = [], privilege = 'call,all'): void {
    this.pbx.emit(event, privilege, [...channelFields(channel), ...extra]);
  }

  newexten(channel: SimChannel, application: string, data: string): void {
    channel.application = application;
    channel.applicationData = data;
    this.channelEvent('Newexten', channel, [['Extension', channel.exten], ['Application', application], ['AppData', data]], 'dialplan,all');
  }

  /**
   * `channel` starts `application`. Sent there by the dialplan (`start.at`), it moves to that priority 1 and Newexten
   * says so. Run by an application Originate (no `start.at`), only its application changes: pbx_exec publishes
   * a snapshot, but Newexten needs a new context, exten or priority (ast_channel_snapshot_cep_equal) and the leg
   * is still where its Local channel put it, running AppDial2 until then.
   */
  startApplication(channel: SimChannel, application: string, { data, at }: ApplicationStart): void {
    if (at === undefined) {
      Object.assign(channel, { application, applicationData: data });
      return;
    }
    Object.assign(channel, { context: at.context, exten: at.exten, priority: 1 });
    this.newexten(channel, application, data);
  }

  varSet(channel: SimChannel, name: string, value: string): void {
    channel.variables.set(name, value);
    this.channelEvent('VarSet', channel, [['Variable', name], ['Value', value]], 'dialplan,all');
  }

  /** ANSWEREDTIME, DIALEDTIME and their _MS twins, as Dial() and Queue() set them on the caller as they return. */
  durations(channel: SimChannel, answeredMs: number, dialedMs: number): void {
    this.durationVariable(channel, 'ANSWEREDTIME', answeredMs);
    this.durationVariable(channel, 'DIALEDTIME', dialedMs);
  }

  /** `<name>` in whole seconds and `<name>_MS` in milliseconds (app_queue's and app_dial's set_duration_var). */
  durationVariable(channel: SimChannel, name: string, ms: number): void {
    this.varSet(channel, name, String(Math.floor(ms / 1000)));
    this.varSet(channel, `${name}_MS`, String(Math.floor(ms)));
  }

  setState(channel: SimChannel, state: ChannelStateCode): void {
    channel.state = state;
    if (state === ChannelState.Up) channel.answeredAt ??= this.pbx.clock.now();
    this.channelEvent('Newstate', channel);
  }

  cause(event: 'HangupRequest' | 'SoftHangupRequest', channel: SimChannel, cause: number): void {
    this.channelEvent(event, channel, [['Cause', String(cause)]]);
  }

  /** The Hangup event; the channel is gone from the PBX after it. */
  sendHangup(channel: SimChannel, cause: number): void {
    this.channelEvent('Hangup', channel, [['Cause', String(cause)], ['Cause-txt', CAUSE_TEXT[cause] ?? 'Unknown']]);
    this.pbx.removeChannel(channel);
  }

  /** Sets a channel's connected line and sends NewConnectedLine. */
  connectedLine(channel: SimChannel, num: string, name: string): void {
    Object.assign(channel, { connectedNum: num, connectedName: name });
    this.channelEvent('NewConnectedLine', channel);
  }

  /** Sets a channel's caller id and sends NewCallerid. */
  callerId(channel: SimChannel, num: string, name: string): void {
    Object.assign(channel, { callerIdNum: num, callerIdName: name });
    this.channelEvent('NewCallerid', channel, [['CID-CallingPres', '0 (Presentation Allowed, Not Screened)']]);
  }
}
