import { SimBridge, type BridgeKind } from './bridge.js';
import { channelFields, type SimChannel } from './channels.js';
import { ChannelEvents } from './channelEvents.js';
import type { ChannelHost } from './eventHost.js';
import type { DeviceStates } from './deviceStates.js';
import { isTrue } from '../protocol/responses.js';
import type { Fields } from '../protocol/wire.js';

/** pbx-config/agents.conf: agents 1001 and 1002 from template lab-agent (ackcall = no, wrapuptime = 2000). */
const AGENTS: readonly { id: string; fullName: string }[] = [
  { id: '1001', fullName: 'Alice Agent' },
  { id: '1002', fullName: 'Bob Agent' },
];
const WRAPUP_MS = 2000;
/** app_agent_pool's LOGIN_WAIT_TIMEOUT_TIME: a new login is on probation (device UNAVAILABLE) this many seconds. */
const PROBATION_SECONDS = 5;
/** The holding bridge's interval hook checks probation, wrap-up and deferred logoff once a second. */
const HEARTBEAT_MS = 1000;

const AGENT_HOLD: BridgeKind = { type: 'agent_hold', technology: 'holding_bridge', creator: 'AgentPool', name: '<unknown>' };

/** What a logged-in agent's login channel belongs to: told to hang up when the agent is logged off. */
export interface AgentSessionOwner {
  /** The agent left the pool (AgentLogoff): the login channel hangs up as AgentLogin returns. */
  loggedOff(): void;
}

/** The call an agent is on, told when the agent is logged off in the middle of it. */
export interface AgentCallOwner {
  /** A hard AgentLogoff: the agent's side of the call goes, and the whole call with it. */
  agentLoggedOff(): void;
}

/** A logged-in agent: its login channel (the `;2` running AgentLogin) and what it is doing. */
type Session = {
  readonly channel: SimChannel;
  readonly owner: AgentSessionOwner;
  /** The call AgentRequest put it on, while it is on one. */
  call: AgentCallOwner | undefined;
  /** An offered call waiting for the agent's accept digit (AGENTACKCALL): what takes it. */
  acknowledge: (() => void) | undefined;
  readonly loginAt: number;
  state: 'probation' | 'ready' | 'onCall' | 'wrapup';
  deferredLogoff: boolean;
  lastDisconnect: number;
  callStarted: number;
  stopHeartbeat: () => void;
};

type Agent = { readonly id: string; readonly fullName: string; session: Session | undefined };

export type LogoffResult = 'ok' | 'nosuchagent';

/**
 * app_agent_pool as agents-login-queue shows it: agents log in with AgentLogin and wait in one shared holding
 * bridge; their device `Agent:<id>` is UNAVAILABLE until probation ends, INUSE from AgentRequest until wrap-up
 * ends, NOT_INUSE when ready; AgentRequest borrows the login channel for a call.
 */
export class AgentPool {
  private readonly agents: Agent[] = AGENTS.map((agent) => ({ ...agent, session: undefined }));
  private readonly events: ChannelEvents;
  /** Made by the first AgentLogin; it outlives every agent in it, as Asterisk's global agent_holding bridge does. */
  private holding: SimBridge | undefined;

  constructor(
    private readonly pbx: ChannelHost,
    private readonly devices: DeviceStates,
  ) {
    this.events = new ChannelEvents(pbx);
    // What app_agent_pool publishes at load (device-states' first DeviceStateList).
    for (const agent of this.agents) devices.seed(device(agent), 'UNAVAILABLE');
  }

  has(id: string): boolean {
    return this.find(id) !== undefined;
  }

  /** Whether the agent has a session: a second AgentLogin for it is refused (AGENT_STATUS=ALREADY_LOGGED_IN). */
  isLoggedIn(id: string): boolean {
    return this.find(id)?.session !== undefined;
  }

  /** AgentLogin starting on `channel`: the holding bridge is made now if it does not exist yet. */
  prepareLogin(): void {
    this.holding ??= new SimBridge(this.pbx, AGENT_HOLD);
  }

