import { describe, expect, it } from 'vitest';
import type { TranscriptName } from '../support/transcripts.js';
import { parseFrame, type AmiEvent } from '../../src/ami/message.js';
import { reduce } from '../../src/live/reducer.js';
import { SERVER, changesOf, finalState, replay, stateAt, variantOf } from './replay.js';

/** The REMOVED change of the channel whose name ends with leg (';1' or ';2'). */
function hangupOf(name: TranscriptName, leg: string) {
  const removed = changesOf(replay(name), 'channel').filter((change) => change.kind === 'REMOVED' && change.value.name.endsWith(leg));
  const [only, ...others] = removed;
  if (only === undefined || others.length > 0) throw new Error(`expected one hangup of the ${leg} leg in ${name}`);
  return only.value;
}

describe('a failed originate shows the real cause on the ;2 leg of the Local channel', () => {
  it.each([
    ['busy', 17, 'User busy', 0],
    ['no-answer', 19, 'User alerting, no answer', 19],
    ['congestion', 34, 'Circuit/channel congestion', 0],
    ['unallocated', 1, 'Unallocated (unassigned) number', 1],
  ] as const)('%s: the ;2 leg hangs up with cause %i (%s), the ;1 leg with cause %i', (name, cause, text, oneCause) => {
    expect(hangupOf(name, ';2')).toMatchObject({ hangupCause: cause, hangupCauseText: text });
    expect(hangupOf(name, ';1').hangupCause).toBe(oneCause);
    const state = finalState(replay(name));
    expect(state.channel.size).toBe(0);
    expect(state.call.size).toBe(0);
  });

  it('keeps the busy leg in state 7 (Busy) until it hangs up (busy, line 22)', () => {
    const state = stateAt(replay('busy'), 22);
    expect(state.channel.get('1795294861.7')).toMatchObject({ state: 7, stateDesc: 'Busy', application: 'Busy', applicationData: '3' });
  });

  it('removes the call with its last channel, not before', () => {
    const calls = changesOf(replay('busy'), 'call');
    expect(calls.map((change) => [change.line, change.kind, change.value.channels])).toEqual([
      [8, 'CREATED', ['1795294861.6']],
      [9, 'UPDATED', ['1795294861.6', '1795294861.7']],
      [28, 'UPDATED', ['1795294861.6']],
      [29, 'REMOVED', ['1795294861.6']],
    ]);
  });

  it('creates and hangs up the channels of an originate to a missing context, and nothing for an unknown technology', () => {
    const steps = replay('originate-invalid-context');
    expect(stateAt(steps, 9).channel.size).toBe(2);
    expect(hangupOf('originate-invalid-context', ';2')).toMatchObject({ hangupCause: 0, context: 'nosuchcontext' });
    expect(steps.filter((step) => step.line >= 24).flatMap((step) => step.changes)).toEqual([]);
  });
});

