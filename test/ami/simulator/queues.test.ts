import { describe, expect, it } from 'vitest';
import { newChannel, ChannelState } from '../../../src/ami/simulator/model/channels.js';
import { type Simulator } from '../../../src/ami/simulator/index.js';
import { role } from './frames.js';
import type { RawClient } from './rawClient.js';
import { trail } from './trail.js';
import { useSimulatorSessions } from './sessions.js';

const sessions = useSimulatorSessions();

let current: Simulator | undefined;

async function loggedIn(speed = 20): Promise<RawClient> {
  const session = await sessions.loggedIn(speed);
  current = session.simulator;
  return session.client;
}

/** Sends one action and returns its response's Message. */
async function message(client: RawClient, fields: Record<string, string>): Promise<string> {
  client.send(fields);
  const frame = await client.response(fields.ActionID ?? '');
  return /\r\nMessage: (.*)\r\n/.exec(frame)?.[1] ?? '';
}

describe('queue administration errors, with app_queue messages', () => {
  it('QueueAdd needs Queue and Interface, a known queue and a new member', async () => {
    const client = await loggedIn();
    expect(await message(client, { Action: 'QueueAdd', Interface: 'Local/103@agents/n', ActionID: 'a1' })).toBe("'Queue' not specified.");
    expect(await message(client, { Action: 'QueueAdd', Queue: 'support', ActionID: 'a2' })).toBe("'Interface' not specified.");
    expect(await message(client, { Action: 'QueueAdd', Queue: 'nope', Interface: 'Local/103@agents/n', ActionID: 'a3' })).toBe('Unable to add interface to queue: No such queue');
    expect(await message(client, { Action: 'QueueAdd', Queue: 'sales', Interface: 'Local/101@agents/n', ActionID: 'a4' })).toBe('Unable to add interface: Already there');
  });

  it('QueueRemove refuses a static member, QueuePause an unknown interface', async () => {
    const client = await loggedIn();
    expect(await message(client, { Action: 'QueueRemove', Queue: 'sales', ActionID: 'r1' })).toBe("Need 'Queue' and 'Interface' parameters.");
    expect(await message(client, { Action: 'QueueRemove', Queue: 'sales', Interface: 'Local/101@agents/n', ActionID: 'r2' })).toBe('Member not dynamic');
    expect(await message(client, { Action: 'QueueRemove', Queue: 'nope', Interface: 'Local/101@agents/n', ActionID: 'r3' })).toBe('Unable to remove interface from queue: No such queue');
    expect(await message(client, { Action: 'QueuePause', Interface: 'Local/101@agents/n', ActionID: 'p1' })).toBe("Need 'Interface' and 'Paused' parameters.");
    expect(await message(client, { Action: 'QueuePause', Interface: 'Local/999@agents/n', Paused: 'true', ActionID: 'p2' })).toBe('Interface not found');
  });

  it('QueuePause without Queue pauses the member in its queue; QueueStatus and QueueSummary filter by Queue', async () => {
    const client = await loggedIn();
    expect(await message(client, { Action: 'QueuePause', Interface: 'Local/101@agents/n', Paused: 'yes', Reason: 'break', ActionID: 'p' })).toBe('Interface paused successfully');
    const paused = await client.frame((fields) => fields.get('Event') === 'QueueMemberPause');
    expect(paused).toContain('Queue: sales\r\nMemberName: Agent 101\r\n');
    expect(paused).toContain('Paused: 1\r\nPausedReason: break\r\nRinginuse: 0\r\n');
    client.send({ Action: 'QueueSummary', Queue: 'SALES', ActionID: 's' });
    const summary = await client.frame((fields) => fields.get('Event') === 'QueueSummary');
    expect(summary).toContain('Queue: sales\r\nLoggedIn: 2\r\nAvailable: 1\r\n');
    expect(await client.frame((fields) => fields.get('Event') === 'QueueSummaryComplete')).toContain('ListItems: 1\r\n');
    client.send({ Action: 'QueueStatus', Queue: 'sales', Member: 'Agent 101', ActionID: 'q' });
    expect(await client.frame((fields) => fields.get('Event') === 'QueueStatusComplete')).toContain('ListItems: 2\r\n');
    const member = await client.frame((fields) => fields.get('Event') === 'QueueMember');
    expect(member).toContain('Name: Agent 101\r\n');
    expect(member).toContain('Paused: 1\r\nPausedReason: break\r\n');
  });
});

