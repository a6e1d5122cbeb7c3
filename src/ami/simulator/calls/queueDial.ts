import { ChannelState, channelFields, newChannel, type SimChannel } from '../model/channels.js';
import type { ChannelEvents } from '../model/channelEvents.js';
import type { HangupTarget, Pbx } from '../model/pbx.js';
import type { QueueMember, SimQueue } from '../model/queues.js';
import type { Fields } from '../protocol/wire.js';

/** A queue member being dialled: the ;1 and ;2 legs of its `Local/<exten>@<context>/n` interface. */
export type MemberLeg = { member: QueueMember; exten: string; context: string; one: SimChannel; two: SimChannel };

/** Queue, Interface, MemberName: what AgentCalled, AgentConnect and AgentComplete say of the member. */
export function memberKeys(queue: SimQueue, member: QueueMember): Fields {
  return [['Queue', queue.name], ['Interface', member.interface], ['MemberName', member.name]];
}

/**
 * Queue() dials a Local member (answered-to-queue, agents-login-queue): both legs, the caller's id on them,
 * DIALEDPEERNUMBER, LocalBridge, AgentCalled, then DialBegin. The legs belong to `owner`, the caller's call.
 */
export function dialMember(pbx: Pbx, events: ChannelEvents, owner: HangupTarget, caller: SimChannel, queue: SimQueue, member: QueueMember): MemberLeg {
  const { registry, clock } = pbx;
  const [, exten = '', context = ''] = /^Local\/([^@]+)@([^/]+)/.exec(member.interface) ?? [];
  const base = `Local/${exten}@${context}-${registry.nextLocalSuffix()}`;
  const at = { context, exten, createdAt: clock.now() };
  const one = newChannel(`${base};1`, registry.nextUniqueid(), caller.linkedid, { ...at, state: ChannelState.Down });
  const two = newChannel(`${base};2`, registry.nextUniqueid(), caller.linkedid, { ...at, state: ChannelState.Ring });
  pbx.addChannel(one, owner);
  pbx.addChannel(two, owner);
  events.channelEvent('Newchannel', one);
  events.channelEvent('Newchannel', two);
  Object.assign(one, { callerIdNum: caller.callerIdNum, callerIdName: caller.callerIdName });
  events.newexten(one, 'AppQueue', '(Outgoing Line)');
  events.callerId(one, caller.callerIdNum, caller.callerIdName);
  const peer = member.interface.replace(/^Local\//, '');
  events.varSet(one, 'DIALEDPEERNUMBER', peer);
  events.varSet(two, 'DIALEDPEERNUMBER', peer);
  Object.assign(two, { connectedNum: caller.callerIdNum, connectedName: caller.callerIdName });
  events.callerId(two, caller.callerIdNum, caller.callerIdName);
  events.channelEvent('NewConnectedLine', two);
  pbx.emit('LocalBridge', 'call,all', [...channelFields(one, 'LocalOne'), ...channelFields(two, 'LocalTwo'), ['Context', context], ['Exten', exten], ['LocalOptimization', 'No']]);
  // AgentCalled already shows the ;1 leg as Queue() is about to set it (connected line, the caller's exten); DialBegin does not.
  const seen: SimChannel = { ...one, connectedNum: caller.callerIdNum, connectedName: caller.callerIdName, exten: caller.exten };
  pbx.emit('AgentCalled', 'agent,all', [...channelFields(caller), ...channelFields(seen, 'Dest'), ...memberKeys(queue, member)]);
  pbx.emit('DialBegin', 'call,all', [...channelFields(caller), ...channelFields(one, 'Dest'), ['DialString', member.interface]]);
  Object.assign(one, { connectedNum: seen.connectedNum, connectedName: seen.connectedName, exten: seen.exten });
  return { member, exten, context, one, two };
}
