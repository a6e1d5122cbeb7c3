import { ChannelEvents } from './channelEvents.js';
import { channelFields, type SimChannel } from './channels.js';
import { deviceStateCode, type DeviceState, type DeviceStates } from './deviceStates.js';
import type { ChannelHost } from './eventHost.js';
import type { Fields } from '../protocol/wire.js';

/** One queue member, static (queues.conf) or dynamic (QueueAdd). */
export type QueueMember = {
  readonly interface: string;
  readonly name: string;
  readonly stateInterface: string;
  readonly dynamic: boolean;
  readonly penalty: number;
  readonly wrapuptime: number;
  readonly ringinuse: boolean;
  /** Epoch seconds, as Asterisk's member->logintime. */
  readonly loginTime: number;
  callsTaken: number;
  /** Bridged to a caller now (QueueMember's InCall). */
  inCall: boolean;
  lastCall: number;
  lastPause: number;
  paused: boolean;
  pausedReason: string;
  /** AST_DEVICE_* of the state interface: 1 NOT_INUSE, 2 INUSE, 6 RINGING... */
  status: number;
};

/** A channel waiting in a queue (app_queue's queue_ent). */
export type QueueCaller = {
  readonly channel: SimChannel;
  /** Simulated epoch ms of the join. */
  readonly joinedAt: number;
  /** The position it joined at (QueueCallerAbandon's OriginalPosition). */
  readonly position: number;
  /** Rings the queue's free members for this caller; false when none is free (it goes on waiting). */
  readonly offer: () => boolean;
};

/** A queue of pbx-config/queues.conf with the counters QueueParams and QueueSummary report. */
export type SimQueue = {
  readonly name: string;
  readonly strategy: string;
  readonly ringinuse: boolean;
  readonly members: QueueMember[];
  /** Waiting callers, first in line first. */
  readonly callers: QueueCaller[];
  /** app_queue's running averages (seconds) and counts since start, as QueueParams and QueueSummary report them. */
  holdTime: number;
  talkTime: number;
  completed: number;
  abandoned: number;
};

type MemberInput = { interface: string; name: string; stateInterface: string; penalty: number; paused: boolean; reason: string; wrapuptime: number };

export type AddResult = 'ok' | 'exists' | 'nosuchqueue';
export type RemoveResult = 'ok' | 'notthere' | 'nosuchqueue' | 'notdynamic';

/**
 * The queues of pbx-config/queues.conf (`support`, `sales`, then `helpdesk`; the transcripts list `support`
 * before `sales`, and `sales` lists Agent 102 before Agent 101) and their members, whose Status follows the
 * device state of their state interface.
 */
export class QueueRegistry {
  private readonly queues: SimQueue[];
  private readonly events: ChannelEvents;

  constructor(
    private readonly pbx: ChannelHost,
    private readonly devices: DeviceStates,
  ) {
    this.events = new ChannelEvents(pbx);
    const loginTime = this.nowSeconds();
    const member = (iface: string, name: string, stateInterface: string): QueueMember => ({
      interface: iface,
      name,
      stateInterface,
      dynamic: false,
      penalty: 0,
      wrapuptime: 0,
      ringinuse: false,
      loginTime,
      callsTaken: 0,
      inCall: false,
      lastCall: 0,
      lastPause: 0,
      paused: false,
      pausedReason: '',
      status: this.deviceStatus(stateInterface),
    });
    const salesAgent = (exten: string) => member(`Local/${exten}@agents/n`, `Agent ${exten}`, `Local/${exten}@agents`);
    const poolAgent = (id: string) => member(`Local/${id}@agent-request/n`, `Agent ${id}`, `Agent:${id}`);
    // support keeps queues.conf's default ringinuse (yes); sales and helpdesk say ringinuse = no.
    this.queues = [
      { name: 'support', strategy: 'leastrecent', ringinuse: true, members: [], callers: [], holdTime: 0, talkTime: 0, completed: 0, abandoned: 0 },
      { name: 'sales', strategy: 'ringall', ringinuse: false, members: [salesAgent('102'), salesAgent('101')], callers: [], holdTime: 0, talkTime: 0, completed: 0, abandoned: 0 },
      { name: 'helpdesk', strategy: 'linear', ringinuse: false, members: [poolAgent('1001'), poolAgent('1002')], callers: [], holdTime: 0, talkTime: 0, completed: 0, abandoned: 0 },
    ];
    // What app_queue publishes at load (device-states' first DeviceStateList): every avail device INUSE, whatever
    // the members' states, and each static member's pause device.
    for (const queue of this.queues) {
      devices.seed(`Queue:${queue.name}_avail`, 'INUSE');
      for (const each of queue.members) devices.seed(pauseDevice(queue, each), 'NOT_INUSE');
    }
    devices.onChange((device, state) => this.follow(device, state));
  }

