import type { AgentSessionOwner } from '../model/agents.js';
import { ChannelState, newChannel, type SimChannel } from '../model/channels.js';
import { LegEvents, type LocalDial } from './legEvents.js';
import type { HangupTarget, Pbx } from '../model/pbx.js';
import type { Fields } from '../protocol/wire.js';

/** `Originate Local/<agent>@agent-login/n` with `Application: Wait`, as agents-login-queue logs its agents in. */
export type AgentLoginOriginate = LocalDial & {
  /** The Channel field as sent. */
  channel: string;
  /** Wait's seconds: the ;1 leg runs Wait(Data), then hangs up, ending the login. */
  waitSeconds: number;
  actionIdFields: Fields;
};

/** AgentLogin's answer waits up to 500 ms for media, which a Local channel never sends (813 -> 1314 ms). */
const ANSWER_MS = 500;

/**
 * The agent's session: ;1 runs the originate's Wait while ;2 runs `AgentLogin(<agent>,s)` in context
 * agent-login and stays in app_agent_pool's holding bridge until the agent is logged off.
 */
export class AgentLoginCall extends LegEvents implements HangupTarget, AgentSessionOwner {
  private readonly one: SimChannel;
  private readonly two: SimChannel;
  private readonly timers = new Set<() => void>();
  private ended = false;

  constructor(
    pbx: Pbx,
    private readonly request: AgentLoginOriginate,
  ) {
    super(pbx, `Local/${request.number}@${request.context}`);
    const { registry, clock } = pbx;
    const base = `Local/${request.number}@${request.context}-${registry.nextLocalSuffix()}`;
    const uniqueOne = registry.nextUniqueid();
    const at = { context: request.context, exten: request.number, createdAt: clock.now() };
    this.one = newChannel(`${base};1`, uniqueOne, uniqueOne, { ...at, state: ChannelState.Down });
    this.two = newChannel(`${base};2`, registry.nextUniqueid(), uniqueOne, { ...at, state: ChannelState.Ring });
  }

  protected get dialled(): SimChannel {
    return this.one;
  }

  /** The order of agents-login-queue's first login: AgentLogin starts, both legs answer, the originate succeeds. */
  start(): void {
    const { one, two, request, pbx } = this;
    pbx.addChannel(one, this);
    pbx.addChannel(two, this);
    this.openPair(one, two, request, true);
    this.newexten(two, 'AgentLogin', `${request.number},s`);
    const agents = pbx.agents;
    // An agent agents.conf lacks: AgentLogin refuses it and returns -1 before answering (not in the transcripts).
    if (!agents.has(request.number)) return this.refused();
    agents.prepareLogin();
    this.setState(two, ChannelState.Up);
    this.deviceState('INUSE');
    this.setState(one, ChannelState.Up);
    this.deviceState('INUSE');
    Object.assign(one, { application: 'Wait', applicationData: String(request.waitSeconds) });
    this.originateResponse('Success', one.name, 4, one.uniqueid);
    this.dial('DialEnd', [['DialStatus', 'ANSWER']]);
    this.after(ANSWER_MS, () => (agents.isLoggedIn(request.number) ? this.alreadyLoggedIn() : agents.login(request.number, two, this)));
    this.after(request.waitSeconds * 1000, () => this.tearDown(one, 16));
  }

  /** A Hangup action on either leg: the agent, if logged in, is logged off as its channel goes. */
  hangup(channel: SimChannel, cause: number): void {
    if (this.ended) return;
    this.tearDown(channel === this.one ? this.one : this.two, cause);
  }

  /**
   * AgentLogoff (agents-login-queue): AgentLogin returns, ;2 hangs up and ;1 follows. Logged off in the middle of a
   * call (agent-logoff-mid-call), ;2 still shows the caller as its connected line, and the Local pair hands it to ;1
   * as its caller id as it goes: ;1's Hangup carries it, and a NewCallerid follows.
   */
  loggedOff(): void {
    if (this.ended) return;
    const { one, two } = this;
    this.cause('SoftHangupRequest', two, 16);
    this.cause('HangupRequest', one, 16);
    this.hangupEvent(two, 16);
    const handed = two.connectedNum !== one.callerIdNum || two.connectedName !== one.callerIdName;
    if (handed) Object.assign(one, { callerIdNum: two.connectedNum, callerIdName: two.connectedName });
    this.hangupEvent(one, 16);
    if (handed) this.callerId(one, one.callerIdNum, one.callerIdName);
    this.finish();
  }

  dispose(): void {
    this.ended = true;
    for (const cancel of this.timers) cancel();
    this.timers.clear();
  }

  /**
   * A second login of an agent already logged in (agent-double-login): AgentLogin sets AGENT_STATUS and returns, the
   * dialplan's next priority hangs ;2 up and ;1 follows; the agent's first session stays as it was.
   */
  private alreadyLoggedIn(): void {
    const { one, two } = this;
    this.varSet(two, 'AGENT_STATUS', 'ALREADY_LOGGED_IN');
    two.priority = 2;
    this.newexten(two, 'Hangup', '');
    this.cause('SoftHangupRequest', two, 16);
    this.cause('HangupRequest', one, 16);
    this.hangupEvent(two, 16);
    this.hangupEvent(one, 16);
    this.finish();
  }

  private refused(): void {
    const { one, two } = this;
    this.cause('SoftHangupRequest', two, 16);
    this.cause('HangupRequest', one, 16);
    this.hangupEvent(two, 16);
    this.dial('DialEnd', [['DialStatus', 'NOANSWER']]);
    this.originateResponse('Failure', this.request.channel, 1, '<unknown>');
    this.hangupEvent(one, 16);
    this.finish();
  }

  /** `from` hangs up first, the other leg follows; a logged-in agent is logged off on the way. */
  private tearDown(from: SimChannel, cause: number): void {
    const other = from === this.one ? this.two : this.one;
    this.cause('SoftHangupRequest', from, cause);
    this.cause('HangupRequest', other, cause);
    this.pbx.agents.loginChannelGone(this.two);
    this.hangupEvent(from, cause);
    this.cause('SoftHangupRequest', other, cause);
    this.hangupEvent(other, cause);
    this.finish();
  }

  /** Its device is free again, unless another login of the same agent context and number still holds it. */
  private finish(): void {
    this.dispose();
    const state = this.pbx.registry.list().some((channel) => channel.name.startsWith(`${this.device}-`)) ? 'INUSE' : 'NOT_INUSE';
    this.deviceState(state);
    this.deviceState(state);
  }

  private after(ms: number, run: () => void): void {
    const cancel = this.pbx.clock.after(ms, () => {
      this.timers.delete(cancel);
      if (!this.ended) run();
    });
    this.timers.add(cancel);
  }

  /** An application originate's OriginateResponse names Application and Data where a dialplan one has Context and Exten. */
  private originateResponse(response: string, channel: string, reason: number, uniqueid: string): void {
    const { request } = this;
    this.pbx.emit('OriginateResponse', 'call,all', [
      ...request.actionIdFields,
      ['Response', response],
      ['Channel', channel],
      ['Application', 'Wait'],
      ['Data', String(request.waitSeconds)],
      ['Reason', String(reason)],
      ['Uniqueid', uniqueid],
      ['CallerIDNum', request.callerId?.num ?? '<unknown>'],
      ['CallerIDName', request.callerId?.name ?? '<unknown>'],
    ]);
  }
}
