import { BASIC_BRIDGE, SimBridge } from '../model/bridge.js';
import { ChannelState, channelFields, type SimChannel } from '../model/channels.js';
import { ChannelEvents, type ApplicationStart } from '../model/channelEvents.js';
import { QUEUE_HELPDESK } from '../model/customers.js';
import type { HangupTarget, Pbx } from '../model/pbx.js';
import { dialMember, memberKeys, type MemberLeg } from './queueDial.js';
import { isFree, type QueueCaller, type SimQueue } from '../model/queues.js';
import type { AgentCallOwner } from '../model/agents.js';

/** The customer's LocalCall, as the queue call needs it. */
export interface AgentQueueOwner extends HangupTarget {
  /** Queue() returned because the agent's side went: the customer hangs up. */
  queueEnded(): void;
  /** The customer's ;1 is connected to `num`/`name`; its ;2 takes that caller id (agents-login-queue 9514 ms). */
  peerConnected(num: string, name: string): void;
}

/** The agent on the other end: the member's Local legs, AgentRequest's bridge and the borrowed login channel. */
type AgentCall = { leg: MemberLeg; agentId: string; login: SimChannel; requestBridge: SimBridge; queueBridge: SimBridge | undefined; connectedAt: number; held: number };

/** AgentRequest answers after its own half-second answer wait; then it sets BRIDGEPEER again and clears AGENT_STATUS. */
const ANSWER_MS = 500;

/**
 * Queue(helpdesk) on the customer's ;1 leg, from `dest-agents,queue-helpdesk` (Queue(helpdesk,,,,60)) or run by
 * an application Originate, as agents-login-queue shows it.
 * The queue is linear: the first free member is dialled; its Local leg runs AgentRequest(<agent>), which takes
 * the agent's login channel out of the holding bridge into a bridge with the ;2 leg (ackcall = no, so at once),
 * and Queue() bridges the customer with the ;1 leg. Members freed while the caller waits are not rung (not
 * simulated: the helpdesk retry).
 */
export class AgentQueueCall implements AgentCallOwner {
  private readonly events: ChannelEvents;
  private caller: QueueCaller | undefined;
  private call: AgentCall | undefined;
  private cancelAnswer: (() => void) | undefined;
  /** Ends an unacknowledged offer when the member's ring time is up, or rings again after the queue's retry. */
  private cancelRing: (() => void) | undefined;
  /** The member rung last: linear strategy rings the next one after it. */
  private lastRung: string | undefined;

  constructor(
    private readonly pbx: Pbx,
    private readonly customer: SimChannel,
    private readonly owner: AgentQueueOwner,
    /** Queue()'s data and where it runs: dest-agents,queue-helpdesk, or nowhere when an application Originate runs it. */
    private readonly entry: ApplicationStart,
  ) {
    this.events = new ChannelEvents(pbx);
  }

  private get queue(): SimQueue | undefined {
    return this.pbx.queues.get(QUEUE_HELPDESK.queue);
  }

  start(): void {
    const { customer, pbx, events } = this;
    events.startApplication(customer, 'Queue', this.entry);
    for (const name of ['ANSWEREDTIME', 'ANSWEREDTIME_MS', 'DIALEDTIME', 'DIALEDTIME_MS', 'QUEUEWAIT', 'QUEUEWAIT_MS']) events.varSet(customer, name, '');
    const queue = this.queue;
    if (queue === undefined) return;
    this.caller = pbx.queues.join(queue.name, customer, () => this.offer());
    this.offer();
  }