  /** Every queue whose name matches `filter` case-insensitively, or all of them when it is empty. */
  list(filter = ''): SimQueue[] {
    return this.queues.filter((queue) => filter === '' || queue.name.toLowerCase() === filter.toLowerCase());
  }

  get(name: string): SimQueue | undefined {
    return this.queues.find((queue) => queue.name === name);
  }

  /** QueueAdd: the member's pause device, QueueMemberAdded, then the queue's avail device if it changed. */
  add(queueName: string, input: MemberInput): AddResult {
    const queue = this.get(queueName);
    if (queue === undefined) return 'nosuchqueue';
    if (queue.members.some((member) => member.interface === input.interface)) return 'exists';
    const now = this.nowSeconds();
    const member: QueueMember = {
      interface: input.interface,
      name: input.name === '' ? input.interface : input.name,
      stateInterface: input.stateInterface === '' ? input.interface : input.stateInterface,
      dynamic: true,
      penalty: input.penalty,
      wrapuptime: input.wrapuptime,
      ringinuse: queue.ringinuse,
      loginTime: now,
      callsTaken: 0,
      inCall: false,
      lastCall: 0,
      lastPause: input.paused ? now : 0,
      paused: input.paused,
      pausedReason: input.paused ? input.reason : '',
      status: this.deviceStatus(input.stateInterface === '' ? input.interface : input.stateInterface),
    };
    queue.members.push(member);
    this.pauseState(queue, member);
    this.pbx.emit('QueueMemberAdded', 'agent,all', memberFields(queue, member));
    this.updateAvail(queue);
    if (isFree(member)) this.offerSoon(queue);
    return 'ok';
  }

  /** QueueRemove: QueueMemberRemoved, then the avail device if it changed. */
  remove(queueName: string, iface: string): RemoveResult {
    const queue = this.get(queueName);
    if (queue === undefined) return 'nosuchqueue';
    const index = queue.members.findIndex((member) => member.interface === iface);
    const member = queue.members[index];
    if (member === undefined) return 'notthere';
    if (!member.dynamic) return 'notdynamic';
    queue.members.splice(index, 1);
    this.pbx.emit('QueueMemberRemoved', 'agent,all', memberFields(queue, member));
    this.updateAvail(queue);
    return 'ok';
  }

  /**
   * QueuePause, in one queue or (no Queue) every queue the interface is in: the pause device, the avail
   * device, then QueueMemberPause. False when the interface is in none of them.
   */
  pause(queueName: string, iface: string, paused: boolean, reason: string): boolean {
    let found = false;
    for (const queue of this.list(queueName)) {
      const member = queue.members.find((candidate) => candidate.interface === iface);
      if (member === undefined) continue;
      found = true;
      member.paused = paused;
      member.pausedReason = paused ? reason : '';
      if (paused) member.lastPause = this.nowSeconds();
      this.pauseState(queue, member);
      this.updateAvail(queue);
      this.pbx.emit('QueueMemberPause', 'agent,all', memberFields(queue, member));
      if (isFree(member)) this.offerSoon(queue);
    }
    return found;
  }

