import { ChannelState, newChannel, type SimChannel } from './channels.js';
import { AgentQueueCall, type AgentQueueOwner } from './agentQueueCall.js';
import { ECHO, PARK, QUEUE_HELPDESK, QUEUE_SALES, type CustomerStep, type Destination } from './customers.js';
import { LegEvents } from './legEvents.js';
import type { HangupTarget, Pbx } from './pbx.js';
import type { LocalOriginate } from './originate.js';
import type { ParkedCall } from './parking.js';
import { QueueCall } from './queueCall.js';
import type { Fields } from './wire.js';

/**
 * One Local channel pair and the events Asterisk 22 sends along it. The orders below are the transcripts'
 * (busy, congestion, no-answer, unallocated, originate-with-channelid, originate-invalid-context,
 * hangup-and-setvar); what differs between outcomes is also where the real cause appears: on `;2`, while
 * `;1` often says Cause 0.
 */
export class LocalCall extends LegEvents implements HangupTarget, AgentQueueOwner {
  private readonly one: SimChannel;
  private readonly two: SimChannel;
  private readonly timers = new Set<() => void>();
  private answered = false;
  private ended = false;
  /** Set while the ;1 leg sits in the parking lot (dest,park). */
  private parked: ParkedCall | undefined;
  /** Set once the ;1 leg runs Queue(sales) (dest,queue-sales) or Queue(helpdesk) (dest-agents,queue-helpdesk). */
  private queueCall: QueueCall | AgentQueueCall | undefined;
  /** Set when ;2 took ;1's connected line as its caller id, for NewCallerid after its next Newexten. */
  private callerIdChanged = false;
  /** Cancels dest,echo's Hangup while ;1 waits in it (what Redirect and Park may interrupt). */
  private echoEnd: (() => void) | undefined;

  constructor(
    pbx: Pbx,
    private readonly request: LocalOriginate,
  ) {
    super(pbx, `Local/${request.number}@${request.context}`);
    const { registry, clock } = pbx;
    const suffix = registry.nextLocalSuffix();
    const base = `Local/${request.number}@${request.context}-${suffix}`;
    const uniqueOne = request.channelId ?? registry.nextUniqueid();
    // With ChannelId alone Asterisk derives the ;2 id from it (`<id>;2`), as originate-with-channelid shows.
    const uniqueTwo = request.otherChannelId ?? (request.channelId !== undefined ? `${request.channelId};2` : registry.nextUniqueid());
    const at = { context: request.context, exten: request.number, createdAt: clock.now() };
    this.one = newChannel(`${base};1`, uniqueOne, uniqueOne, { ...at, state: ChannelState.Down });
    this.two = newChannel(`${base};2`, uniqueTwo, uniqueOne, { ...at, state: ChannelState.Ring });
  }

  protected get dialled(): SimChannel {
    return this.one;
  }

  start(): void {
    this.setUp();
    const behaviour = this.request.behaviour;
    if (behaviour === undefined) return this.invalidContext();
    switch (behaviour.kind) {
      case 'busy':
        return this.busy();
      case 'congestion':
        return this.congestion();
      case 'unallocated':
        return this.unallocated();
      case 'noAnswer':
        return this.ring(120, undefined);
      case 'answer':
        if (behaviour.ringSeconds !== undefined) return this.ring(behaviour.ringSeconds, behaviour.steps);
        return this.answer(behaviour.steps);
    }
  }

  /** A Hangup action on either leg: the named leg is soft-hung-up, the other follows (hangup-and-setvar). */
  hangup(channel: SimChannel, cause: number): void {
    if (this.ended) return;
    // An agent leg hung up by a Hangup action ends the queue call as the agent's own Hangup() would.
    if (this.queueCall?.owns(channel)) return this.queueEnded();
    if (!this.answered) this.originateFailed(1);
    this.tearDown(channel === this.one ? this.one : this.two, cause);
  }

  private setUp(): void {
    const { one, two, request } = this;
    this.pbx.addChannel(one, this);
    this.pbx.addChannel(two, this);
    this.openPair(one, two, request, request.behaviour !== undefined);
  }

  private busy(): void {
    this.newexten(this.two, 'Busy', '3');
    this.setState(this.two, ChannelState.Busy);
    this.dial('DialEnd', [['DialStatus', 'BUSY']]);
    this.cause('HangupRequest', this.two, 0);
    this.deviceState('INUSE');
    this.originateFailed(5);
    this.cause('SoftHangupRequest', this.two, 16);
    this.hangupEvent(this.two, 17);
    this.hangupEvent(this.one, 0);
    this.finish();
  }

