import { randomUUID } from 'node:crypto';
import { CAUSE_TEXT, ChannelState, channelFields, type SimChannel } from '../model/channels.js';
import { QUEUE_SALES } from '../model/customers.js';
import type { HangupTarget, Pbx } from '../model/pbx.js';
import type { DeviceState } from '../model/deviceStates.js';
import { isFree, type QueueCaller, type SimQueue } from '../model/queues.js';
import { dialMember, memberKeys, type MemberLeg } from './queueDial.js';
import { ChannelEvents, type ApplicationStart } from '../model/channelEvents.js';
import type { Fields } from '../protocol/wire.js';

/** One ringall member being dialled: its `Local/<exten>@agents` pair. */
type AgentLeg = MemberLeg;

/**
 * Queue(sales) on the customer's ;1 leg, from `dest,queue-sales` (Queue(sales,,,,60)) or run by an application
 * Originate, as answered-to-queue shows. Both agents are
 * dialled (ringall) and answer at once; the member dialled last wins, the other is cancelled (Cause 26). The
 * agents' dialplan is Answer(), Wait(5), Hangup(). Events are sent per channel in the transcript's order.
 */
export class QueueCall {
  private caller: QueueCaller | undefined;
  private winner: AgentLeg | undefined;
  private readonly events: ChannelEvents;
  private bridgeId = '';
  private bridgedAt = 0;
  /** Whole seconds the caller waited in line (AgentConnect's and AgentComplete's HoldTime). */
  private waited = 0;
  private cancelAgentHangup: (() => void) | undefined;
  private agentTalk: (() => void) | undefined;

  constructor(
    private readonly pbx: Pbx,
    /** The customer's ;1 leg, which runs Queue(). */
    private readonly customer: SimChannel,
    /** The LocalCall that owns the customer, asked to hang up when Queue() returns (the agent hung up). */
    private readonly owner: HangupTarget & { queueEnded(): void },
    /** Queue()'s data and where it runs: dest,queue-sales, or nowhere when an application Originate runs it. */
    private readonly entry: ApplicationStart,
  ) {
    this.events = new ChannelEvents(pbx);
  }

  private get queue(): SimQueue | undefined {
    return this.pbx.queues.get(QUEUE_SALES.queue);
  }

  /** Queue() starts: the app, its cleared variables, the join, then the free members dialled and answered. */
  start(): void {
    const { customer, pbx } = this;
    const queue = this.queue;
    this.events.startApplication(customer, 'Queue', this.entry);
    for (const name of ['ANSWEREDTIME', 'ANSWEREDTIME_MS', 'DIALEDTIME', 'DIALEDTIME_MS', 'QUEUEWAIT', 'QUEUEWAIT_MS']) this.varSet(customer, name, '');
    if (queue === undefined) return;
    this.caller = pbx.queues.join(queue.name, customer, () => this.offer(false));
    this.offer(true);
  }