  /**
   * A channel enters the queue (Queue()): the queue's device goes RINGING, then QueueCallerJoin with its
   * position and the new count (answered-to-queue). Undefined for a queue that does not exist.
   */
  join(queueName: string, channel: SimChannel, offer: () => boolean): QueueCaller | undefined {
    const queue = this.get(queueName);
    if (queue === undefined) return undefined;
    const caller: QueueCaller = { channel, joinedAt: this.pbx.clock.now(), position: queue.callers.length + 1, offer };
    queue.callers.push(caller);
    // A cached device: said again only when it changes, not on every join (app_queue's queue device state).
    this.devices.change(`Queue:${queue.name}`, 'RINGING');
    this.pbx.emit('QueueCallerJoin', 'agent,all', [...channelFields(channel), ['Queue', queue.name], ['Position', String(queue.callers.length)], ['Count', String(queue.callers.length)]]);
    return caller;
  }

  /** The caller leaves (answered or gone): NOT_INUSE once the queue is empty, then QueueCallerLeave with the position it had. */
  leave(queueName: string, caller: QueueCaller): void {
    const queue = this.get(queueName);
    const index = queue?.callers.indexOf(caller) ?? -1;
    if (queue === undefined || index === -1) return;
    queue.callers.splice(index, 1);
    if (queue.callers.length === 0) this.devices.change(`Queue:${queue.name}`, 'NOT_INUSE');
    this.pbx.emit('QueueCallerLeave', 'agent,all', [...channelFields(caller.channel), ['Queue', queue.name], ['Position', String(index + 1)], ['Count', String(queue.callers.length)]]);
  }

  /**
   * `member` took a caller who waited `heldSeconds`: it is in a call, and the wait goes into the queue's hold time
   * (app_queue's recalc_holdtime: the first wait, then a quarter of each new one).
   */
  callConnected(queue: SimQueue, member: QueueMember, heldSeconds: number): void {
    member.inCall = true;
    queue.holdTime = queue.completed + queue.abandoned === 0 ? heldSeconds : (queue.holdTime * 3 + heldSeconds) >> 2;
  }

  /**
   * `member`'s call, connected at `connectedAt`, ended now (app_queue's update_queue): the member counts it, the queue
   * one more completed with the talk time averaged in. Returns the talk time: whole epoch seconds subtracted, as
   * Asterisk does (TalkTime 5 after 4.5 s in answered-to-queue).
   */
  callCompleted(queue: SimQueue, member: QueueMember, connectedAt: number): number {
    const now = Math.floor(this.pbx.clock.now() / 1000);
    const talkSeconds = now - Math.floor(connectedAt / 1000);
    member.callsTaken += 1;
    member.lastCall = now;
    member.inCall = false;
    queue.completed += 1;
    queue.talkTime = queue.completed === 1 ? talkSeconds : (queue.talkTime * 3 + talkSeconds) >> 2;
    return talkSeconds;
  }

  /**
   * The caller hung up while waiting, as Queue() returns (app_queue's queue_exec `stop:`, record_abandoned,
   * leave_queue): its wait, its call's age and a talk time of 0 as variables, ABANDONED=TRUE, QueueCallerAbandon
   * (position, first position, seconds held), then leave(), then QUEUEPOSITION; all before the caller's Hangup.
   */
  abandon(queueName: string, caller: QueueCaller): void {
    const queue = this.get(queueName);
    const index = queue?.callers.indexOf(caller) ?? -1;
    if (queue === undefined || index === -1) return;
    const { channel } = caller;
    const now = this.pbx.clock.now();
    const held = Math.floor(now / 1000) - Math.floor(caller.joinedAt / 1000);
    const position = String(index + 1);
    this.events.durationVariable(channel, 'QUEUEWAIT', held * 1000);
    this.events.durationVariable(channel, 'DIALEDTIME', now - channel.createdAt);
    this.events.durationVariable(channel, 'ANSWEREDTIME', 0);
    this.events.varSet(channel, 'ABANDONED', 'TRUE');
    queue.abandoned += 1;
    this.pbx.emit('QueueCallerAbandon', 'agent,all', [...channelFields(channel), ['Queue', queue.name], ['Position', position], ['OriginalPosition', String(caller.position)], ['HoldTime', String(held)]]);
    this.leave(queueName, caller);
    this.events.varSet(channel, 'QUEUEPOSITION', position);
  }

