import { describe, expect, it } from 'vitest';
import { memberKey, type LiveState } from '../../src/live/state.js';
import { reduce } from '../../src/live/reducer.js';
import { resync } from '../../src/live/resync.js';
import { SERVER, changesOf, finalState, replay, stateAt, variantOf } from './replay.js';

describe('agents of app_agent_pool (agents-login-queue)', () => {
  const steps = replay('agents-login-queue');
  const alice = (line: number) => stateAt(steps, line).agent.get('1001');

  it('lists both agents logged off, with their names, before anyone logs in', () => {
    const state = stateAt(steps, 9);
    expect([...state.agent.values()].map((agent) => [agent.id, agent.name, agent.status])).toEqual([
      ['1001', 'Alice Agent', 'LOGGED_OFF'],
      ['1002', 'Bob Agent', 'LOGGED_OFF'],
    ]);
  });

  it('logs agent 1001 in on the ;2 leg of its agent-login Local channel, with the login time in whole seconds', () => {
    expect(alice(54)).toMatchObject({
      status: 'IDLE',
      loginTime: 1795312880000,
      channel: 'Local/1001@agent-login-00000000;2',
      channelUniqueid: '1795312879.1',
      talkingTo: null,
    });
  });

  it('agrees with the Agents list after login: the items change nothing (lines 60-61)', () => {
    expect(steps.filter((step) => step.line === 60 || step.line === 61).flatMap((step) => step.changes)).toEqual([]);
  });

  it('follows the Agent:1001 device, UNAVAILABLE for seconds after login, then NOT_INUSE', () => {
    expect(alice(62)?.deviceState).toBeNull();
    expect(alice(63)).toMatchObject({ deviceState: 'NOT_INUSE', wrapUp: false });
  });

  it('shows the queue call offered to agent 1001 while it rings, though AgentCalled names the agent-request channel', () => {
    expect(alice(121)).toMatchObject({
      status: 'IDLE',
      ringing: true,
      queue: 'helpdesk',
      callerChannel: 'Local/1004@customers-00000002;1',
      callerUniqueid: '1795312887.4',
    });
    expect(alice(131)).toMatchObject({ deviceState: 'INUSE', wrapUp: false });
  });

  it('is ON_CALL from the moment its session is bridged, talking to the agent-request ;2 leg', () => {
    expect(alice(137)?.status).toBe('IDLE');
    expect(alice(138)).toMatchObject({
      status: 'ON_CALL',
      talkingTo: 'Local/1001@agent-request-00000003;2',
      callStarted: 1795312888000,
      ringing: false,
      queue: 'helpdesk',
    });
    expect(alice(152)).toMatchObject({ status: 'ON_CALL', callerChannel: 'Local/1004@customers-00000002;1' });
  });

  it('reads the Agents item whose CallStarted line ends in a bare LF, and it agrees with the events (line 166)', () => {
    const step = steps.find((candidate) => candidate.line === 166);
    expect(step?.event).toMatchObject({ callstarted: '1795312888', loggedintime: '1795312880', status: 'AGENT_ONCALL' });
    expect(step?.changes).toEqual([]);
  });

  it('goes back to IDLE in wrap-up when the call completes, until its device is NOT_INUSE again', () => {
    expect(alice(179)).toMatchObject({ status: 'IDLE', talkingTo: null, queue: null, deviceState: 'INUSE', wrapUp: true });
    expect(alice(212)?.wrapUp).toBe(true);
    expect(alice(213)).toMatchObject({ status: 'IDLE', deviceState: 'NOT_INUSE', wrapUp: false });
  });

  it('took exactly one call: ON_CALL once for agent 1001, never for agent 1002', () => {
    const oncall = changesOf(steps, 'agent')
      .filter((change) => change.value.status === 'ON_CALL')
      .map((change) => change.key);
    expect(new Set(oncall)).toEqual(new Set(['1001']));
    const statuses = changesOf(steps, 'agent')
      .filter((change) => change.key === '1001')
      .map((change) => change.value.status)
      .filter((status, i, all) => status !== all[i - 1]);
    expect(statuses).toEqual(['LOGGED_OFF', 'IDLE', 'ON_CALL', 'IDLE', 'LOGGED_OFF']);
    expect(finalState(steps).queueMember.get(memberKey('helpdesk', 'Local/1001@agent-request/n'))?.callsTaken).toBe(1);
  });

  it('ends with both agents logged off, hard and soft, their devices UNAVAILABLE', () => {
    const state = finalState(steps);
    expect([...state.agent.values()].map((agent) => [agent.id, agent.status, agent.channel, agent.loginTime, agent.deviceState])).toEqual([
      ['1001', 'LOGGED_OFF', null, null, 'UNAVAILABLE'],
      ['1002', 'LOGGED_OFF', null, null, 'UNAVAILABLE'],
    ]);
    expect(changesOf(steps, 'agent').find((change) => change.key === '1002' && change.value.status === 'LOGGED_OFF' && change.line > 200)?.line).toBe(231);
  });
});

