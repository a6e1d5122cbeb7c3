import { BASIC_BRIDGE, SimBridge } from '../model/bridge.js';
import { ChannelState, channelFields, type SimChannel } from '../model/channels.js';
import { ChannelEvents, type ApplicationStart } from '../model/channelEvents.js';
import type { HangupTarget, Pbx } from '../model/pbx.js';
import { PHONE_RING_MS, isEndpoint, newPhoneChannel, phoneDevice } from '../model/phones.js';
import type { Fields } from '../protocol/wire.js';

/** What Dial() clears on the calling channel as it starts (app_dial.c dial_exec_full), in its order. */
const CLEARED_ON_START = [
  'DIALSTATUS', 'DIALEDPEERNUMBER', 'DIALEDPEERNAME', 'ANSWEREDTIME', 'ANSWEREDTIME_MS', 'DIALEDTIME', 'DIALEDTIME_MS',
  'RINGTIME', 'RINGTIME_MS', 'PROGRESSTIME', 'PROGRESSTIME_MS',
] as const;

/** The endpoint of `Dial(PJSIP/<endpoint>[,<timeout>])` with no options and no timeout shorter than a phone's ring; undefined for any other Dial. */
export function dialledEndpoint(data: string): string | undefined {
  const [target = '', timeout, ...rest] = data.split(',');
  const endpoint = /^PJSIP\/(.+)$/i.exec(target)?.[1];
  if (endpoint === undefined || !isEndpoint(endpoint) || rest.some((argument) => argument !== '')) return undefined;
  // A timeout the phone would outlast is not simulated (Dial would end NOANSWER before the pick-up).
  if (timeout !== undefined && timeout !== '' && !(/^\d+$/.test(timeout) && Number(timeout) * 1000 > PHONE_RING_MS)) return undefined;
  return endpoint;
}

/** The call that runs Dial(): it owns the phone's channel and hangs its own leg up once Dial() returns. */
export type PhoneDialOwner = HangupTarget & { dialReturned(): void };

/**
 * Dial(PJSIP/<endpoint>) on a leg that is up (a customer's ;1 put through to an agent's phone, as a PREVIEW call
 * is), after app_dial.c: the variables Dial() clears, the phone's channel with DIALEDPEERNUMBER and the caller's
 * id, DialBegin, the phone ringing (DialState RINGING), picked up after PHONE_RING_MS (DialEnd ANSWER, after
 * DIALSTATUS, DIALEDPEERNAME and DIALEDPEERNUMBER), then a basic bridge that ast_bridge_call fills with the
 * callee first. Whichever side leaves, the bridge dissolves, app_dial hangs the phone up, and Dial() returns
 * with the time variables set (ANSWEREDTIME counts from the caller's own answer, as ast_channel_get_up_time_ms does). The phone's device `PJSIP/<endpoint>` goes RINGING, INUSE, NOT_INUSE.
 */
export class PhoneDial extends ChannelEvents<Pbx> {
  readonly phone: SimChannel;
  private readonly endpoint: string;
  /** The phone's device, `PJSIP/<endpoint>`. */
  private readonly device: string;
  private bridge: SimBridge | undefined;
  private cancelAnswer: (() => void) | undefined;
  private ended = false;

  constructor(
    pbx: Pbx,
    /** The leg that runs Dial(). */
    private readonly caller: SimChannel,
    private readonly owner: PhoneDialOwner,
    /** Dial()'s data, which applicationDestination has found to be a phone's. */
    private readonly start: ApplicationStart,
  ) {
    super(pbx);
    const endpoint = dialledEndpoint(start.data);
    if (endpoint === undefined) throw new Error(`Simulator: Dial(${start.data}) is not a simulated phone`);
    this.endpoint = endpoint;
    this.device = phoneDevice(endpoint);
    this.phone = newPhoneChannel(pbx, endpoint, pbx.registry.nextUniqueid(), caller.linkedid);
  }

