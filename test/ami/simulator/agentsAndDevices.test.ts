import { describe, expect, it } from 'vitest';
import type { RawClient } from './rawClient.js';
import { useSimulatorSessions } from './sessions.js';

const sessions = useSimulatorSessions();

const loggedIn = async (): Promise<RawClient> => (await sessions.loggedIn(20)).client;

const itemsOf = (client: RawClient, actionId: string) => client.frames.filter((frame) => frame.startsWith('Event: ') && frame.includes(`\r\nActionID: ${actionId}\r\n`));

describe('Agents and AgentLogoff', () => {
  it('lists both agents of agents.conf as AGENT_LOGGEDOFF before anyone logs in', async () => {
    const client = await loggedIn();
    client.send({ Action: 'Agents', ActionID: 'a' });
    await client.frame((fields) => fields.get('Event') === 'AgentsComplete');
    expect(itemsOf(client, 'a')).toEqual([
      'Event: Agents\r\nAgent: 1001\r\nName: Alice Agent\r\nStatus: AGENT_LOGGEDOFF\r\nActionID: a\r\n\r\n',
      'Event: Agents\r\nAgent: 1002\r\nName: Bob Agent\r\nStatus: AGENT_LOGGEDOFF\r\nActionID: a\r\n\r\n',
      'Event: AgentsComplete\r\nActionID: a\r\nEventList: Complete\r\nListItems: 2\r\n\r\n',
    ]);
  });

  it('answers No agent specified and No such agent, and "logs out" a known agent that is not logged in', async () => {
    const client = await loggedIn();
    client.send({ Action: 'AgentLogoff', ActionID: 'none' });
    expect(await client.response('none')).toBe('Response: Error\r\nActionID: none\r\nMessage: No agent specified\r\n\r\n');
    client.send({ Action: 'AgentLogoff', Agent: '1003', ActionID: 'unknown' });
    expect(await client.response('unknown')).toBe('Response: Error\r\nActionID: unknown\r\nMessage: No such agent\r\n\r\n');
    client.send({ Action: 'AgentLogoff', Agent: '1002', ActionID: 'idle' });
    expect(await client.response('idle')).toBe('Response: Success\r\nActionID: idle\r\nMessage: Agent logged out\r\n\r\n');
  });

  it('logs an agent in through the agent-login originate and out again when its login channel is hung up', async () => {
    const client = await loggedIn();
    client.send({ Action: 'Originate', Channel: 'Local/1001@agent-login/n', Application: 'Wait', Data: '120', CallerID: '"Alice Agent" <1001>', Async: 'true', ActionID: 'o' });
    const login = await client.frame((fields) => fields.get('Event') === 'AgentLogin');
    const channel = /\r\nChannel: (.*)\r\n/.exec(login)?.[1] ?? '';
    expect(channel).toMatch(/^Local\/1001@agent-login-[0-9a-f]{8};2$/);
    await client.frame((fields) => fields.get('Device') === 'Agent:1001' && fields.get('State') === 'NOT_INUSE');
    client.send({ Action: 'Hangup', Channel: channel, ActionID: 'h' });
    const logoff = await client.frame((fields) => fields.get('Event') === 'AgentLogoff');
    expect(logoff).toContain('\r\nAgent: 1001\r\nLogintime: ');
    await client.frame((fields) => fields.get('Event') === 'ExtensionStatus' && fields.get('Exten') === '1001' && fields.get('Status') === '4');
  });
});

describe('device and extension states', () => {
  it('answers ExtensionState for a hint, and Status -1 where there is none', async () => {
    const client = await loggedIn();
    client.send({ Action: 'ExtensionState', Exten: '202', Context: 'hints', ActionID: 'h' });
    expect(await client.response('h')).toBe('Response: Success\r\nActionID: h\r\nMessage: Extension Status\r\nExten: 202\r\nContext: hints\r\nHint: Local/1202@customers\r\nStatus: 4\r\nStatusText: Unavailable\r\n\r\n');
    client.send({ Action: 'ExtensionState', Exten: '999', ActionID: 'n' });
    expect(await client.response('n')).toContain('Exten: 999\r\nContext: default\r\nHint: \r\nStatus: -1\r\nStatusText: Unknown\r\n');
    client.send({ Action: 'ExtensionState', ActionID: 'e' });
    expect(await client.response('e')).toContain('Message: Extension not specified');
  });

  it('lists a Custom device once set, and sends nothing when it is set to the state it has', async () => {
    const client = await loggedIn();
    client.send({ Action: 'Command', Command: 'devstate change Custom:desk9 BUSY', ActionID: 'c1' });
    expect(await client.response('c1')).toContain('Output: Changing desk9 to BUSY');
    client.send({ Action: 'Command', Command: 'devstate change Custom:desk9 BUSY', ActionID: 'c2' });
    await client.response('c2');
    client.send({ Action: 'DeviceStateList', ActionID: 'l' });
    await client.frame((fields) => fields.get('Event') === 'DeviceStateListComplete');
    expect(itemsOf(client, 'l').filter((frame) => frame.includes('Device: Custom:desk9\r\nState: BUSY'))).toHaveLength(1);
    expect(client.frames.filter((frame) => frame.startsWith('Event: DeviceStateChange\r\nPrivilege') && frame.includes('Custom:desk9'))).toHaveLength(1);
  });

  it('refuses devstate change on a device that is not Custom:', async () => {
    const client = await loggedIn();
    client.send({ Action: 'Command', Command: 'devstate change PJSIP/2001 INUSE', ActionID: 'c' });
    expect(await client.response('c')).toBe("Response: Error\r\nActionID: c\r\nMessage: Command output follows\r\nOutput: The devstate command can only be used to set 'Custom:' device state!\r\n\r\n");
  });
});