  private congestion(): void {
    this.newexten(this.two, 'Congestion', '3');
    this.setState(this.two, ChannelState.Busy);
    this.deviceState('INUSE');
    this.dial('DialEnd', [['DialStatus', 'CONGESTION']]);
    this.cause('HangupRequest', this.two, 0);
    this.hangupEvent(this.one, 0);
    this.cause('SoftHangupRequest', this.two, 16);
    this.hangupEvent(this.two, 34);
    this.originateFailed(8);
    this.finish();
  }

  private unallocated(): void {
    this.newexten(this.two, 'Hangup', '1');
    this.cause('SoftHangupRequest', this.two, 16);
    this.cause('HangupRequest', this.one, 1);
    this.hangupEvent(this.two, 1);
    this.dial('DialEnd', [['DialStatus', 'NOANSWER']]);
    this.originateFailed(0);
    this.hangupEvent(this.one, 1);
    this.finish();
  }

  /** A context the dialplan lacks: both legs go at once with Cause 0 and the device reads INVALID. */
  private invalidContext(): void {
    this.hangupEvent(this.two, 0, 'INVALID');
    this.originateFailed(0);
    this.hangupEvent(this.one, 0, 'INVALID');
    this.finish(false);
  }

  /** Ringing(), Wait(seconds), then Answer() with `steps` after, unless the originate Timeout comes first. */
  private ring(waitSeconds: number, steps: readonly CustomerStep[] | undefined): void {
    this.newexten(this.two, 'Ringing', '');
    this.setState(this.one, ChannelState.Ringing);
    this.two.priority = 2;
    this.newexten(this.two, 'Wait', String(waitSeconds));
    this.deviceState('INUSE');
    this.dial('DialState', [['DialStatus', 'RINGING']]);
    const ringMs = waitSeconds * 1000;
    if (steps !== undefined && ringMs < this.request.timeoutMs) this.after(ringMs, () => this.answer(steps));
    else this.after(this.request.timeoutMs, () => this.noAnswer());
  }

  private noAnswer(): void {
    this.cause('HangupRequest', this.two, 19);
    this.originateFailed(3);
    this.hangupEvent(this.one, 19, 'NOT_INUSE');
    this.cause('SoftHangupRequest', this.two, 16);
    this.hangupEvent(this.two, 19, 'NOT_INUSE');
    this.finish(false);
  }

  private answer(steps: readonly CustomerStep[]): void {
    const { one, two } = this;
    this.answered = true;
    // After Ringing() and Wait() the customer's Answer() is priority 3; without them, priority 1.
    two.priority = two.application === '' ? 1 : 3;
    this.newexten(two, 'Answer', '');
    this.setState(two, ChannelState.Up);
    this.deviceState('INUSE');
    this.setState(one, ChannelState.Up);
    this.dial('DialEnd', [['DialStatus', 'ANSWER']]);
    this.originateResponse('Success', one.name, 4, one.uniqueid);
    this.deviceState('INUSE');
    if (this.request.destination === 'park') return this.park(steps);
    if (this.request.destination === 'queue' || this.request.destination === 'helpdesk') return this.enterQueue(this.request.destination, steps);
    this.echo();
    // Answer() on the customer side takes half a second before the next step (1208 -> 1708 ms, 207 -> 707 ms).
    this.after(500, () => this.runSteps(steps, 0));
  }

  /** dest,echo on ;1: Answer(), Wait(3), Hangup(). */
  private echo(): void {
    const { one } = this;
    Object.assign(one, { context: ECHO.context, exten: ECHO.exten, priority: 1 });
    this.newexten(one, 'Answer', '');
    one.priority = 2;
    this.newexten(one, 'Wait', String(ECHO.seconds));
    this.echoEnd = this.after(ECHO.seconds * 1000, () => {
      this.echoEnd = undefined;
      one.priority = 3;
      this.newexten(one, 'Hangup', '');
      this.tearDown(one, 16);
    });
  }

  /** dest,queue-sales or dest-agents,queue-helpdesk: Queue() on ;1 while the customer's Answer() returns after half a second. */
  private enterQueue(kind: 'queue' | 'helpdesk', steps: readonly CustomerStep[]): void {
    this.startQueue(kind);
    this.after(500, () => this.runSteps(steps, 0));
  }