  dial(): void {
    const { caller, phone, pbx } = this;
    this.startApplication(caller, 'Dial', this.start);
    for (const name of CLEARED_ON_START) this.varSet(caller, name, '');
    pbx.addChannel(phone, this.owner);
    this.channelEvent('Newchannel', phone);
    this.varSet(phone, 'DIALEDPEERNUMBER', this.endpoint);
    // The phone has no caller id of its own: Dial() gives it the dialplan's extension and the caller's connected name.
    Object.assign(phone, { application: 'AppDial', applicationData: '(Outgoing Line)', connectedNum: caller.callerIdNum, connectedName: caller.callerIdName });
    this.callerId(phone, caller.exten, caller.connectedName);
    this.dialEvent('DialBegin', [['DialString', this.endpoint]]);
    this.setState(phone, ChannelState.Ringing);
    this.dialEvent('DialState', [['DialStatus', 'RINGING']]);
    pbx.devices.change(this.device, 'RINGING');
    this.cancelAnswer = pbx.clock.after(PHONE_RING_MS, () => this.answer());
  }

  /** Whether `channel` is this call's phone, still up. */
  owns(channel: SimChannel): boolean {
    return !this.ended && channel === this.phone;
  }

  /** A Hangup action on the phone (the agent puts it down): Dial() returns and the caller's call goes on to hang up. */
  hangUpPhone(cause: number): void {
    if (this.ended) return;
    this.cause('SoftHangupRequest', this.phone, cause);
    if (this.bridge === undefined) this.dialEvent('DialEnd', [['DialStatus', 'NOANSWER']]);
    this.dissolve(this.phone, cause);
    this.owner.dialReturned();
  }

  /** The caller's leg is being hung up (the customer went): the phone is cancelled while it rings, or left alone in the bridge and hung up. */
  callerLeaving(): void {
    if (this.ended) return;
    if (this.bridge === undefined) this.dialEvent('DialEnd', [['DialStatus', 'CANCEL']]);
    this.dissolve(this.caller, 16);
  }

  dispose(): void {
    this.cancelAnswer?.();
    this.cancelAnswer = undefined;
  }

  private answer(): void {
    const { caller, phone, pbx } = this;
    this.cancelAnswer = undefined;
    this.setState(phone, ChannelState.Up);
    pbx.devices.change(this.device, 'INUSE');
    this.varSet(caller, 'DIALSTATUS', 'ANSWER');
    this.varSet(caller, 'DIALEDPEERNAME', phone.name);
    this.varSet(caller, 'DIALEDPEERNUMBER', this.endpoint);
    // app_dial clears the answered callee's place before it bridges it.
    Object.assign(phone, { context: '', exten: '' });
    this.dialEvent('DialEnd', [['DialStatus', 'ANSWER']]);
    this.bridge = new SimBridge(pbx, BASIC_BRIDGE);
    this.bridge.enter(phone);
    this.bridge.enter(caller);
    this.varSet(phone, 'BRIDGEPEER', caller.name);
    this.varSet(caller, 'BRIDGEPEER', phone.name);
  }

  /**
   * `first` leaves the bridge (or the phone stops ringing), the other follows as the bridge dissolves, the phone is
   * hung up, and Dial() sets the time variables on the caller as it returns.
   */
  private dissolve(first: SimChannel, cause: number): void {
    const { caller, phone, pbx, bridge } = this;
    this.ended = true;
    this.dispose();
    if (bridge !== undefined) {
      this.varSet(phone, 'BRIDGEPEER', '');
      this.varSet(caller, 'BRIDGEPEER', '');
      bridge.leave(first);
      bridge.leave(first === phone ? caller : phone);
      bridge.destroy();
    }
    this.sendHangup(phone, cause);
    pbx.devices.change(this.device, 'NOT_INUSE');
    if (bridge === undefined) return;
    const now = pbx.clock.now();
    this.durations(caller, now - (caller.answeredAt ?? now), now - caller.createdAt);
  }

  private dialEvent(event: 'DialBegin' | 'DialState' | 'DialEnd', extra: Fields): void {
    this.pbx.emit(event, 'call,all', [...channelFields(this.caller), ...channelFields(this.phone, 'Dest'), ...extra]);
  }
}
