import { ChannelState, channelFields, type SimChannel } from '../model/channels.js';
import { ChannelEvents } from '../model/channelEvents.js';
import type { HangupTarget, Pbx } from '../model/pbx.js';
import { PHONE_RING_MS, newPhoneChannel, phoneDevice } from '../model/phones.js';
import type { Fields } from '../protocol/wire.js';

/** `Originate PJSIP/<endpoint>` with `Application: ChanSpy` and `Data: <channel prefix>[,options]`. */
export type SpyOriginate = {
  endpoint: string;
  data: string;
  callerId: { name: string; num: string } | undefined;
  /** The Uniqueid asked for with ChannelId, as Asterisk honours it for application originates too. */
  channelId: string | undefined;
  actionIdFields: Fields;
};

/**
 * Simulated, no transcript has one: a supervisor's PJSIP endpoint is called, rings, answers, and ChanSpy starts
 * on the first channel whose name begins with Data's channel part (app_chanspy's prefix match), sending
 * ChanSpyStart with the Spyer and Spyee snapshots (manager_channels.c). With no such channel ChanSpy waits
 * silently; the spy's hangup sends ChanSpyStop. The endpoint's device `PJSIP/<endpoint>` follows the channel:
 * RINGING, INUSE, NOT_INUSE. A spyee that hangs up first is not followed (ChanSpy would look for another).
 */
export class SpyCall extends ChannelEvents<Pbx> implements HangupTarget {
  private readonly spy: SimChannel;
  private spyee: SimChannel | undefined;
  private cancelAnswer: (() => void) | undefined;

  constructor(
    pbx: Pbx,
    private readonly request: SpyOriginate,
  ) {
    super(pbx);
    const uniqueid = request.channelId ?? pbx.registry.nextUniqueid();
    this.spy = newPhoneChannel(pbx, request.endpoint, uniqueid, uniqueid);
    if (request.callerId !== undefined) Object.assign(this.spy, { callerIdNum: request.callerId.num, callerIdName: request.callerId.name });
  }

  private get device(): string {
    return phoneDevice(this.request.endpoint);
  }

  start(): void {
    const { spy, pbx } = this;
    pbx.addChannel(spy, this);
    this.channelEvent('Newchannel', spy);
    this.setState(spy, ChannelState.Ringing);
    pbx.devices.change(this.device, 'RINGING');
    this.cancelAnswer = pbx.clock.after(PHONE_RING_MS, () => this.answer());
  }

  hangup(channel: SimChannel, cause: number): void {
    const { spy, pbx, spyee } = this;
    if (channel !== spy) return;
    this.dispose();
    this.cause('SoftHangupRequest', spy, cause);
    if (spyee !== undefined) pbx.emit('ChanSpyStop', 'call,all', [...channelFields(spy, 'Spyer'), ...channelFields(spyee, 'Spyee')]);
    this.spyee = undefined;
    this.sendHangup(spy, cause);
    pbx.devices.change(this.device, 'NOT_INUSE');
  }

  dispose(): void {
    this.cancelAnswer?.();
    this.cancelAnswer = undefined;
  }

  private answer(): void {
    const { spy, pbx, request } = this;
    this.cancelAnswer = undefined;
    this.setState(spy, ChannelState.Up);
    pbx.devices.change(this.device, 'INUSE');
    Object.assign(spy, { application: 'ChanSpy', applicationData: request.data });
    pbx.emit('OriginateResponse', 'call,all', [
      ...request.actionIdFields,
      ['Response', 'Success'],
      ['Channel', spy.name],
      ['Application', 'ChanSpy'],
      ['Data', request.data],
      ['Reason', '4'],
      ['Uniqueid', spy.uniqueid],
      ['CallerIDNum', request.callerId?.num ?? '<unknown>'],
      ['CallerIDName', request.callerId?.name ?? '<unknown>'],
    ]);
    const prefix = request.data.split(',')[0] ?? '';
    this.spyee = pbx.registry.list().find((channel) => channel !== spy && prefix !== '' && channel.name.toLowerCase().startsWith(prefix.toLowerCase()));
    if (this.spyee !== undefined) pbx.emit('ChanSpyStart', 'call,all', [...channelFields(spy, 'Spyer'), ...channelFields(this.spyee, 'Spyee')]);
  }
}
