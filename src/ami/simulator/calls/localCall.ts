import { execReturned, runAnswerContext } from './answerContext.js';
import { ChannelState, type SimChannel } from '../model/channels.js';
import type { ApplicationStart, DialplanPlace } from '../model/channelEvents.js';
import { AgentQueueCall, type AgentQueueOwner } from './agentQueueCall.js';
import { DIALPLAN_STARTS, ECHO, assertInDialplan, type CustomerStep, type Destination } from '../model/customers.js';
import { LocalPair } from './localPair.js';
import type { HangupTarget } from '../model/pbx.js';
import type { ParkedCall } from '../model/parking.js';
import { PhoneDial, type PhoneDialOwner } from './phoneDial.js';
import { QueueCall } from './queueCall.js';
import type { Fields } from '../protocol/wire.js';

/**
 * An originated customer once it answers: the customer's dialplan on ;2, and on ;1 the destination, run by the
 * dialplan (dest,echo, dest,park, dest,queue-sales, dest-agents,queue-helpdesk) or, for an application
 * Originate, by pbx_outgoing_exec itself (Park, Queue, Dial to a phone): then ;1 keeps the customer's context and exten, starts
 * the application with no Newexten, and is hung up without a dialplan's end (no SoftHangupRequest). An Originate
 * into switchboard-answer first runs that context on ;1 (answerContext.ts), which then delivers it the same way.
 */
export class LocalCall extends LocalPair implements HangupTarget, AgentQueueOwner, PhoneDialOwner {
  /** Set while the ;1 leg sits in the parking lot (Park). */
  private parked: ParkedCall | undefined;
  /** Set once the ;1 leg runs Queue(sales) or Queue(helpdesk). */
  private queueCall: QueueCall | AgentQueueCall | undefined;
  /** Set once the ;1 leg runs Dial() to a phone. */
  private phoneDial: PhoneDial | undefined;
  /** Set when ;2 took ;1's connected line as its caller id, for NewCallerid after its next Newexten. */
  private callerIdChanged = false;
  /** Cancels dest,echo's Hangup while ;1 waits in it (what Redirect and Park may interrupt). */
  private echoEnd: (() => void) | undefined;

  /** A Hangup action on either leg: the named leg is soft-hung-up, the other follows (hangup-and-setvar). */
  hangup(channel: SimChannel, cause: number): void {
    if (this.ended) return;
    // An agent leg hung up by a Hangup action ends the queue call as the agent's own Hangup() would.
    if (this.queueCall?.owns(channel)) return this.queueEnded();
    if (this.phoneDial?.owns(channel)) return this.phoneDial.hangUpPhone(cause);
    if (!this.answered) this.originateFailed(1);
    this.tearDown(channel === this.one ? this.one : this.two, cause);
  }