  private pauseState(queue: SimQueue, member: QueueMember): void {
    this.devices.change(pauseDevice(queue, member), member.paused ? 'INUSE' : 'NOT_INUSE');
  }

  /** `Queue:<name>_avail`: whether any member is free; a cached device, so it is sent only when that changes. */
  private updateAvail(queue: SimQueue): void {
    this.devices.change(`Queue:${queue.name}_avail`, available(queue) > 0 ? 'NOT_INUSE' : 'INUSE');
  }

  /**
   * A state interface changed: QueueMemberStatus for the member it is in each queue (app_queue's device_state_cb:
   * the first whose state interface, a Local one without its `/options`, names the device, in any case), then the
   * avail device. A member freed is offered to the first caller waiting, on the caller's next look at the queue.
   */
  private follow(device: string, state: DeviceState): void {
    const status = deviceStateCode(state);
    for (const queue of this.queues) {
      const member = queue.members.find((candidate) => stateDevice(candidate.stateInterface) === device.toLowerCase());
      if (member === undefined || member.status === status) continue;
      member.status = status;
      this.pbx.emit('QueueMemberStatus', 'agent,all', memberFields(queue, member));
      this.updateAvail(queue);
      if (isFree(member)) this.offerSoon(queue);
    }
  }

  /** A member came free (its device, an unpause, a QueueAdd): the callers waiting are offered the free members, first in line first. */
  private offerSoon(queue: SimQueue): void {
    if (queue.callers.length === 0) return;
    this.pbx.clock.after(WAITING_CALLER_LOOKS_MS, () => {
      for (const caller of [...queue.callers]) if (!caller.offer()) return;
    });
  }

  /**
   * A member's Status when it is created: its device's last state; a Local device nobody reported reads NOT_INUSE
   * (queue-admin's Agent 103), a Custom one UNKNOWN (device-states' Desk 201).
   */
  private deviceStatus(stateInterface: string): number {
    const device = stateInterface.replace(LOCAL_OPTIONS, '$1');
    return deviceStateCode(this.devices.state(device) ?? (stateInterface.startsWith('Local/') ? 'NOT_INUSE' : 'UNKNOWN'));
  }

  private nowSeconds(): number {
    return Math.floor(this.pbx.clock.now() / 1000);
  }
}

/** How long a waiting caller takes to see a member freed: queue-wait-for-agent shows 67 and 93 ms. */
const WAITING_CALLER_LOOKS_MS = 70;

/** A Local interface's options (`Local/101@agents/n`): its device is named without them. */
const LOCAL_OPTIONS = /^(Local\/[^/]+)\/.*$/i;

/** The device a state interface follows, lower-cased for app_queue's case-insensitive match. */
function stateDevice(stateInterface: string): string {
  return stateInterface.replace(LOCAL_OPTIONS, '$1').toLowerCase();
}

/** A member that can take a call: logged in, free and not paused (app_queue's member_status_available). */
export function isFree(member: QueueMember): boolean {
  return (member.status === 1 || member.status === 0) && !member.paused;
}

function pauseDevice(queue: SimQueue, member: QueueMember): string {
  return `Queue:${queue.name}_pause_${member.interface}`;
}

/** Members whose device is usable: QueueSummary's LoggedIn (not UNAVAILABLE 5, not INVALID 4). */
export function loggedIn(queue: SimQueue): number {
  return queue.members.filter((member) => member.status !== 5 && member.status !== 4).length;
}

/** Logged-in members free and not paused: QueueSummary's Available (NOT_INUSE 1 or UNKNOWN 0). */
export function available(queue: SimQueue): number {
  return queue.members.filter(isFree).length;
}