describe('an agent who acknowledges calls and does not', () => {
  /** Agent 1002 logged in with AGENTACKCALL=yes, ready; returns its login channel's ;1 (where PlayDTMF goes). */
  async function acknowledgingAgent(client: RawClient, next: (matches: (fields: Map<string, string>) => boolean) => Promise<string>): Promise<string> {
    client.sendLines([['Action', 'Originate'], ['Channel', 'Local/1002@agent-login/n'], ['Application', 'Wait'], ['Data', '120'], ['CallerID', '"Bob Agent" <1002>'], ['Variable', 'AGENTACKCALL=yes'], ['Async', 'true'], ['ActionID', 'login']]);
    const login = await next((fields) => fields.get('Event') === 'AgentLogin');
    await next((fields) => fields.get('Device') === 'Agent:1002' && fields.get('State') === 'NOT_INUSE');
    return (/\r\nChannel: (.*)\r\n/.exec(login)?.[1] ?? '').replace(/;2$/, ';1');
  }

  const event = (name: string) => (fields: Map<string, string>) => fields.get('Event') === name;
  const count = (client: RawClient, name: string) => client.frames.filter((frame) => frame.startsWith(`Event: ${name}\r\n`)).length;

  it("rings out unacknowledged after the member's 5 s (AgentRingNoAnswer, DialEnd NOANSWER then CANCEL), is rung again after the 1 s retry, and takes it with #", async () => {
    const { client, clock } = await sessions.loggedInOnClock();
    const next = (matches: (fields: Map<string, string>) => boolean) => client.frameOnClock(clock, matches);
    const loginOne = await acknowledgingAgent(client, next);
    client.send({ Action: 'Originate', Channel: 'Local/6105@customers', Context: 'dest-agents', Exten: 'queue-helpdesk', Priority: '1', Async: 'true', ActionID: 'call' });
    await next(event('AgentCalled'));
    expect(await next(event('AgentRingNoAnswer'))).toContain('Queue: helpdesk\r\nInterface: Local/1002@agent-request/n\r\nMemberName: Agent 1002\r\nRingTime: 5000\r\n');
    const ends = client.frames.filter((frame) => frame.startsWith('Event: DialEnd\r\n') && frame.includes('DestChannel: Local/1002@agent-request-'));
    expect(ends.map((frame) => /\r\nDialStatus: (\w+)\r\n/.exec(frame)?.[1])).toEqual(['NOANSWER', 'CANCEL']);
    expect(count(client, 'AgentComplete')).toBe(0);
    await next((fields) => fields.get('Event') === 'AgentCalled' && count(client, 'AgentCalled') === 2);
    client.send({ Action: 'PlayDTMF', Channel: loginOne, Digit: '#', Duration: '200', ActionID: 'ack' });
    expect(await next(event('AgentConnect'))).toContain('Interface: Local/1002@agent-request/n\r\n');
    expect(count(client, 'QueueCallerAbandon')).toBe(0);
  });

  it('a caller who hangs up while the offer rings is abandoned: the offer is cancelled, and no AgentComplete is sent', async () => {
    const { client, clock } = await sessions.loggedInOnClock();
    const next = (matches: (fields: Map<string, string>) => boolean) => client.frameOnClock(clock, matches);
    await acknowledgingAgent(client, next);
    client.send({ Action: 'Originate', Channel: 'Local/6106@customers', Context: 'dest-agents', Exten: 'queue-helpdesk', Priority: '1', Async: 'true', ActionID: 'call' });
    const called = await next(event('AgentCalled'));
    const customer = /\r\nChannel: (.*)\r\n/.exec(called)?.[1] ?? '';
    client.send({ Action: 'Hangup', Channel: customer, ActionID: 'h' });
    await next(event('QueueCallerAbandon'));
    const ends = client.frames.filter((frame) => frame.startsWith('Event: DialEnd\r\n') && frame.includes('DestChannel: Local/1002@agent-request-'));
    expect(ends.map((frame) => /\r\nDialStatus: (\w+)\r\n/.exec(frame)?.[1])).toEqual(['CANCEL']);
    expect(count(client, 'AgentComplete')).toBe(0);
    // The agent is ready again: its device back to NOT_INUSE after the offer's INUSE.
    const agentStates = client.frames.filter((frame) => frame.startsWith('Event: DeviceStateChange\r\n') && frame.includes('Device: Agent:1002\r\n'));
    expect(agentStates.map((frame) => /\r\nState: (\w+)\r\n/.exec(frame)?.[1]).slice(-2)).toEqual(['INUSE', 'NOT_INUSE']);
  });
});