  protected answer(steps: readonly CustomerStep[]): void {
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
    const { destination, answerContext } = this.request;
    if (answerContext !== undefined) {
      // ;1 runs AMD or records before the destination; the customer's Answer() returns as for dest,echo.
      this.after(500, () => this.runSteps(steps, 0));
      return runAnswerContext(this, one, this.request.number, answerContext, {
        after: (ms, run) => void this.after(ms, run),
        deliver: (to, start) => this.deliver(to, start),
        hangUp: () => this.tearDown(one, 16),
      });
    }
    if (destination === 'park') return this.park(steps);
    if (destination === 'queue' || destination === 'helpdesk') return this.enterQueue(destination, steps);
    if (destination === 'phone') return this.enterDial(steps);
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

  /** Queue(sales) or Queue(helpdesk) on ;1 while the customer's Answer() returns after half a second. */
  private enterQueue(kind: 'queue' | 'helpdesk', steps: readonly CustomerStep[]): void {
    this.startQueue(kind, this.applicationStart(kind));
    this.after(500, () => this.runSteps(steps, 0));
  }

  private startQueue(kind: 'queue' | 'helpdesk', start: ApplicationStart): void {
    this.queueCall = kind === 'helpdesk' ? new AgentQueueCall(this.pbx, this.one, this, start) : new QueueCall(this.pbx, this.one, this, start);
    this.queueCall.start();
  }

  /** Dial() to a phone on ;1 while the customer's Answer() returns after half a second, as for a queue. */
  private enterDial(steps: readonly CustomerStep[]): void {
    this.dialPhone(this.applicationStart('phone'));
    this.after(500, () => this.runSteps(steps, 0));
  }

  private dialPhone(start: ApplicationStart): void {
    this.phoneDial = new PhoneDial(this.pbx, this.one, this, start);
    this.phoneDial.dial();
  }

  /** Dial() returned on ;1 because the phone hung up: as after Queue(), ;1 has nowhere to go and hangs up, ;2 following. */
  dialReturned(): void {
    if (this.ended) return;
    execReturned(this, this.one);
    this.tearDown(this.one, 16);
  }

  /** How ;1 starts the destination after answer: at the dialplan's place, or run as the application Originate gave it. */
  private applicationStart(destination: Exclude<Destination, 'echo'>): ApplicationStart {
    const { application } = this.request;
    return application === undefined ? dialplanStart(destination) : { data: application.data, at: undefined };
  }

  /**
   * Redirect of ;1 while it runs dest,echo's Wait, or while Park() holds it in the lot: Wait is cut short, or
   * the call leaves the lot as a parked call that hangs up does (res_parking's bridge_parking_pull: the space
   * free, ParkedCallGiveUp, BridgeLeave), and ;1 runs the new destination from its first priority. False
   * when ;1 is elsewhere (queued) or it is ;2.
   *
   * ;1 parked by an application Originate has no dialplan to go on in: ast_async_goto only sets its new place
   * (a bridged channel is not yanked), Park() returns, and pbx_outgoing_exec hangs it up. So the Redirect
   * succeeds and the call ends, there as on a real Asterisk.
   */
  redirect(channel: SimChannel, destination: Destination, at: DialplanPlace): boolean {
    if (this.parkedByApplication(channel)) {
      Object.assign(this.one, { context: at.context, exten: at.exten, priority: 1 });
      this.tearDown(this.one, 16);
      return true;
    }
    if (!this.takeFromEcho(channel) && !this.takeFromLot(channel)) return false;
    this.deliver(destination, undefined);
    return true;
  }

  /** Whether Redirect can take `channel`: ;1 in dest,echo's Wait, or parked. */
  redirectable(channel: SimChannel): boolean {
    return this.inEcho(channel) || this.parkedByDialplan(channel) || this.parkedByApplication(channel);
  }

  /** ;1 held by Park() that the dialplan ran (dest,park, or switchboard-answer's Exec), which goes on where an async goto sends it once Park() returns. */
  private parkedByDialplan(channel: SimChannel): boolean {
    return channel === this.one && this.parked !== undefined && this.request.application === undefined;
  }

  /** ;1 held by Park() that an application Originate ran: once Park() returns, it is hung up. */
  private parkedByApplication(channel: SimChannel): boolean {
    return channel === this.one && this.parked !== undefined && this.request.application !== undefined;
  }

  private takeFromLot(channel: SimChannel): boolean {
    const { parked } = this;
    if (!this.parkedByDialplan(channel) || parked === undefined) return false;
    // Its timeout, still pending, finds nothing parked and does nothing.
    this.parked = undefined;
    this.pbx.parking.giveUp(parked);
    return true;
  }

  /** ;1 goes to `destination`'s priority 1 (no `start`), or runs its application as `start` says. */
  private deliver(destination: Destination, start: ApplicationStart | undefined): void {
    if (destination === 'echo') return this.echo();
    const begin = start ?? dialplanStart(destination);
    if (destination === 'park') this.parkInLot(begin);
    else if (destination === 'phone') this.dialPhone(begin);
    else this.startQueue(destination, begin);
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
    execReturned(this, this.one);
    this.tearDown(this.one, 16);
  }

  /** The Local pair carries ;1's new connected line over to ;2 as its caller id (agents-login-queue). */
  peerConnected(num: string, name: string): void {
    Object.assign(this.two, { callerIdNum: num, callerIdName: name });
    this.callerIdChanged = true;
  }

  /**
   * Park(default) on ;1 (park-then-hangup, answered-to-park), which stays in the lot until the lot's timeout or
   * until the customer hangs up. The customer's Answer() returns at the first frame of the lot's music on hold,
   * about 20 ms later (207 -> 228 ms, 1209 -> 1231 ms), not after echo's silent half second.
   */
  private park(steps: readonly CustomerStep[]): void {
    if (!this.parkInLot(this.applicationStart('park'))) return;
    this.after(20, () => this.runSteps(steps, 0));
  }

  /** Park() into the lot `default` on ;1; false when every space is taken. */
  private parkInLot(start: ApplicationStart): boolean {
    const { one } = this;
    this.startApplication(one, 'Park', start);
    const lot = this.pbx.parking;
    this.parked = lot.park(one, this.device);
    // Every space taken (not in the transcripts): Park() fails and returns, dest,park has no next priority (and an
    // application Originate never has one), so ;1 hangs up.
    if (this.parked === undefined) {
      execReturned(this, one);
      this.tearDown(one, 16);
      return false;
    }
    this.after(lot.config.timeoutSeconds * 1000, () => this.parkTimeout());
    return true;
  }

  /**
   * The lot's timeout (answered-to-park): the PARK* variables, the lot's events, then parked-timeout,s,1 hangs up
   * both legs. Park() sent ;1 there by an async goto, so an application Originate's ;1 shows that place too, but
   * pbx_outgoing_exec hangs it up as Park() returns instead of running it.
   */
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
    this.dialplanEnds(one);
    this.cause('HangupRequest', two, 16);
    this.dialplanEnds(two);
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
      // Connected after ;2's last Wait began (an agent who acknowledged late): the caller id goes out now.
      this.announceCallerId();
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
    // A caller still waiting in a queue gives up as Queue() returns, before its dialplan ends.
    if (from === this.one) this.queueCall?.callerGaveUp();
    this.dialplanEnds(from);
    this.cause('HangupRequest', other, cause);
    // Bridged to a queue agent: ;1 leaves the bridge before it goes (answered-to-queue); so it does a phone's.
    this.queueCall?.customerLeaving();
    this.phoneDial?.callerLeaving();
    if (parked !== undefined && from === this.one) this.pbx.parking.giveUp(parked);
    // Queue() reports the call complete just before ;1's Hangup (answered-to-queue 133-134).
    if (from === this.one) this.queueCall?.customerGone('caller');
    this.hangupEvent(from, cause);
    if (parked !== undefined && from === this.two) this.pbx.parking.giveUp(parked);
    if (other === this.one) this.queueCall?.callerGaveUp();
    this.dialplanEnds(other);
    if (other === this.one) this.queueCall?.customerGone('caller');
    this.hangupEvent(other, cause);
    this.finish();
  }

  /**
   * The SoftHangupRequest a leg's dialplan sends as it ends, whatever the hangup cause: __ast_pbx_run's
   * ast_softhangup(AST_SOFTHANGUP_APPUNLOAD), whose flag, 16, is the Cause. ;1 running an application Originate's
   * application has no dialplan: pbx_outgoing_exec calls ast_hangup as the application returns, and nothing is sent.
   */
  private dialplanEnds(channel: SimChannel): void {
    if (channel === this.one && this.request.application !== undefined) return;
    this.cause('SoftHangupRequest', channel, 16);
  }

  /** Stops the call's clock and the queue call's without another event (the simulator is closing). */
  override dispose(): void {
    super.dispose();
    this.queueCall?.dispose();
    this.phoneDial?.dispose();
  }
}

/** Where the dialplan starts a destination at its priority 1; a phone has no such place, only an application dials one. */
function dialplanStart(destination: Exclude<Destination, 'echo'>): ApplicationStart {
  assertInDialplan(destination);
  return DIALPLAN_STARTS[destination];
}