describe('a member added without a state interface', () => {
  it("follows its own interface's device, named without the Local options, as app_queue matches it: in use, it is not free for another call", async () => {
    const client = await loggedIn();
    expect(await message(client, { Action: 'QueueAdd', Queue: 'sales', Interface: 'Local/103@agents/n', MemberName: 'Agent 103', ActionID: 'a' })).toBe('Added interface to queue');
    expect(await client.frame((fields) => fields.get('Event') === 'QueueMemberAdded')).toContain('Interface: Local/103@agents/n\r\nStateInterface: Local/103@agents/n\r\n');
    current?.pbx.devices.change('Local/103@agents', 'INUSE');
    const status = await client.frame((fields) => fields.get('Event') === 'QueueMemberStatus' && fields.get('Interface') === 'Local/103@agents/n');
    expect(status).toContain('Status: 2\r\nPaused: 0\r\n');
    client.send({ Action: 'QueueSummary', Queue: 'sales', ActionID: 's' });
    expect(await client.frame((fields) => fields.get('Event') === 'QueueSummary')).toContain('LoggedIn: 3\r\nAvailable: 2\r\n');
  });
});

describe('callers waiting in a queue', () => {
  it('join and leave send Queue:<name> RINGING / NOT_INUSE and QueueCallerJoin / QueueCallerLeave; lists count them', async () => {
    const client = await loggedIn();
    const pbx = current?.pbx;
    if (pbx === undefined) throw new Error('no simulator');
    const channel = newChannel('Local/1001@customers-00000000;1', '1795294827.0', '1795294827.0', { context: 'dest', exten: 'queue-sales', state: ChannelState.Up, createdAt: pbx.clock.now() });
    Object.assign(channel, { callerIdNum: '5550000', callerIdName: 'Campaign A' });
    const caller = pbx.queues.join('sales', channel, () => false);
    expect(caller).toBeDefined();
    expect(await client.frame((fields) => fields.get('Event') === 'QueueCallerJoin')).toContain('Exten: queue-sales\r\nPriority: 1\r\nUniqueid: 1795294827.0\r\nLinkedid: 1795294827.0\r\nQueue: sales\r\nPosition: 1\r\nCount: 1\r\n\r\n');
    expect(await client.frame((fields) => fields.get('Device') === 'Queue:sales')).toContain('State: RINGING\r\n');

    client.send({ Action: 'QueueStatus', Queue: 'sales', ActionID: 'q' });
    expect(await client.frame((fields) => fields.get('Event') === 'QueueStatusComplete')).toContain('ListItems: 4\r\n');
    expect(await client.frame((fields) => fields.get('Event') === 'QueueParams')).toContain('Calls: 1\r\n');
    expect(await client.frame((fields) => fields.get('Event') === 'QueueEntry')).toMatch(
      /^Event: QueueEntry\r\nQueue: sales\r\nPosition: 1\r\nChannel: Local\/1001@customers-00000000;1\r\nUniqueid: 1795294827.0\r\nCallerIDNum: 5550000\r\nCallerIDName: Campaign A\r\nConnectedLineNum: unknown\r\nConnectedLineName: unknown\r\nWait: \d+\r\nPriority: 0\r\nActionID: q\r\n\r\n$/,
    );
    client.send({ Action: 'QueueSummary', Queue: 'sales', ActionID: 's' });
    expect(await client.frame((fields) => fields.get('Event') === 'QueueSummary')).toContain('Callers: 1\r\n');

    if (caller !== undefined) pbx.queues.leave('sales', caller);
    expect(await client.frame((fields) => fields.get('Event') === 'QueueCallerLeave')).toContain('Queue: sales\r\nPosition: 1\r\nCount: 0\r\n\r\n');
    expect(await client.frame((fields) => fields.get('Device') === 'Queue:sales' && fields.get('State') === 'NOT_INUSE')).toBeTruthy();
    client.send({ Action: 'QueueSummary', Queue: 'sales', ActionID: 's2' });
    expect(await client.frame((fields) => fields.get('Event') === 'QueueSummary' && fields.get('ActionID') === 's2')).toContain('Callers: 0\r\n');
  });
});