  /** AgentLogin, once its answer returned: AgentLogin, then the channel enters the holding bridge on probation. */
  login(id: string, channel: SimChannel, owner: AgentSessionOwner): void {
    const agent = this.find(id);
    if (agent === undefined || agent.session !== undefined) return;
    const now = this.pbx.clock.now();
    const session: Session = { channel, owner, call: undefined, acknowledge: undefined, loginAt: now, state: 'probation', deferredLogoff: false, lastDisconnect: 0, callStarted: 0, stopHeartbeat: () => undefined };
    agent.session = session;
    this.pbx.emit('AgentLogin', 'agent,all', [...channelFields(channel), ['Agent', id]]);
    this.hold(agent, session);
  }

  /** AgentLogoff: hard hangs the login channel up at once, soft (`Soft: true`) at the next heartbeat. */
  logoff(id: string, soft: boolean): LogoffResult {
    const agent = this.find(id);
    if (agent === undefined) return 'nosuchagent';
    const session = agent.session;
    if (session === undefined) return 'ok';
    if (soft) {
      session.deferredLogoff = true;
      return 'ok';
    }
    // AST_SOFTHANGUP_EXPLICIT (32) on the login channel, which then leaves the bridge and AgentLogin returns.
    this.events.cause('SoftHangupRequest', session.channel, 32);
    // On a call, the call goes with it (agent-logoff-mid-call): the call ends the session as it tears down.
    if (session.call !== undefined) session.call.agentLoggedOff();
    else this.leavePool(agent, session);
    return 'ok';
  }

  /** The call an agent was logged off in the middle of is torn down to its login channel: the agent leaves the pool. */
  loggedOffOnCall(id: string): void {
    const agent = this.find(id);
    if (agent?.session !== undefined) this.leavePool(agent, agent.session);
  }

  /** The login channel hung up (a Hangup action, the originate's Wait ending): the agent is logged off. */
  loginChannelGone(channel: SimChannel): void {
    const agent = this.agents.find((candidate) => candidate.session?.channel === channel);
    if (agent?.session !== undefined) this.leavePool(agent, agent.session, false);
  }

  /** AgentRequest for `call`: the ready agent's login channel, now on the call (device INUSE); undefined when not ready. */
  request(id: string, call: AgentCallOwner): SimChannel | undefined {
    const agent = this.find(id);
    const session = agent?.session;
    if (agent === undefined || session === undefined || session.state !== 'ready') return undefined;
    session.state = 'onCall';
    session.call = call;
    session.stopHeartbeat();
    this.devices.change(device(agent), 'INUSE');
    return session.channel;
  }

  /**
   * For an agent who acknowledges calls (AGENTACKCALL=yes on its login channel, as the login Originate's Variable sets
   * it): `take` runs when it presses the accept digit (AGENTACCEPTDTMF, `#` unless set). False for one who does not:
   * it takes the call at once.
   */
  awaitAcknowledgement(id: string, take: () => void): boolean {
    const session = this.find(id)?.session;
    if (session === undefined || !isTrue(session.channel.variables.get('AGENTACKCALL') ?? '')) return false;
    session.acknowledge = take;
    return true;
  }

  /** An offer the agent never acknowledged ended (the member rang out): the agent is ready for the next call. */
  offerWithdrawn(id: string): void {
    const agent = this.find(id);
    const session = agent?.session;
    if (agent === undefined || session === undefined) return;
    session.state = 'ready';
    session.call = undefined;
    session.acknowledge = undefined;
    this.devices.change(device(agent), 'NOT_INUSE');
  }

  /** A digit the login channel received (PlayDTMF): the accept digit takes the call it is being offered. */
  digitReceived(channel: SimChannel, digit: string): void {
    const session = this.agents.find((agent) => agent.session?.channel === channel)?.session;
    const accept = session?.channel.variables.get('AGENTACCEPTDTMF') || '#';
    if (session?.acknowledge === undefined || digit !== accept) return;
    const take = session.acknowledge;
    session.acknowledge = undefined;
    take();
  }

  /** AgentRequest takes the login channel out of the holding bridge (into its own). */
  leaveHolding(channel: SimChannel): void {
    this.holding?.leave(channel);
  }

  /** The caller is connected to the agent (AgentConnect): the Agents list's CallStarted. */
  callConnected(id: string): void {
    const session = this.find(id)?.session;
    if (session !== undefined) session.callStarted = this.pbx.clock.now();
  }