/** A member's state as both QueueMember* events and QueueStatus items write it, from StateInterface to PausedReason. */
function memberStateFields(member: QueueMember): Fields {
  return [
    ['StateInterface', member.stateInterface],
    ['Membership', member.dynamic ? 'dynamic' : 'static'],
    ['Penalty', String(member.penalty)],
    ['CallsTaken', String(member.callsTaken)],
    ['LastCall', String(member.lastCall)],
    ['LastPause', String(member.lastPause)],
    ['LoginTime', String(member.loginTime)],
    ['InCall', member.inCall ? '1' : '0'],
    ['Status', String(member.status)],
    ['Paused', member.paused ? '1' : '0'],
    ['PausedReason', member.pausedReason],
  ];
}

/** The body of QueueMemberAdded / QueueMemberPause / QueueMemberRemoved / QueueMemberStatus. */
export function memberFields(queue: SimQueue, member: QueueMember): Fields {
  return [
    ['Queue', queue.name],
    ['MemberName', member.name],
    ['Interface', member.interface],
    ...memberStateFields(member),
    ['Ringinuse', member.ringinuse ? '1' : '0'],
    ['Wrapuptime', String(member.wrapuptime)],
  ];
}

/** QueueStatus's QueueParams item, its ActionID last. */
export function queueParamsFields(queue: SimQueue, idFields: Fields): Fields {
  const perf = queue.completed > 0 ? '100.0' : '0.0';
  return [
    ['Event', 'QueueParams'],
    ['Queue', queue.name],
    ['Max', '0'],
    ['Strategy', queue.strategy],
    ['Calls', String(queue.callers.length)],
    ['Holdtime', String(queue.holdTime)],
    ['TalkTime', String(queue.talkTime)],
    ['Completed', String(queue.completed)],
    ['Abandoned', String(queue.abandoned)],
    ['ServiceLevel', '0'],
    ['ServicelevelPerf', perf],
    ['ServicelevelPerf2', perf],
    ['Weight', '0'],
    ...idFields,
  ];
}

/** QueueStatus's QueueMember item: Name/Location rather than MemberName/Interface, no Ringinuse, ActionID last. */
export function queueMemberItem(queue: SimQueue, member: QueueMember, idFields: Fields): Fields {
  return [
    ['Event', 'QueueMember'],
    ['Queue', queue.name],
    ['Name', member.name],
    ['Location', member.interface],
    ...memberStateFields(member),
    ['Wrapuptime', String(member.wrapuptime)],
    ...idFields,
  ];
}

/** A caller's CallerID or ConnectedLine part, `unknown` (no brackets) when unset, as QueueEntry writes it. */
function known(value: string): string {
  return value === '<unknown>' ? 'unknown' : value;
}

/** QueueStatus's QueueEntry item: a waiting caller, its 1-based position and whole seconds waited. */
export function queueEntryItem(queue: SimQueue, position: number, caller: QueueCaller, nowMs: number, idFields: Fields): Fields {
  const { channel } = caller;
  return [
    ['Event', 'QueueEntry'],
    ['Queue', queue.name],
    ['Position', String(position)],
    ['Channel', channel.name],
    ['Uniqueid', channel.uniqueid],
    ['CallerIDNum', known(channel.callerIdNum)],
    ['CallerIDName', known(channel.callerIdName)],
    ['ConnectedLineNum', known(channel.connectedNum)],
    ['ConnectedLineName', known(channel.connectedName)],
    ['Wait', String(Math.floor(nowMs / 1000) - Math.floor(caller.joinedAt / 1000))],
    ['Priority', '0'],
    ...idFields,
  ];
}

/** QueueSummary's item for one queue, its ActionID last. */
export function queueSummaryItem(queue: SimQueue, nowMs: number, idFields: Fields): Fields {
  const longest = queue.callers.reduce((most, caller) => Math.max(most, Math.floor(nowMs / 1000) - Math.floor(caller.joinedAt / 1000)), 0);
  return [
    ['Event', 'QueueSummary'],
    ['Queue', queue.name],
    ['LoggedIn', String(loggedIn(queue))],
    ['Available', String(available(queue))],
    ['Callers', String(queue.callers.length)],
    ['HoldTime', String(queue.holdTime)],
    ['TalkTime', String(queue.talkTime)],
    ['LongestHoldTime', String(longest)],
    ...idFields,
  ];
}
