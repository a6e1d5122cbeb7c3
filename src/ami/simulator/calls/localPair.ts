import { SWITCHBOARD_ANSWER, type AnswerContextCall } from './answerContext.js';
import { ChannelState, newChannel, type SimChannel } from '../model/channels.js';
import type { DialplanPlace } from '../model/channelEvents.js';
import { ECHO, PARK, QUEUE_HELPDESK, QUEUE_SALES, assertInDialplan, type CustomerBehaviour, type CustomerStep, type Destination } from '../model/customers.js';
import { LegEvents } from './legEvents.js';
import type { OriginateApplication } from './originateApplication.js';
import type { Pbx } from '../model/pbx.js';
import type { Fields } from '../protocol/wire.js';

/**
 * An Originate of `Local/<number>@<context>` into `dest,echo`, `dest,park`, `dest,queue-sales` or
 * `dest-agents,queue-helpdesk`, or running `Application: Queue` or `Park` on ;1, or into `switchboard-answer,s,1`
 * on its way to one of those, as the action asked for it.
 */
export type LocalOriginate = {
  /** The Channel field as sent (OriginateResponse repeats it on failure). */
  channel: string;
  number: string;
  context: string;
  optimize: boolean;
  /** `undefined` for a context the dialplan lacks. */
  behaviour: CustomerBehaviour | undefined;
  /** Where the ;1 leg goes once the customer answers. */
  destination: Destination;
  /** Set when ;1 runs this application itself (Application and Data) rather than the dialplan at Context and Exten. */
  application: OriginateApplication | undefined;
  /** Set for an Originate into switchboard-answer: what its SB_* variables ask for before the destination. */
  answerContext: AnswerContextCall | undefined;
  timeoutMs: number;
  callerId: { name: string; num: string } | undefined;
  variables: readonly (readonly [string, string])[];
  channelId: string | undefined;
  otherChannelId: string | undefined;
  actionIdFields: Fields;
};

/**
 * One originated Local channel pair, from its Newchannels to the customer's answer or the dial's failure, and the
 * events Asterisk 22 sends along it. The orders below are the transcripts' (busy, congestion, no-answer,
 * unallocated, originate-with-channelid, originate-invalid-context); what differs between outcomes is also where
 * the real cause appears: on `;2`, while `;1` often says Cause 0. What the answered pair does is the subclass's.
 */
export abstract class LocalPair extends LegEvents {
  protected readonly one: SimChannel;
  protected readonly two: SimChannel;
  private readonly timers = new Set<() => void>();
  protected answered = false;
  protected ended = false;

  constructor(
    pbx: Pbx,
    protected readonly request: LocalOriginate,
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

  /** The customer answers (Answer() on ;2, priority 1 or 3) and `steps` are its dialplan after that. */
  protected abstract answer(steps: readonly CustomerStep[]): void;

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

  private setUp(): void {
    const { one, two, request } = this;
    this.pbx.addChannel(one, this);
    this.pbx.addChannel(two, this);
    this.openPair(one, two, request, request.behaviour !== undefined);
  }

  /** A Hangup action on either leg. */
  abstract hangup(channel: SimChannel, cause: number): void;

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

  /** Ends the call; `settle` sends the two NOT_INUSE device states that close most outcomes. */
  protected finish(settle = true): void {
    this.dispose();
    if (!settle) return;
    this.deviceState('NOT_INUSE');
    this.deviceState('NOT_INUSE');
  }

  /** Stops the call's clock without another event (the simulator is closing). */
  dispose(): void {
    this.ended = true;
    for (const cancel of this.timers) cancel();
    this.timers.clear();
  }

  /** Runs `run` after `ms` of simulated time unless the call has ended; returns the cancel function. */
  protected after(ms: number, run: () => void): () => void {
    const cancel = this.pbx.clock.after(ms, () => {
      this.timers.delete(cancel);
      if (!this.ended) run();
    });
    this.timers.add(cancel);
    return cancel;
  }

  protected originateFailed(reason: number): void {
    this.originateResponse('Failure', this.request.channel, reason, this.request.channelId ?? '<unknown>');
  }

  /** An application originate's OriginateResponse names Application and Data where a dialplan one has Context and Exten (fast_originate). */
  protected originateResponse(response: string, channel: string, reason: number, uniqueid: string): void {
    const { request } = this;
    this.pbx.emit('OriginateResponse', 'call,all', [
      ...request.actionIdFields,
      ['Response', response],
      ['Channel', channel],
      ...originateTarget(request),
      ['Reason', String(reason)],
      ['Uniqueid', uniqueid],
      ['CallerIDNum', request.callerId?.num ?? '<unknown>'],
      ['CallerIDName', request.callerId?.name ?? '<unknown>'],
    ]);
  }
}

/** What an OriginateResponse says the call was sent to: Application and Data, or Context and Exten. */
function originateTarget(request: LocalOriginate): [string, string][] {
  const { application } = request;
  if (application !== undefined) return [['Application', application.name], ['Data', application.data]];
  const place = dialplanPlace(request);
  return [['Context', place.context], ['Exten', place.exten]];
}

/** Where an Originate with no application sent ;1: switchboard-answer, or the destination's own extension (a phone has none). */
function dialplanPlace(request: LocalOriginate): DialplanPlace {
  if (request.answerContext !== undefined) return SWITCHBOARD_ANSWER;
  assertInDialplan(request.destination);
  return DIALPLAN_PLACES[request.destination];
}

const DIALPLAN_PLACES: Readonly<Record<Exclude<Destination, 'phone'>, DialplanPlace>> = { park: PARK, queue: QUEUE_SALES, helpdesk: QUEUE_HELPDESK, echo: ECHO };