describe('an agent that does not answer (AgentRingNoAnswer, which no transcript shows)', () => {
  it('ends the offer: not ringing, no queue call', () => {
    const steps = replay('agents-login-queue');
    const noAnswer = variantOf(steps, 121, { event: 'AgentRingNoAnswer', ringtime: '5' });
    const { state } = reduce(stateAt(steps, 131), noAnswer, SERVER);
    expect(state.agent.get('1001')).toMatchObject({ status: 'IDLE', ringing: false, queue: null, callerChannel: null, wrapUp: true });
  });
});

describe('an agent offered a call it must acknowledge (agents-ackcall-accept)', () => {
  const steps = replay('agents-ackcall-accept');
  // Line 111: the offer rings (AgentCalled, Agent:1002 INUSE) until the agent presses # (line 129's BRIDGEPEER).
  const offering = stateAt(steps, 111);
  const listedIdle = variantOf(steps, 58, {});
  const bob = (state: LiveState) => state.agent.get('1002');

  it('is offered the call, not in wrap-up, while its device is INUSE and nobody has answered', () => {
    expect(bob(offering)).toMatchObject({ status: 'IDLE', ringing: true, wrapUp: false, deviceState: 'INUSE', queue: 'helpdesk', callerChannel: 'Local/1105@customers-00000001;1' });
  });

  it('stays offered when an Agents list says AGENT_IDLE meanwhile, as Asterisk lists a ringing agent', () => {
    expect(bob(reduce(offering, listedIdle, SERVER).state)).toMatchObject({ ringing: true, wrapUp: false, queue: 'helpdesk' });
  });

  it('stays offered through a resync whose queue still holds the caller, and not once the caller is gone', () => {
    const entry = variantOf(steps, 92, { event: 'QueueEntry', wait: '1', priority: '0' });
    const queueStatus = [variantOf(steps, 51, {}), variantOf(steps, 52, {}), variantOf(steps, 53, {})];
    const agents = [variantOf(steps, 57, {}), listedIdle];
    expect(bob(resync(offering, { agents, queueStatus: [...queueStatus, entry] }, SERVER, 1_796_497_758_000).state)).toMatchObject({ ringing: true, wrapUp: false });
    expect(bob(resync(offering, { agents, queueStatus }, SERVER, 1_796_497_758_000).state)).toMatchObject({ ringing: false, wrapUp: true, queue: null });
  });

  it('is in a call, for the queue too, from its acknowledgement to the AgentComplete, then in wrap-up with one call taken', () => {
    const member = (line: number) => stateAt(steps, line).queueMember.get(memberKey('helpdesk', 'Local/1002@agent-request/n'));
    expect(member(111)?.inCall).toBe(false);
    expect(member(143)?.inCall).toBe(true);
    expect(bob(stateAt(steps, 143))).toMatchObject({ status: 'ON_CALL', wrapUp: false });
    expect(member(168)).toMatchObject({ inCall: false, callsTaken: 1 });
    expect(bob(stateAt(steps, 168))).toMatchObject({ status: 'IDLE', wrapUp: true });
  });
});