describe('channel fields', () => {
  const steps = replay('answered-to-queue');

  it('takes uniqueid, linkedid, name, state, context and creation time from Newchannel (answered-to-queue, line 12)', () => {
    expect(stateAt(steps, 12).channel.get('1795294827.0')).toEqual({
      server: 'pbx-test',
      uniqueid: '1795294827.0',
      linkedid: '1795294827.0',
      name: 'Local/1001@customers-00000000;1',
      state: 0,
      stateDesc: 'Down',
      callerIdNum: '',
      callerIdName: '',
      connectedLineNum: '',
      connectedLineName: '',
      context: 'customers',
      exten: '1001',
      priority: 1,
      application: '',
      applicationData: '',
      bridgeId: null,
      hangupCause: null,
      hangupCauseText: null,
      createdAt: 1795294827792,
      answeredAt: null,
      accountCode: '',
      language: 'en',
    });
  });

  it('follows caller id, connected line, dialplan position, application and answer time', () => {
    const channel = stateAt(steps, 45).channel.get('1795294827.0');
    expect(channel).toMatchObject({
      callerIdNum: '5550000',
      callerIdName: 'Campaign A',
      connectedLineNum: '5550000',
      connectedLineName: 'Campaign A',
      context: 'dest',
      exten: 'queue-sales',
      priority: 1,
      application: 'Queue',
      applicationData: 'sales,,,,60',
      state: 6,
      stateDesc: 'Up',
      answeredAt: 1795294828795,
    });
  });

  it('groups the customer legs and the agent legs of one call by linkedid', () => {
    const call = stateAt(steps, 106).call.get('1795294827.0');
    expect(call?.channels).toEqual(['1795294827.0', '1795294827.1', '1795294828.4', '1795294828.5']);
    expect(call?.createdAt).toBe(1795294827792);
  });

  it('hangs up the losing ringall agent with cause 26, answered elsewhere', () => {
    const lost = changesOf(steps, 'channel').find((change) => change.kind === 'REMOVED' && change.key === '1795294828.2');
    expect(lost?.value).toMatchObject({ hangupCause: 26, hangupCauseText: 'Answered elsewhere' });
  });

  it('does not bring back a channel that an event names after its Hangup (line 89 after line 88)', () => {
    expect(stateAt(steps, 88).channel.has('1795294828.2')).toBe(false);
    expect(stateAt(steps, 89).channel.has('1795294828.2')).toBe(false);
    expect(steps.find((step) => step.line === 89)?.changes).toEqual([]);
  });

  it('names the channel with the uniqueid Originate fixed, from its first event (originate-with-channelid)', () => {
    const withIds = replay('originate-with-channelid');
    const first = withIds.find((step) => step.line === 8);
    expect(first?.changes.map((change) => [change.kind, change.entity, change.key])).toEqual([
      ['CREATED', 'channel', '6f1c2f4e-0b7a-4c1e-9a54-1d2e3f4a5b6c'],
      ['CREATED', 'call', '6f1c2f4e-0b7a-4c1e-9a54-1d2e3f4a5b6c'],
    ]);
    expect(stateAt(withIds, 9).call.get('6f1c2f4e-0b7a-4c1e-9a54-1d2e3f4a5b6c')?.channels).toEqual([
      '6f1c2f4e-0b7a-4c1e-9a54-1d2e3f4a5b6c',
      '6f1c2f4e-0b7a-4c1e-9a54-1d2e3f4a5b6d',
    ]);
  });

  it('gives the ;2 leg of an originate without OtherChannelId the ChannelId with ";2" appended', () => {
    const state = stateAt(replay('originate-with-channelid'), 27);
    expect(state.channel.get('a0000000-0000-4000-8000-000000000001;2')).toMatchObject({
      name: 'Local/2002@customers-0000003a;2',
      linkedid: 'a0000000-0000-4000-8000-000000000001',
    });
  });

  it('changes nothing for Status list items that agree with the events (hangup-and-setvar, lines 38-39)', () => {
    const status = replay('hangup-and-setvar').filter((step) => step.event.event === 'Status');
    expect(status.map((step) => step.line)).toEqual([38, 39]);
    expect(status.flatMap((step) => step.changes)).toEqual([]);
  });

  it('removes both legs hung up through a Hangup by regular expression, with cause 16', () => {
    const removed = changesOf(replay('hangup-and-setvar'), 'channel').filter((change) => change.kind === 'REMOVED');
    expect(removed.map((change) => [change.line, change.value.name, change.value.hangupCause])).toEqual([
      [50, 'Local/6003@customers-0000000a;1', 16],
      [52, 'Local/6003@customers-0000000a;2', 16],
    ]);
  });
});