  /** Rings the first free member (linear), or leaves the caller waiting for the queue to offer it one: false then. */
  private offer(): boolean {
    const { customer, pbx, events } = this;
    const queue = this.queue;
    if (queue === undefined || this.caller === undefined || !queue.callers.includes(this.caller)) return false;
    // linear: from the member after the last one rung, round to the first.
    const after = queue.members.findIndex((candidate) => candidate.interface === this.lastRung) + 1;
    const member = [...queue.members.slice(after), ...queue.members.slice(0, after)].find(isFree);
    const agentId = /^Local\/(\d+)@agent-request/.exec(member?.interface ?? '')?.[1];
    if (member === undefined || agentId === undefined) return false;
    const leg = dialMember(pbx, events, this.owner, customer, queue, member);
    const login = this.agentRequest(leg, agentId);
    if (login === undefined) return false;
    // The offer: the agent's session shows the caller, and the member rings.
    events.connectedLine(login, customer.callerIdNum, customer.callerIdName);
    pbx.emit('DialState', 'call,all', [...channelFields(customer), ...channelFields(leg.one, 'Dest'), ['DialStatus', 'RINGING']]);
    const offeredAt = pbx.clock.now();
    // An agent who acknowledges calls (AGENTACKCALL) takes it with the accept digit (agents-ackcall-accept); others at
    // once. Unacknowledged for the member's ring time (helpdesk's timeout), the offer ends and the next member is rung.
    const acknowledged = () => {
      this.cancelRing?.();
      this.cancelRing = undefined;
      this.answer(queue, leg, agentId, login, offeredAt);
    };
    if (!pbx.agents.awaitAcknowledgement(agentId, acknowledged)) {
      this.answer(queue, leg, agentId, login, offeredAt);
      return true;
    }
    this.lastRung = member.interface;
    this.cancelRing = pbx.clock.after(QUEUE_HELPDESK.memberTimeoutSeconds * 1000, () => {
      this.cancelRing = undefined;
      this.ringNoAnswer(queue, pbx.clock.now() - offeredAt);
    });
    return true;
  }

  /**
   * The member rang out unacknowledged: AgentRingNoAnswer with the ring time in ms (app_queue's rna), the dial ends
   * NOANSWER and is cancelled, AgentRequest's legs go, the agent is ready again, and after the queue's retry the
   * next free member (linear: the one after it) is rung.
   */
  private ringNoAnswer(queue: SimQueue, rangMs: number): void {
    const { customer, pbx, call } = this;
    if (call === undefined) return;
    const { leg } = call;
    pbx.emit('AgentRingNoAnswer', 'agent,all', [...channelFields(customer), ...channelFields(leg.one, 'Dest'), ...memberKeys(queue, leg.member), ['RingTime', String(rangMs)]]);
    this.withdrawOffer(['NOANSWER', 'CANCEL']);
    this.cancelRing = pbx.clock.after(QUEUE_HELPDESK.retrySeconds * 1000, () => {
      this.cancelRing = undefined;
      this.offer();
    });
  }

  /** An offer not taken ends: the dial ends with `statuses`, AgentRequest's legs go, the agent is ready again. */
  private withdrawOffer(statuses: readonly string[]): void {
    const { customer, events, pbx, call } = this;
    if (call === undefined) return;
    this.call = undefined;
    const { leg, login, agentId, requestBridge } = call;
    for (const status of statuses) pbx.emit('DialEnd', 'call,all', [...channelFields(customer), ...channelFields(leg.one, 'Dest'), ['DialStatus', status]]);
    events.cause('HangupRequest', leg.one, 16);
    events.sendHangup(leg.one, 16);
    requestBridge.leave(leg.two);
    requestBridge.destroy();
    events.cause('SoftHangupRequest', leg.two, 16);
    events.sendHangup(leg.two, 16);
    pbx.devices.change(device(leg), 'NOT_INUSE');
    pbx.agents.offerWithdrawn(agentId);
    events.connectedLine(login, login.callerIdNum, login.callerIdName);
  }

  /** AgentRequest on the member's ;2: its bridge, AGENT_STATUS, the ;1 ringing, then the agent's device INUSE. */
  private agentRequest(leg: MemberLeg, agentId: string): SimChannel | undefined {
    const { events, pbx } = this;
    events.newexten(leg.two, 'AgentRequest', agentId);
    const login = pbx.agents.request(agentId, this);
    if (login === undefined) return undefined;
    const requestBridge = new SimBridge(pbx, BASIC_BRIDGE);
    requestBridge.enter(leg.two);
    events.varSet(leg.two, 'AGENT_STATUS', 'NOT_CONNECTED');
    events.setState(leg.one, ChannelState.Ringing);
    events.newexten(leg.one, 'AppQueue', '(Outgoing Line)');
    events.channelEvent('NewConnectedLine', leg.one);
    pbx.devices.change(device(leg), 'INUSE');
    this.call = { leg, agentId, login, requestBridge, queueBridge: undefined, connectedAt: 0, held: 0 };
    return login;
  }