  private startQueue(kind: 'queue' | 'helpdesk'): void {
    this.queueCall = kind === 'helpdesk' ? new AgentQueueCall(this.pbx, this.one, this) : new QueueCall(this.pbx, this.one, this);
    this.queueCall.start();
  }

  /**
   * Redirect of ;1 while it runs dest,echo's Wait (the one state simulated for it): Wait is cut short and ;1
   * runs the new destination from its first priority. False when ;1 is elsewhere (queued, parked) or it is ;2.
   */
  redirect(channel: SimChannel, destination: Destination): boolean {
    if (!this.takeFromEcho(channel)) return false;
    if (destination === 'echo') this.echo();
    else if (destination === 'park') this.parkInLot(PARK.lot);
    else this.startQueue(destination);
    return true;
  }

  /**
   * The Park action on ;1 while it runs dest,echo (parking_manager.c's manager_park_unbridged): into the lot
   * with no Park() Newexten, `parker` as ParkerDialString and the lot's timeout unless `timeoutSeconds`.
   */
  parkByAction(channel: SimChannel, parker: string, timeoutSeconds: number | undefined): boolean {
    if (!this.takeFromEcho(channel)) return false;
    const lot = this.pbx.parking;
    this.parked = lot.park(this.one, parker);
    if (this.parked === undefined) return false;
    this.after((timeoutSeconds ?? lot.config.timeoutSeconds) * 1000, () => this.parkTimeout());
    return true;
  }

  /** Whether `channel` is ;1 waiting in dest,echo, the one place Redirect and Park can take it from. */
  inEcho(channel: SimChannel): boolean {
    return channel === this.one && this.echoEnd !== undefined;
  }

  private takeFromEcho(channel: SimChannel): boolean {
    if (!this.inEcho(channel) || this.echoEnd === undefined) return false;
    this.echoEnd();
    this.echoEnd = undefined;
    return true;
  }

  /**
   * Queue() returned on ;1 because the agent hung up first (a 6XXX customer talks longer than the agents' 5 s;
   * not in the transcripts): the bridge breaks and dest,queue-sales has no next priority, so ;1 hangs up and
   * ;2 follows.
   */
  queueEnded(): void {
    if (this.ended || this.queueCall === undefined) return;
    this.queueCall.customerLeaving();
    this.queueCall.customerGone('agent');
    this.tearDown(this.one, 16);
  }

  /** The Local pair carries ;1's new connected line over to ;2 as its caller id (agents-login-queue). */
  peerConnected(num: string, name: string): void {
    Object.assign(this.two, { callerIdNum: num, callerIdName: name });
    this.callerIdChanged = true;
  }

  /**
   * dest,park (park-then-hangup, answered-to-park): Park(default) on ;1, which stays in the lot until the lot's
   * timeout or until the customer hangs up. The customer's Answer() returns at the first frame of the lot's music
   * on hold, about 20 ms later (207 -> 228 ms, 1209 -> 1231 ms), not after echo's silent half second.
   */
  private park(steps: readonly CustomerStep[]): void {
    if (!this.parkInLot(PARK.lot)) return;
    this.after(20, () => this.runSteps(steps, 0));
  }

  /** Park(<lot>) on ;1; false when every space is taken. */
  private parkInLot(lotName: string): boolean {
    const { one } = this;
    Object.assign(one, { context: PARK.context, exten: PARK.exten, priority: 1 });
    this.newexten(one, 'Park', lotName);
    const lot = this.pbx.parking;
    this.parked = lot.park(one, this.device);
    // Every space taken (not in the transcripts): Park() fails and dest,park has no next priority, so ;1 hangs up.
    if (this.parked === undefined) {
      this.tearDown(one, 16);
      return false;
    }
    this.after(lot.config.timeoutSeconds * 1000, () => this.parkTimeout());
    return true;
  }

  /** The lot's timeout (answered-to-park): the PARK* variables, the lot's events, then parked-timeout,s,1 hangs up both legs. */
  private parkTimeout(): void {
    const { one, two, parked } = this;
    if (parked === undefined) return;
    this.parked = undefined;
    const lot = this.pbx.parking;
    this.varSet(one, 'PARKING_SPACE', String(parked.space));
    this.varSet(one, 'PARKEDLOT', lot.config.name);
    this.varSet(one, 'PARKER', parked.parkerDialString);
    this.varSet(one, 'PARKER_FLAT', parked.parkerDialString.replaceAll('/', '_'));
    this.varSet(one, 'BRIDGE_FEATURES', '');
    lot.timeOut(parked);
    // The Newexten into parked-timeout,s,1 still names the application the channel was in (Park default).
    this.newexten(one, one.application, one.applicationData);
    this.cause('SoftHangupRequest', one, 16);
    this.cause('HangupRequest', two, 16);
    this.cause('SoftHangupRequest', two, 16);
    this.hangupEvent(one, 16);
    this.hangupEvent(two, 16);
    this.finish();
  }