describe('an Originate into dest,queue-sales', () => {
  // The agent's 5 s run from half a second after the bridge: 5.5 s, TalkTime 5 by the epoch seconds where the clock starts.
  it('a 6XXX customer outlasts the agent: AgentComplete Reason agent, every leg hangs up, the member is free again', async () => {
    const { client, clock } = await sessions.loggedInOnClock();
    const next = (matches: (fields: Map<string, string>) => boolean) => client.frameOnClock(clock, matches);
    client.send({ Action: 'Originate', Channel: 'Local/6001@customers', Context: 'dest', Exten: 'queue-sales', Priority: '1', Async: 'true', ActionID: 'o' });
    expect(await next((fields) => fields.get('Event') === 'OriginateResponse')).toContain('Response: Success\r\n');
    expect(await next((fields) => fields.get('Event') === 'AgentConnect')).toContain('Queue: sales\r\nInterface: Local/102@agents/n\r\nMemberName: Agent 102\r\nHoldTime: 0\r\nRingTime: 0\r\n');
    expect(await next((fields) => fields.get('Event') === 'AgentComplete')).toMatch(/TalkTime: 5\r\nReason: agent\r\n\r\n$/);
    await next((fields) => fields.get('Event') === 'Hangup' && fields.get('Channel')?.startsWith('Local/6001@customers-') === true && fields.get('Channel')?.endsWith(';2') === true);
    client.send({ Action: 'CoreShowChannels', ActionID: 'c' });
    expect(await client.frame((fields) => fields.get('Event') === 'CoreShowChannelsComplete')).toContain('ListItems: 0\r\n');
    client.send({ Action: 'QueueStatus', Queue: 'sales', Member: 'Agent 102', ActionID: 'q' });
    const member = await client.frame((fields) => fields.get('Event') === 'QueueMember');
    expect(member).toContain('CallsTaken: 1\r\n');
    expect(member).toContain('InCall: 0\r\nStatus: 1\r\n');
    expect(await client.frame((fields) => fields.get('Event') === 'QueueParams')).toMatch(/TalkTime: 5\r\nCompleted: 1\r\n/);
  });

  it('a Hangup action on the answering agent ends the whole call', async () => {
    const client = await loggedIn();
    client.send({ Action: 'Originate', Channel: 'Local/6002@customers', Context: 'dest', Exten: 'queue-sales', Priority: '1', Async: 'true', ActionID: 'o' });
    const connect = await client.frame((fields) => fields.get('Event') === 'AgentConnect');
    const agent = /\r\nDestChannel: (.+)\r\n/.exec(connect)?.[1] ?? '';
    client.send({ Action: 'Hangup', Channel: agent, ActionID: 'h' });
    expect(await client.response('h')).toContain('Message: Channel Hungup\r\n');
    expect(await client.frame((fields) => fields.get('Event') === 'AgentComplete')).toContain('Reason: agent\r\n');
    client.send({ Action: 'CoreShowChannels', ActionID: 'c' });
    expect(await client.frame((fields) => fields.get('Event') === 'CoreShowChannelsComplete')).toContain('ListItems: 0\r\n');
  });
});

describe('a caller with no member to ring', () => {
  it('a 1XXX customer who hangs up while waiting: QueueCallerAbandon, then QueueCallerLeave', async () => {
    const { client, clock } = await sessions.loggedInOnClock();
    const next = (matches: (fields: Map<string, string>) => boolean) => client.frameOnClock(clock, matches);
    for (const agent of ['101', '102']) {
      client.send({ Action: 'QueuePause', Queue: 'sales', Interface: `Local/${agent}@agents/n`, Paused: 'true', ActionID: `p${agent}` });
      await client.response(`p${agent}`);
    }
    client.send({ Action: 'Originate', Channel: 'Local/1003@customers', Context: 'dest', Exten: 'queue-sales', Async: 'true', ActionID: 'o' });
    expect(await next((fields) => fields.get('Event') === 'QueueCallerJoin')).toContain('Queue: sales\r\nPosition: 1\r\nCount: 1\r\n');
    // It talks 4.5 s after its answer, the join: 4 whole seconds where the clock starts.
    expect(await next((fields) => fields.get('Event') === 'QueueCallerAbandon')).toMatch(/Queue: sales\r\nPosition: 1\r\nOriginalPosition: 1\r\nHoldTime: 4\r\n\r\n$/);
    expect(await next((fields) => fields.get('Event') === 'QueueCallerLeave')).toContain('Count: 0\r\n');
    expect(client.frames.some((frame) => frame.startsWith('Event: AgentCalled\r\n'))).toBe(false);
    await next((fields) => fields.get('Event') === 'Hangup' && role(fields.get('Channel') ?? '') === 'Local/1003@customers;1');
    // As Queue() returns (queue_exec's stop:, record_abandoned, leave_queue), all before the caller's ;1 goes.
    const ending = trail(client.frames, 'Local/1003@customers;1');
    expect(ending.slice(ending.indexOf('HangupRequest 16'))).toEqual([
      'HangupRequest 16', 'VarSet QUEUEWAIT', 'VarSet QUEUEWAIT_MS', 'VarSet DIALEDTIME', 'VarSet DIALEDTIME_MS', 'VarSet ANSWEREDTIME', 'VarSet ANSWEREDTIME_MS',
      'VarSet ABANDONED', 'QueueCallerAbandon', 'QueueCallerLeave sales', 'VarSet QUEUEPOSITION', 'SoftHangupRequest 16', 'Hangup 16',
    ]);
    const value = (name: string) => /\r\nValue: (.*)\r\n/.exec(client.frames.find((frame) => frame.includes(`\r\nVariable: ${name}\r\n`) && frame.includes('Local/1003@customers-') && !frame.includes('Value: \r\n')) ?? '')?.[1];
    expect(['QUEUEWAIT', 'QUEUEWAIT_MS', 'ANSWEREDTIME', 'ANSWEREDTIME_MS', 'ABANDONED', 'QUEUEPOSITION'].map(value)).toEqual(['4', '4000', '0', '0', 'TRUE', '1']);
  });
});