  /** The login channel joins AgentRequest's bridge, both Local legs answer, and Queue() connects the customer. */
  private answer(queue: SimQueue, leg: MemberLeg, agentId: string, login: SimChannel, offeredAt: number): void {
    const { events, pbx, customer } = this;
    const call = this.call;
    if (call === undefined) return;
    pbx.agents.leaveHolding(login);
    call.requestBridge.enter(login);
    events.varSet(leg.two, 'BRIDGEPEER', login.name);
    events.varSet(login, 'BRIDGEPEER', leg.two.name);
    events.connectedLine(leg.two, login.callerIdNum, login.callerIdName);
    events.setState(leg.two, ChannelState.Up);
    events.connectedLine(customer, login.callerIdNum, login.callerIdName);
    // ;1 already shows the agent's caller id in its Newstate; NewCallerid follows.
    Object.assign(leg.one, { callerIdNum: login.callerIdNum, callerIdName: login.callerIdName });
    events.setState(leg.one, ChannelState.Up);
    events.callerId(leg.one, login.callerIdNum, login.callerIdName);
    pbx.devices.change(device(leg), 'INUSE');
    pbx.emit('DialEnd', 'call,all', [...channelFields(customer), ...channelFields(leg.one, 'Dest'), ['DialStatus', 'ANSWER']]);
    const now = pbx.clock.now();
    // app_queue's hold time is whole seconds of its clock since the join; the ring time, seconds since the offer.
    const held = this.caller === undefined ? 0 : Math.floor(now / 1000) - Math.floor(this.caller.joinedAt / 1000);
    const rang = Math.floor((now - offeredAt) / 1000);
    if (this.caller !== undefined) pbx.queues.leave(queue.name, this.caller);
    events.varSet(customer, 'QUEUEPOSITION', '1');
    events.varSet(customer, 'QUEUEWAIT', String(held));
    events.varSet(customer, 'QUEUEWAIT_MS', String(held * 1000));
    call.held = held;
    pbx.queues.callConnected(queue, leg.member, held);
    pbx.emit('AgentConnect', 'agent,all', [...channelFields(customer), ...channelFields(leg.one, 'Dest'), ...memberKeys(queue, leg.member), ['HoldTime', String(held)], ['RingTime', String(rang)]]);
    pbx.agents.callConnected(agentId);
    pbx.devices.change(device(leg), 'INUSE');
    const queueBridge = new SimBridge(pbx, BASIC_BRIDGE);
    call.queueBridge = queueBridge;
    call.connectedAt = now;
    queueBridge.enter(leg.one);
    queueBridge.enter(customer);
    events.varSet(leg.one, 'BRIDGEPEER', customer.name);
    events.varSet(customer, 'BRIDGEPEER', leg.one.name);
    this.owner.peerConnected(login.callerIdNum, login.callerIdName);
    this.cancelAnswer = pbx.clock.after(ANSWER_MS, () => {
      this.cancelAnswer = undefined;
      events.varSet(leg.two, 'BRIDGEPEER', login.name);
      events.varSet(login, 'BRIDGEPEER', leg.two.name);
      events.varSet(leg.two, 'AGENT_STATUS', '');
    });
  }

  /** The customer's ;1 is being hung up while bridged: BRIDGEPEER cleared both ways, BridgeLeave, Queue()'s times. */
  customerLeaving(): void {
    const { customer, events, pbx, call } = this;
    if (call === undefined || customer.bridgeId === '') return;
    this.dispose();
    events.varSet(customer, 'BRIDGEPEER', '');
    events.varSet(call.leg.one, 'BRIDGEPEER', '');
    call.queueBridge?.leave(customer);
    const now = pbx.clock.now();
    events.durations(customer, now - call.connectedAt, now - customer.createdAt);
  }