describe('bridges', () => {
  const steps = replay('answered-to-queue');

  it('puts the caller and the agent in one basic bridge, and each channel knows its bridge', () => {
    const state = stateAt(steps, 102);
    expect(state.bridge.get('b1521437-df4a-4fd0-ae20-3bcdd39a60c1')).toEqual({
      server: 'pbx-test',
      id: 'b1521437-df4a-4fd0-ae20-3bcdd39a60c1',
      type: 'basic',
      technology: 'simple_bridge',
      creator: '',
      name: '',
      channels: ['1795294828.4', '1795294827.0'],
      createdAt: 1795294828798,
    });
    expect(state.channel.get('1795294827.0')?.bridgeId).toBe('b1521437-df4a-4fd0-ae20-3bcdd39a60c1');
  });

  it('empties the bridge as channels leave and removes it when destroyed', () => {
    expect(stateAt(steps, 127).bridge.get('b1521437-df4a-4fd0-ae20-3bcdd39a60c1')?.channels).toEqual(['1795294828.4']);
    expect(stateAt(steps, 138).bridge.has('b1521437-df4a-4fd0-ae20-3bcdd39a60c1')).toBe(false);
  });

  it('learns a parking bridge from BridgeEnter when it was created before the session (answered-to-park, line 34)', () => {
    const state = stateAt(replay('answered-to-park'), 34);
    expect(state.bridge.get('6ca75608-6ff7-4d15-9946-d7964df4a5bf')).toMatchObject({
      type: 'parking',
      technology: 'holding_bridge',
      creator: 'Parking',
      name: 'default',
      channels: ['1795294916.22'],
      createdAt: null,
    });
  });

  it("moves an agent's session from the holding bridge to the caller's bridge and back (agents-login-queue)", () => {
    const agents = replay('agents-login-queue');
    expect(stateAt(agents, 57).channel.get('1795312879.1')?.bridgeId).toBe('8d70a868-6535-429e-b46b-8ee12477cda3');
    expect(stateAt(agents, 136).channel.get('1795312879.1')?.bridgeId).toBe('9093ab41-56c7-46af-9caf-2084aeb1a7e1');
    expect(stateAt(agents, 136).bridge.get('8d70a868-6535-429e-b46b-8ee12477cda3')?.channels).toEqual(['1795312880.3']);
    expect(stateAt(agents, 204).channel.get('1795312879.1')?.bridgeId).toBe('8d70a868-6535-429e-b46b-8ee12477cda3');
  });
});

describe('events no transcript shows', () => {
  it('renames a channel by its uniqueid (Rename)', () => {
    const before = stateAt(replay('busy'), 9);
    const rename = parseFrame(
      'Event: Rename\r\nPrivilege: call,all\r\nChannel: Local/2001@customers-00000003;1\r\nNewname: Local/2001@customers-00000003;1<ZOMBIE>\r\nUniqueid: 1795294861.6\r\n\r\n',
    ) as AmiEvent;
    const { state, changes } = reduce(before, rename, SERVER);
    expect(changes.map((change) => [change.kind, change.key])).toEqual([['UPDATED', '1795294861.6']]);
    expect(state.channel.get('1795294861.6')?.name).toBe('Local/2001@customers-00000003;1<ZOMBIE>');
  });

  it('follows a channel in a snapshot under a prefix its event carries (BlindTransfer: Transferer, Transferee)', () => {
    const before = stateAt(replay('answered-to-queue'), 102);
    const caller = before.channel.get('1795294827.0');
    if (caller === undefined) throw new Error('the caller is up on line 102');
    const transferer = [
      `TransfererChannel: ${caller.name}`,
      'TransfererChannelState: 6',
      'TransfererChannelStateDesc: Up',
      `TransfererCallerIDNum: ${caller.callerIdNum}`,
      `TransfererCallerIDName: ${caller.callerIdName}`,
      'TransfererConnectedLineNum: 2099',
      'TransfererConnectedLineName: Front desk',
      `TransfererLanguage: ${caller.language}`,
      `TransfererAccountCode: ${caller.accountCode}`,
      `TransfererContext: ${caller.context}`,
      `TransfererExten: ${caller.exten}`,
      `TransfererPriority: ${caller.priority}`,
      `TransfererUniqueid: ${caller.uniqueid}`,
      `TransfererLinkedid: ${caller.linkedid}`,
    ];
    const blindTransfer = parseFrame(
      ['Event: BlindTransfer', 'Privilege: call,all', 'Result: Success', ...transferer, 'Extension: 2099', 'Context: agents', '', ''].join('\r\n'),
    ) as AmiEvent;
    const { state, changes } = reduce(before, blindTransfer, SERVER);
    expect(changes.map((change) => [change.kind, change.key])).toEqual([['UPDATED', caller.uniqueid]]);
    expect(state.channel.get(caller.uniqueid)).toEqual({ ...caller, connectedLineNum: '2099', connectedLineName: 'Front desk' });
  });

  it('takes every channel out of a bridge destroyed while they are still in it', () => {
    const steps = replay('answered-to-queue');
    const { state } = reduce(stateAt(steps, 102), variantOf(steps, 138, {}), SERVER);
    expect(state.bridge.has('b1521437-df4a-4fd0-ae20-3bcdd39a60c1')).toBe(false);
    expect([state.channel.get('1795294827.0')?.bridgeId, state.channel.get('1795294828.4')?.bridgeId]).toEqual([null, null]);
  });
});