  /** The AgentRequest call ended: the login channel's connected line resets and it goes back to the holding bridge in wrap-up. */
  callEnded(id: string): void {
    const agent = this.find(id);
    const session = agent?.session;
    if (agent === undefined || session === undefined) return;
    session.state = 'wrapup';
    session.call = undefined;
    session.acknowledge = undefined;
    session.lastDisconnect = this.pbx.clock.now();
    const { channel } = session;
    this.events.connectedLine(channel, channel.callerIdNum, channel.callerIdName);
    this.hold(agent, session);
  }

  /**
   * Agents items as action_agents writes them, ActionID last. An agent on a call has a CallStarted line that
   * ends in a bare LF (app_agent_pool's "CallStarted: %ld\n"), so LoggedInTime rides on the same CRLF line.
   */
  listItems(idFields: Fields): Fields[] {
    return this.agents.map((agent) => {
      const head: Fields = [['Event', 'Agents'], ['Agent', agent.id], ['Name', agent.fullName]];
      const session = agent.session;
      if (session === undefined) return [...head, ['Status', 'AGENT_LOGGEDOFF'], ...idFields];
      const loggedIn = String(seconds(session.loginAt));
      const peer = session.channel.variables.get('BRIDGEPEER') ?? '';
      const status: Fields =
        peer === ''
          ? [['Status', 'AGENT_IDLE'], ['LoggedInTime', loggedIn]]
          : [['Status', 'AGENT_ONCALL'], ['TalkingToChan', peer], ['CallStarted', `${seconds(session.callStarted)}\nLoggedInTime: ${loggedIn}`]];
      return [...head, ...status, ...channelFields(session.channel), ...idFields];
    });
  }

  /** Stops every heartbeat (the simulator is closing). */
  dispose(): void {
    for (const agent of this.agents) agent.session?.stopHeartbeat();
  }

  private find(id: string): Agent | undefined {
    return this.agents.find((agent) => agent.id === id);
  }

  private hold(agent: Agent, session: Session): void {
    this.prepareLogin();
    this.holding?.enter(session.channel);
    session.stopHeartbeat = this.every(HEARTBEAT_MS, () => this.heartbeat(agent, session));
  }

  /** bridge_agent_hold_heartbeat: a deferred logoff, the end of probation, the end of wrap-up. */
  private heartbeat(agent: Agent, session: Session): void {
    const now = this.pbx.clock.now();
    if (session.deferredLogoff) return this.leavePool(agent, session);
    const ready =
      (session.state === 'probation' && seconds(now) - seconds(session.loginAt) >= PROBATION_SECONDS) ||
      (session.state === 'wrapup' && now - session.lastDisconnect > WRAPUP_MS);
    if (!ready) return;
    session.state = 'ready';
    this.devices.change(device(agent), 'NOT_INUSE');
  }

  /**
   * The agent leaves: out of the holding bridge, AgentLogoff with the seconds logged in, the device UNAVAILABLE,
   * and (unless the channel is already going) the login channel hangs up.
   */
  private leavePool(agent: Agent, session: Session, hangUp = true): void {
    session.stopHeartbeat();
    agent.session = undefined;
    this.holding?.leave(session.channel);
    const loggedIn = seconds(this.pbx.clock.now()) - seconds(session.loginAt);
    this.pbx.emit('AgentLogoff', 'agent,all', [...channelFields(session.channel), ['Agent', agent.id], ['Logintime', String(loggedIn)]]);
    if (hangUp) session.owner.loggedOff();
    this.devices.change(device(agent), 'UNAVAILABLE');
  }

  /**
   * Runs `run` every `ms` until the returned function is called (even from inside `run`). Each trip is due one
   * interval after the last was due, not after it ran, as bridge_channel.c reschedules interval hooks; so late
   * timers never add up, and two agents' heartbeats keep their order.
   */
  private every(ms: number, run: () => void): () => void {
    const { clock } = this.pbx;
    let cancel = (): void => undefined;
    let due = clock.now() + ms;
    const schedule = (): void => {
      cancel = clock.after(due - clock.now(), () => {
        due += ms;
        schedule();
        run();
      });
    };
    schedule();
    return () => cancel();
  }
}

function device(agent: Agent): string {
  return `Agent:${agent.id}`;
}

/** Whole epoch seconds: app_agent_pool keeps login and call times as time_t. */
function seconds(epochMs: number): number {
  return Math.floor(epochMs / 1000);
}