  /**
   * Rings the free members (ringall: each of them; the transcript dials Agent 101 before Agent 102) and connects
   * the last. With none free the caller waits in line: the queue offers it a member as one comes free
   * (queue-wait-for-agent), until it hangs up (every customer does within 30 s, before Queue()'s 60 s run out).
   * False when it is still waiting. `asItJoins`: in the same instant as the join, so it waited no time at all.
   */
  private offer(asItJoins: boolean): boolean {
    const { customer, pbx } = this;
    const queue = this.queue;
    if (queue === undefined || this.winner !== undefined || this.caller === undefined || !queue.callers.includes(this.caller)) return false;
    const members = queue.members.filter(isFree).sort((a, b) => a.interface.localeCompare(b.interface));
    if (members.length === 0) return false;
    const legs = members.map((member) => dialMember(pbx, this.events, this.owner, customer, queue, member));
    const winner = legs.at(-1);
    if (winner === undefined) return false;
    for (const leg of legs) {
      this.newexten(leg.two, 'Answer', '');
      this.setState(leg.two, ChannelState.Up);
    }
    // Each agent's device going INUSE moves its member to Status 2 (QueueMemberStatus), as app_queue follows it.
    for (const leg of legs) this.device(leg, 'INUSE');
    for (const leg of legs) {
      if (leg !== winner) continue;
      this.setState(leg.one, ChannelState.Up);
      this.newexten(leg.one, 'AppQueue', '(Outgoing Line)');
      this.channelEvent('NewConnectedLine', leg.one);
    }
    this.device(winner, 'INUSE');
    const losers = legs.filter((leg) => leg !== winner);
    this.dialEnd(winner, 'ANSWER');
    for (const loser of losers) {
      this.dialEnd(loser, 'CANCEL');
      this.dialEnd(loser, 'CANCEL');
      this.cause('HangupRequest', loser.two, 26);
      this.cause('SoftHangupRequest', loser.two, 16);
      this.hangup(loser.two, 26);
      this.hangup(loser.one, 26);
      this.channelEvent('NewConnectedLine', loser.one);
    }
    const position = queue.callers.indexOf(this.caller) + 1;
    pbx.queues.leave(queue.name, this.caller);
    for (const loser of losers) {
      this.device(loser, 'NOT_INUSE');
      this.device(loser, 'NOT_INUSE');
    }
    // app_queue counts the wait in whole seconds of its clock.
    const waited = asItJoins ? 0 : Math.floor(pbx.clock.now() / 1000) - Math.floor(this.caller.joinedAt / 1000);
    this.varSet(customer, 'QUEUEPOSITION', String(position));
    this.varSet(customer, 'QUEUEWAIT', String(waited));
    this.varSet(customer, 'QUEUEWAIT_MS', String(waited * 1000));
    this.connect(queue, winner, waited);
    return true;
  }

  /** The agent is answered: AgentConnect, a basic bridge with both ;1 legs, BRIDGEPEER both ways, the agent's Wait(5). */
  private connect(queue: SimQueue, winner: AgentLeg, waited: number): void {
    const { customer, pbx } = this;
    this.winner = winner;
    this.waited = waited;
    pbx.queues.callConnected(queue, winner.member, waited);
    pbx.emit('AgentConnect', 'agent,all', [...channelFields(customer), ...channelFields(winner.one, 'Dest'), ...memberKeys(queue, winner.member), ['HoldTime', String(waited)], ['RingTime', '0']]);
    this.bridgeId = randomUUID();
    this.bridgedAt = pbx.clock.now();
    pbx.emit('BridgeCreate', 'call,all', this.bridgeFields(0));
    winner.one.bridgeId = this.bridgeId;
    pbx.emit('BridgeEnter', 'call,all', [...this.bridgeFields(1), ...channelFields(winner.one)]);
    customer.bridgeId = this.bridgeId;
    pbx.emit('BridgeEnter', 'call,all', [...this.bridgeFields(2), ...channelFields(customer)]);
    this.varSet(winner.one, 'BRIDGEPEER', customer.name);
    this.varSet(customer, 'BRIDGEPEER', winner.one.name);
    // Answer() returns after half a second, as the customer's does (1612 -> 2111 ms).
    this.agentTalk = pbx.clock.after(500, () => {
      this.agentTalk = undefined;
      winner.two.priority = 2;
      this.newexten(winner.two, 'Wait', String(QUEUE_SALES.agentTalkSeconds));
      this.cancelAgentHangup = pbx.clock.after(QUEUE_SALES.agentTalkSeconds * 1000, () => {
        this.cancelAgentHangup = undefined;
        this.owner.queueEnded();
      });
    });
  }

  /**
   * The customer's ;1 is being hung up while bridged (answered-to-queue): BRIDGEPEER cleared, BridgeLeave, the
   * Queue() time variables. Sent between its HangupRequest and its SoftHangupRequest.
   */
  customerLeaving(): void {
    const { customer, pbx, winner } = this;
    if (winner === undefined || customer.bridgeId === '') return;
    this.stopTimers();
    this.varSet(customer, 'BRIDGEPEER', '');
    this.varSet(winner.one, 'BRIDGEPEER', '');
    customer.bridgeId = '';
    pbx.emit('BridgeLeave', 'call,all', [...this.bridgeFields(1), ...channelFields(customer)]);
    const now = pbx.clock.now();
    this.events.durations(customer, now - this.bridgedAt, now - customer.createdAt);
  }