  /** The customer's dialplan after Answer(), one priority per step, ending in Hangup(16). */
  private runSteps(steps: readonly CustomerStep[], index: number): void {
    const { two } = this;
    two.priority += 1;
    const step = steps[index];
    if (step === undefined) {
      this.newexten(two, 'Hangup', '16');
      return this.tearDown(two, 16);
    }
    if (step.app === 'Wait') {
      this.newexten(two, 'Wait', String(step.seconds));
      this.announceCallerId();
      this.after(step.seconds * 1000, () => this.runSteps(steps, index + 1));
      return;
    }
    const body: Fields = [['Uniqueid', two.uniqueid], ...step.body];
    this.newexten(two, 'UserEvent', [step.name, ...body.map(([key, value]) => `${key}: ${value}`)].join(','));
    this.userEvent(two, step.name, body);
    this.runSteps(steps, index + 1);
  }

  /** ;2's NewCallerid for a caller id it already shows: it goes out after the Newexten that ran first (9514 ms). */
  private announceCallerId(): void {
    if (!this.callerIdChanged) return;
    this.callerIdChanged = false;
    this.channelEvent('NewCallerid', this.two, [['CID-CallingPres', '0 (Presentation Allowed, Not Screened)']]);
  }

  /**
   * `from` hangs up first; the other leg is asked to follow, then both go (hangup-and-setvar, echo end). A parked
   * ;1 leaves the lot with ParkedCallGiveUp: after the customer's Hangup when the customer went (park-then-hangup),
   * before its own Hangup when ;1 itself was hung up (a Hangup action: not in the transcripts).
   */
  private tearDown(from: SimChannel, cause: number): void {
    const other = from === this.one ? this.two : this.one;
    const parked = this.parked;
    this.parked = undefined;
    this.cause('SoftHangupRequest', from, cause);
    this.cause('HangupRequest', other, cause);
    // Bridged to a queue agent: ;1 leaves the bridge before it goes (answered-to-queue).
    this.queueCall?.customerLeaving();
    if (parked !== undefined && from === this.one) this.pbx.parking.giveUp(parked);
    this.hangupEvent(from, cause);
    if (parked !== undefined && from === this.two) this.pbx.parking.giveUp(parked);
    this.cause('SoftHangupRequest', other, cause);
    this.hangupEvent(other, cause);
    this.queueCall?.customerGone('caller');
    this.finish();
  }

  /** Ends the call; `settle` sends the two NOT_INUSE device states that close most outcomes. */
  private finish(settle = true): void {
    this.dispose();
    if (!settle) return;
    this.deviceState('NOT_INUSE');
    this.deviceState('NOT_INUSE');
  }

  /** Stops the call's clock without another event (the simulator is closing). */
  dispose(): void {
    this.ended = true;
    this.queueCall?.dispose();
    for (const cancel of this.timers) cancel();
    this.timers.clear();
  }

  private after(ms: number, run: () => void): () => void {
    const cancel = this.pbx.clock.after(ms, () => {
      this.timers.delete(cancel);
      if (!this.ended) run();
    });
    this.timers.add(cancel);
    return cancel;
  }

  private originateFailed(reason: number): void {
    this.originateResponse('Failure', this.request.channel, reason, this.request.channelId ?? '<unknown>');
  }

  private originateResponse(response: string, channel: string, reason: number, uniqueid: string): void {
    const { request } = this;
    const destination = { park: PARK, queue: QUEUE_SALES, helpdesk: QUEUE_HELPDESK, echo: ECHO }[request.destination];
    this.pbx.emit('OriginateResponse', 'call,all', [
      ...request.actionIdFields,
      ['Response', response],
      ['Channel', channel],
      ['Context', destination.context],
      ['Exten', destination.exten],
      ['Reason', String(reason)],
      ['Uniqueid', uniqueid],
      ['CallerIDNum', request.callerId?.num ?? '<unknown>'],
      ['CallerIDName', request.callerId?.name ?? '<unknown>'],
    ]);
  }
}