  /**
   * After the customer's ;1 Hangup: AgentComplete, the member's legs leave their bridges and go, both bridges go,
   * and the login channel returns to the holding bridge in wrap-up.
   */
  customerGone(reason: 'caller' | 'agent'): void {
    const { events, pbx, call } = this;
    const queue = this.queue;
    this.dispose();
    if (call === undefined || queue === undefined) return;
    this.call = undefined;
    const { leg, login } = call;
    this.complete(queue, call, reason);
    call.queueBridge?.leave(leg.one);
    events.cause('HangupRequest', leg.two, 16);
    events.sendHangup(leg.one, 16);
    events.varSet(leg.two, 'BRIDGEPEER', '');
    pbx.devices.change(device(leg), 'NOT_INUSE');
    call.queueBridge?.destroy();
    events.varSet(login, 'BRIDGEPEER', '');
    call.requestBridge.leave(leg.two);
    events.cause('SoftHangupRequest', leg.two, 16);
    call.requestBridge.leave(login);
    events.sendHangup(leg.two, 16);
    call.requestBridge.destroy();
    pbx.agents.callEnded(call.agentId);
    pbx.devices.change(device(leg), 'NOT_INUSE');
  }

  /** AgentComplete, with the member's and the queue's counts of it. */
  private complete(queue: SimQueue, call: AgentCall, reason: 'caller' | 'agent'): void {
    const { customer, pbx } = this;
    const talkSeconds = pbx.queues.callCompleted(queue, call.leg.member, call.connectedAt);
    pbx.emit('AgentComplete', 'agent,all', [...channelFields(customer), ...channelFields(call.leg.one, 'Dest'), ...memberKeys(queue, call.leg.member), ['HoldTime', String(call.held)], ['TalkTime', String(talkSeconds)], ['Reason', reason]]);
  }

  /**
   * A hard AgentLogoff mid-call (agent-logoff-mid-call), after its SoftHangupRequest (Cause 32) on the login channel:
   * the agent's side goes first (the login channel leaves AgentRequest's bridge and the pool, AgentRequest's legs
   * hang up), then Queue() returns with AgentComplete Reason agent and the customer is hung up too.
   */
  agentLoggedOff(): void {
    const { call, events, pbx, customer } = this;
    const queue = this.queue;
    if (call === undefined || queue === undefined) return;
    this.dispose();
    this.call = undefined;
    const { leg, login } = call;
    events.varSet(login, 'BRIDGEPEER', '');
    events.varSet(leg.two, 'BRIDGEPEER', '');
    call.requestBridge.leave(login);
    pbx.agents.loggedOffOnCall(call.agentId);
    call.requestBridge.leave(leg.two);
    call.requestBridge.destroy();
    events.cause('SoftHangupRequest', leg.two, 16);
    events.cause('HangupRequest', leg.one, 16);
    events.sendHangup(leg.two, 16);
    this.complete(queue, call, 'agent');
    events.varSet(leg.one, 'BRIDGEPEER', '');
    events.varSet(customer, 'BRIDGEPEER', '');
    call.queueBridge?.leave(leg.one);
    events.sendHangup(leg.one, 16);
    call.queueBridge?.leave(customer);
    call.queueBridge?.destroy();
    const now = pbx.clock.now();
    events.durations(customer, now - call.connectedAt, now - customer.createdAt);
    pbx.devices.change(device(leg), 'NOT_INUSE');
    pbx.devices.change(device(leg), 'NOT_INUSE');
    this.owner.queueEnded();
  }

  /** The caller hangs up while still waiting in line: Queue() returns and records it abandoned (queues.ts). */
  callerGaveUp(): void {
    // Still being offered to an agent who has not acknowledged it: the offer is cancelled first.
    if (this.call?.queueBridge === undefined) this.withdrawOffer(['CANCEL']);
    if (this.call !== undefined || this.caller === undefined) return;
    this.dispose();
    // A caller no longer in line (connected and gone) is left alone by abandon().
    this.pbx.queues.abandon(QUEUE_HELPDESK.queue, this.caller);
    this.caller = undefined;
  }

  /** Whether `channel` is one of the member's legs still up. */
  owns(channel: SimChannel): boolean {
    return this.call !== undefined && (channel === this.call.leg.one || channel === this.call.leg.two);
  }

  dispose(): void {
    this.cancelAnswer?.();
    this.cancelAnswer = undefined;
    this.cancelRing?.();
    this.cancelRing = undefined;
  }
}

function device(leg: MemberLeg): string {
  return `Local/${leg.exten}@${leg.context}`;
}