  /** After the customer's ;1 Hangup: AgentComplete, the agent's legs leave and go, the bridge goes, the member is free. */
  customerGone(reason: 'caller' | 'agent'): void {
    const { customer, pbx, winner } = this;
    const queue = this.queue;
    this.stopTimers();
    if (winner === undefined || queue === undefined) return;
    this.winner = undefined;
    const talkSeconds = pbx.queues.callCompleted(queue, winner.member, this.bridgedAt);
    pbx.emit('AgentComplete', 'agent,all', [...channelFields(customer), ...channelFields(winner.one, 'Dest'), ...memberKeys(queue, winner.member), ['HoldTime', String(this.waited)], ['TalkTime', String(talkSeconds)], ['Reason', reason]]);
    if (winner.one.bridgeId !== '') {
      winner.one.bridgeId = '';
      pbx.emit('BridgeLeave', 'call,all', [...this.bridgeFields(0), ...channelFields(winner.one)]);
    }
    this.cause('HangupRequest', winner.two, 16);
    this.hangup(winner.one, 16);
    pbx.emit('BridgeDestroy', 'call,all', this.bridgeFields(0));
    this.cause('SoftHangupRequest', winner.two, 16);
    this.hangup(winner.two, 16);
    this.device(winner, 'NOT_INUSE');
    this.device(winner, 'NOT_INUSE');
  }

  /** The caller hangs up while still waiting in line: Queue() returns and records it abandoned (queues.ts). */
  callerGaveUp(): void {
    if (this.winner !== undefined || this.caller === undefined) return;
    this.stopTimers();
    // A caller no longer in line (connected and gone) is left alone by abandon().
    this.pbx.queues.abandon(QUEUE_SALES.queue, this.caller);
    this.caller = undefined;
  }

  /** Whether `channel` is one of this call's agent legs still up. */
  owns(channel: SimChannel): boolean {
    return this.winner !== undefined && (channel === this.winner.one || channel === this.winner.two);
  }

  dispose(): void {
    this.stopTimers();
  }

  private stopTimers(): void {
    this.agentTalk?.();
    this.agentTalk = undefined;
    this.cancelAgentHangup?.();
    this.cancelAgentHangup = undefined;
  }

  private dialEnd(leg: AgentLeg, status: string): void {
    this.pbx.emit('DialEnd', 'call,all', [...channelFields(this.customer), ...channelFields(leg.one, 'Dest'), ['DialStatus', status]]);
  }

  private device(leg: AgentLeg, state: DeviceState): void {
    this.pbx.devices.change(`Local/${leg.exten}@${leg.context}`, state);
  }

  private bridgeFields(count: number): Fields {
    return [
      ['BridgeUniqueid', this.bridgeId],
      ['BridgeType', 'basic'],
      ['BridgeTechnology', 'simple_bridge'],
      ['BridgeCreator', '<unknown>'],
      ['BridgeName', '<unknown>'],
      ['BridgeNumChannels', String(count)],
      ['BridgeVideoSourceMode', 'none'],
    ];
  }

  private channelEvent(event: string, channel: SimChannel, extra: Fields = [], privilege = 'call,all'): void {
    this.pbx.emit(event, privilege, [...channelFields(channel), ...extra]);
  }

  private newexten(channel: SimChannel, application: string, data: string): void {
    channel.application = application;
    channel.applicationData = data;
    this.channelEvent('Newexten', channel, [['Extension', channel.exten], ['Application', application], ['AppData', data]], 'dialplan,all');
  }

  private varSet(channel: SimChannel, name: string, value: string): void {
    channel.variables.set(name, value);
    this.channelEvent('VarSet', channel, [['Variable', name], ['Value', value]], 'dialplan,all');
  }

  private setState(channel: SimChannel, state: typeof ChannelState.Up): void {
    channel.state = state;
    this.channelEvent('Newstate', channel);
  }

  private cause(event: 'HangupRequest' | 'SoftHangupRequest', channel: SimChannel, cause: number): void {
    this.channelEvent(event, channel, [['Cause', String(cause)]]);
  }

  private hangup(channel: SimChannel, cause: number): void {
    this.channelEvent('Hangup', channel, [['Cause', String(cause)], ['Cause-txt', CAUSE_TEXT[cause] ?? 'Unknown']]);
    this.pbx.removeChannel(channel);
  }
}
