import { describe, expect, it } from 'vitest';
import type { TranscriptName } from '../../support/transcripts.js';
import { pairs, role, summarize } from './frames.js';
import { applicationFields, asApplicationOriginate, type AsApplication } from './asApplication.js';
import type { RawClient } from './rawClient.js';
import { useSimulatorSessions, type Clocked } from './sessions.js';
import { replayOnClock, transcriptReceived } from './replay.js';
import { winnerAgnostic } from './ringallWinner.js';
import { trail } from './trail.js';

const sessions = useSimulatorSessions();

const { startOnClock } = sessions;
const loggedIn = async (speed = 20): Promise<RawClient> => (await sessions.loggedIn(speed)).client;

/** Replays a recording with its Originate rewritten; the streams of the simulator and of the recording as it would then be. */
async function replayAsApplication({ simulator, clock }: Clocked, name: TranscriptName, target: AsApplication) {
  const simulated = await replayOnClock(name, simulator.port, clock, () => true, (frame) => (frame.startsWith('Action: Originate\r\n') ? applicationFields(frame, target) : frame));
  const real = transcriptReceived(name);
  return { simulated: summarize(simulated.frames), real: summarize(asApplicationOriginate(real.frames, target)), frames: simulated.frames };
}

/** The Newexten and SoftHangupRequest events of a customer's ;1: what the dialplan would add to an application's run. */
function dialplanOnOne(frames: readonly string[], number: string): string[] {
  return trail(frames, `Local/${number}@customers;1`).filter((event) => /^(Newexten|SoftHangupRequest) /.test(event));
}

/** Waits for `channel`'s Hangup, then a Ping: whatever was sent in the same moment has arrived before its answer. */
async function hungUp(client: RawClient, channel: string): Promise<void> {
  await client.frame((fields) => fields.get('Event') === 'Hangup' && role(fields.get('Channel') ?? '') === channel);
  client.send({ Action: 'Ping', ActionID: `ping ${channel}` });
  await client.response(`ping ${channel}`);
}

async function originateResponse(client: RawClient, actionId: string): Promise<Map<string, string>> {
  return new Map(pairs(await client.frame((fields) => fields.get('Event') === 'OriginateResponse' && fields.get('ActionID') === actionId)));
}

/** Every event along ;1 (its OriginateResponse aside) shows it where its Local channel put it: the customer's context and number, priority 1. */
function staysAtCustomer(frames: readonly string[], number: string): boolean {
  const along = frames.filter((frame) => !frame.includes('\r\nActionID: ') && role(new Map(pairs(frame)).get('Channel') ?? '') === `Local/${number}@customers;1`);
  return along.length > 0 && along.every((frame) => frame.includes(`\r\nContext: customers\r\nExten: ${number}\r\nPriority: 1\r\n`));
}

const CALLER_ID = '"Campaign A" <5550000>';

describe('the recorded calls, originated with Application and Data instead of an extension', () => {
  it('answered-to-queue as Application: Queue, Data: sales,,,,60: the same queue call, ;1 at customers,1001', async () => {
    const target = { number: '1001', context: 'dest', exten: 'queue-sales', application: 'Queue', data: 'sales,,,,60' };
    const { simulated, real, frames } = await replayAsApplication(await startOnClock(), 'answered-to-queue', target);
    expect(winnerAgnostic(simulated)).toEqual(winnerAgnostic(real));
    expect(dialplanOnOne(frames, '1001')).toEqual(['Newexten AppDial2']);
    expect(simulated['originate rec-3']?.[0]).toContain('Response=Success | Channel=Local/1001@customers;1 | Application=Queue | Reason=4');
  });

  it('agents-login-queue as Application: Queue, Data: helpdesk,,,,60: agent 1001 through AgentRequest', async () => {
    const target = { number: '1004', context: 'dest-agents', exten: 'queue-helpdesk', application: 'Queue', data: 'helpdesk,,,,60' };
    const { simulated, real, frames } = await replayAsApplication(await startOnClock(), 'agents-login-queue', target);
    expect(simulated).toEqual(real);
    expect(dialplanOnOne(frames, '1004')).toEqual(['Newexten AppDial2']);
  });

  it('park-then-hangup and answered-to-park as Application: Park, Data: default, on one simulator as recorded', async () => {
    const simulator = await startOnClock();
    const gaveUp = await replayAsApplication(simulator, 'park-then-hangup', { number: '7002', context: 'dest', exten: 'park', application: 'Park', data: 'default' });
    expect(gaveUp.simulated).toEqual(gaveUp.real);
    expect(dialplanOnOne(gaveUp.frames, '7002')).toEqual(['Newexten AppDial2']);
    const timedOut = await replayAsApplication(simulator, 'answered-to-park', { number: '6001', context: 'dest', exten: 'park', application: 'Park', data: 'default' });
    expect(timedOut.simulated).toEqual(timedOut.real);
    // The async goto into parked-timeout,s,1 still shows, but nothing runs there.
    expect(dialplanOnOne(timedOut.frames, '6001')).toEqual(['Newexten AppDial2', 'Newexten Park']);
  });
});

describe('Originate of a customer to Application: Queue', () => {
  it('a 1XXX customer: Queue(sales) runs on ;1 with no Newexten, ;1 hangs up with no SoftHangupRequest', async () => {
    const client = await loggedIn();
    client.send({ Action: 'Originate', Channel: 'Local/1001@customers', Application: 'Queue', Data: 'sales', CallerID: CALLER_ID, Async: 'true', ActionID: 'o' });
    expect(await client.response('o')).toContain('Message: Originate successfully queued\r\n');
    const response = await originateResponse(client, 'o');
    expect([...response].slice(4, 9)).toEqual([['Response', 'Success'], ['Channel', response.get('Channel')], ['Application', 'Queue'], ['Data', 'sales'], ['Reason', '4']]);
    await hungUp(client, 'Local/1001@customers;1');
    expect(trail(client.frames, 'Local/1001@customers;1')).toEqual([
      'Newchannel', 'Newexten AppDial2', 'NewCallerid', 'NewConnectedLine', 'Newstate Ringing', 'Newstate Up',
      'VarSet ANSWEREDTIME', 'VarSet ANSWEREDTIME_MS', 'VarSet DIALEDTIME', 'VarSet DIALEDTIME_MS', 'VarSet QUEUEWAIT', 'VarSet QUEUEWAIT_MS',
      'QueueCallerJoin sales', 'AgentCalled sales', 'DialBegin', 'AgentCalled sales', 'DialBegin', 'DialEnd ANSWER', 'DialEnd CANCEL', 'DialEnd CANCEL',
      'QueueCallerLeave sales', 'VarSet QUEUEPOSITION', 'VarSet QUEUEWAIT', 'VarSet QUEUEWAIT_MS', 'AgentConnect sales', 'BridgeEnter', 'VarSet BRIDGEPEER',
      'HangupRequest 16', 'VarSet BRIDGEPEER', 'BridgeLeave', 'VarSet ANSWEREDTIME', 'VarSet ANSWEREDTIME_MS', 'VarSet DIALEDTIME', 'VarSet DIALEDTIME_MS',
      'AgentComplete caller', 'Hangup 16',
    ]);
    expect(trail(client.frames, 'Local/1001@customers;2')).toEqual([
      'Newchannel', 'NewCallerid', 'NewConnectedLine', 'Newexten Ringing', 'Newexten Wait', 'Newexten Answer', 'Newstate Up', 'Newexten Wait', 'Newexten Hangup', 'SoftHangupRequest 16', 'Hangup 16',
    ]);
    expect(staysAtCustomer(client.frames, '1001')).toBe(true);
  });

  it('shows ;1 running Queue with the Data given in CoreShowChannels, its agent leg at the customer number', async () => {
    const client = await loggedIn();
    client.send({ Action: 'Originate', Channel: 'Local/6003@customers', Application: 'Queue', Data: 'sales,,,,60', Async: 'true', ActionID: 'o' });
    await client.frame((fields) => fields.get('Event') === 'AgentConnect');
    client.send({ Action: 'CoreShowChannels', ActionID: 'c' });
    await client.frame((fields) => fields.get('Event') === 'CoreShowChannelsComplete');
    const items = client.frames.filter((frame) => frame.startsWith('Event: CoreShowChannel\r\n')).map((frame) => new Map(pairs(frame)));
    const one = items.find((item) => role(item.get('Channel') ?? '') === 'Local/6003@customers;1');
    expect([one?.get('Context'), one?.get('Exten'), one?.get('Application'), one?.get('ApplicationData')]).toEqual(['customers', '6003', 'Queue', 'sales,,,,60']);
    const agent = items.find((item) => /^Local\/10[12]@agents-[0-9a-f]{8};1$/.test(item.get('Channel') ?? ''));
    expect([agent?.get('Context'), agent?.get('Exten'), agent?.get('Application')]).toEqual(['agents', '6003', 'AppQueue']);
  });

  it('a 5XXX customer sends its UserEvents on ;2 while ;1 is queued, then hangs up: AgentComplete Reason caller', async () => {
    const client = await loggedIn();
    client.send({ Action: 'Originate', Channel: 'Local/5001@customers', Application: 'Queue', Data: 'sales', Async: 'true', ActionID: 'o' });
    await hungUp(client, 'Local/5001@customers;1');
    expect(trail(client.frames, 'Local/5001@customers;2')).toEqual([
      'Newchannel', 'Newexten Answer', 'Newstate Up', 'Newexten Wait', 'Newexten UserEvent', 'UserEvent CALLSTATUS', 'Newexten UserEvent', 'UserEvent ATTRIBUTE',
      'Newexten UserEvent', 'UserEvent ATTR_APPEND', 'Newexten Wait', 'Newexten Hangup', 'SoftHangupRequest 16', 'Hangup 16',
    ]);
    expect(trail(client.frames, 'Local/5001@customers;1').slice(-9)).toEqual([
      'HangupRequest 16', 'VarSet BRIDGEPEER', 'BridgeLeave', 'VarSet ANSWEREDTIME', 'VarSet ANSWEREDTIME_MS', 'VarSet DIALEDTIME', 'VarSet DIALEDTIME_MS', 'AgentComplete caller', 'Hangup 16',
    ]);
  });

  it('a 6XXX customer outlasts the agent: Queue() returns, ;1 is hung up with no SoftHangupRequest, ;2 is asked to follow', async () => {
    const client = await loggedIn();
    client.send({ Action: 'Originate', Channel: 'Local/6001@customers', Application: 'Queue', Data: 'sales', Async: 'true', ActionID: 'o' });
    await hungUp(client, 'Local/6001@customers;2');
    expect(trail(client.frames, 'Local/6001@customers;1').slice(-8)).toEqual([
      'VarSet BRIDGEPEER', 'BridgeLeave', 'VarSet ANSWEREDTIME', 'VarSet ANSWEREDTIME_MS', 'VarSet DIALEDTIME', 'VarSet DIALEDTIME_MS', 'AgentComplete agent', 'Hangup 16',
    ]);
    expect(trail(client.frames, 'Local/6001@customers;2').slice(-3)).toEqual(['HangupRequest 16', 'SoftHangupRequest 16', 'Hangup 16']);
    expect(trail(client.frames, 'Local/6001@customers;1')).not.toContain('SoftHangupRequest 16');
  });

  it('Queue(helpdesk) reaches a logged-in agent through AgentRequest, as the dest-agents destination does', async () => {
    const client = await loggedIn();
    client.send({ Action: 'Originate', Channel: 'Local/1001@agent-login/n', Application: 'Wait', Data: '120', CallerID: '"Alice Agent" <1001>', Async: 'true', ActionID: 'login' });
    await client.frame((fields) => fields.get('Device') === 'Agent:1001' && fields.get('State') === 'NOT_INUSE');
    client.send({ Action: 'Originate', Channel: 'Local/1005@customers', Application: 'Queue', Data: 'helpdesk', CallerID: CALLER_ID, Async: 'true', ActionID: 'o' });
    const connect = new Map(pairs(await client.frame((fields) => fields.get('Event') === 'AgentConnect')));
    expect([connect.get('Queue'), connect.get('Interface'), connect.get('MemberName'), connect.get('Exten')]).toEqual(['helpdesk', 'Local/1001@agent-request/n', 'Agent 1001', '1005']);
    await hungUp(client, 'Local/1005@customers;1');
    const one = trail(client.frames, 'Local/1005@customers;1');
    expect(one.filter((event) => /^(Newexten|Queue|Agent|SoftHangup|Hangup)/.test(event))).toEqual([
      'Newexten AppDial2', 'QueueCallerJoin helpdesk', 'AgentCalled helpdesk', 'QueueCallerLeave helpdesk', 'AgentConnect helpdesk', 'HangupRequest 16', 'AgentComplete caller', 'Hangup 16',
    ]);
    expect(trail(client.frames, 'Local/1005@customers;2').slice(-3)).toEqual(['Newexten Hangup', 'SoftHangupRequest 16', 'Hangup 16']);
    expect(staysAtCustomer(client.frames, '1005')).toBe(true);
  });
});

describe('Originate of a customer to Application: Park', () => {
  it('a 7XXX customer parks in 701 at customers,7001 and gives up: ParkedCallGiveUp after the customer hangs up', async () => {
    const client = await loggedIn();
    client.send({ Action: 'Originate', Channel: 'Local/7001@customers', Application: 'Park', Data: 'default', CallerID: CALLER_ID, Async: 'true', ActionID: 'o' });
    const response = await originateResponse(client, 'o');
    expect([response.get('Application'), response.get('Data'), response.get('Reason')]).toEqual(['Park', 'default', '4']);
    await hungUp(client, 'Local/7001@customers;1');
    expect(trail(client.frames, 'Local/7001@customers;1')).toEqual([
      'Newchannel', 'Newexten AppDial2', 'NewCallerid', 'NewConnectedLine', 'Newstate Up', 'ParkedCall 701', 'BridgeEnter', 'HangupRequest 16', 'ParkedCallGiveUp 701', 'BridgeLeave', 'Hangup 16',
    ]);
    expect(trail(client.frames, 'Local/7001@customers;2')).toEqual([
      'Newchannel', 'NewCallerid', 'NewConnectedLine', 'Newexten Answer', 'Newstate Up', 'Newexten Wait', 'Newexten Hangup', 'SoftHangupRequest 16', 'Hangup 16',
    ]);
    const parked = new Map(pairs(await client.frame((fields) => fields.get('Event') === 'ParkedCall')));
    expect([parked.get('ParkeeContext'), parked.get('ParkeeExten'), parked.get('ParkeePriority'), parked.get('ParkerDialString'), parked.get('Parkinglot')]).toEqual([
      'customers', '7001', '1', 'Local/7001@customers', 'default',
    ]);
  });

  it('a 6XXX customer outstays the lot: ParkedCallTimeOut, ;1 shows parked-timeout,s,1 and is hung up with no SoftHangupRequest', async () => {
    const client = await loggedIn();
    client.send({ Action: 'Originate', Channel: 'Local/6002@customers', Application: 'Park', Data: '', Async: 'true', ActionID: 'o' });
    await hungUp(client, 'Local/6002@customers;2');
    expect(trail(client.frames, 'Local/6002@customers;1')).toEqual([
      'Newchannel', 'Newexten AppDial2', 'Newstate Ringing', 'Newstate Up', 'ParkedCall 701', 'BridgeEnter',
      'VarSet PARKING_SPACE', 'VarSet PARKEDLOT', 'VarSet PARKER', 'VarSet PARKER_FLAT', 'VarSet BRIDGE_FEATURES', 'BridgeLeave', 'ParkedCallTimeOut 701', 'Newexten Park', 'Hangup 16',
    ]);
    expect(trail(client.frames, 'Local/6002@customers;2').slice(-3)).toEqual(['HangupRequest 16', 'SoftHangupRequest 16', 'Hangup 16']);
    const comeback = new Map(pairs(await client.frame((fields) => fields.get('Event') === 'Newexten' && fields.get('Application') === 'Park')));
    expect([comeback.get('Context'), comeback.get('Exten'), comeback.get('Priority'), comeback.get('AppData')]).toEqual(['parked-timeout', 's', '1', '']);
  });
});

describe('customers who do not answer, with an application Originate', () => {
  const outcomes = [
    { number: '2001', outcome: 'busy', reason: '5', causeTwo: '17', causeOne: '0' },
    { number: '3001', outcome: 'no answer', reason: '3', causeTwo: '19', causeOne: '19' },
    { number: '4001', outcome: 'congestion', reason: '8', causeTwo: '34', causeOne: '0' },
    { number: '9001', outcome: 'unallocated', reason: '0', causeTwo: '1', causeOne: '1' },
  ];
  for (const { number, outcome, reason, causeTwo, causeOne } of outcomes) {
    for (const [application, data] of [['Queue', 'sales'], ['Park', 'default']] as const) {
      it(`${number} (${outcome}) to ${application}: OriginateResponse Failure with Application and Data, Reason ${reason}, Cause ${causeTwo} on ;2`, async () => {
        const client = await loggedIn();
        client.send({ Action: 'Originate', Channel: `Local/${number}@customers`, Application: application, Data: data, Timeout: '2000', Async: 'true', ActionID: 'o' });
        const response = await originateResponse(client, 'o');
        expect([...response].slice(4)).toEqual([
          ['Response', 'Failure'], ['Channel', `Local/${number}@customers`], ['Application', application], ['Data', data], ['Reason', reason],
          ['Uniqueid', '<unknown>'], ['CallerIDNum', '<unknown>'], ['CallerIDName', '<unknown>'],
        ]);
        await hungUp(client, `Local/${number}@customers;1`);
        await hungUp(client, `Local/${number}@customers;2`);
        expect(trail(client.frames, `Local/${number}@customers;2`).at(-1)).toBe(`Hangup ${causeTwo}`);
        expect(trail(client.frames, `Local/${number}@customers;1`).at(-1)).toBe(`Hangup ${causeOne}`);
        expect(client.frames.some((frame) => /^Event: (QueueCallerJoin|ParkedCall)\r\n/.test(frame))).toBe(false);
      });
    }
  }
});

describe('ChannelId and OtherChannelId with an application Originate', () => {
  it('fix both legs\' Uniqueids, which OriginateResponse carries', async () => {
    const client = await loggedIn();
    const channelId = '6f1c2f4e-0b7a-4c1e-9a54-1d2e3f4a5b6d';
    const otherChannelId = '6f1c2f4e-0b7a-4c1e-9a54-1d2e3f4a5b6e';
    client.send({ Action: 'Originate', Channel: 'Local/1002@customers', Application: 'Queue', Data: 'sales', ChannelId: channelId, OtherChannelId: otherChannelId, Async: 'true', ActionID: 'o' });
    expect((await originateResponse(client, 'o')).get('Uniqueid')).toBe(channelId);
    const join = new Map(pairs(await client.frame((fields) => fields.get('Event') === 'QueueCallerJoin')));
    expect([join.get('Uniqueid'), join.get('Linkedid')]).toEqual([channelId, channelId]);
    const two = new Map(pairs(await client.frame((fields) => fields.get('Event') === 'Newchannel' && fields.get('Channel')?.endsWith(';2') === true)));
    expect(two.get('Uniqueid')).toBe(otherChannelId);
  });

  it('ChannelId alone: ;2 is `<ChannelId>;2`, and a failed originate still reports the ChannelId', async () => {
    const client = await loggedIn();
    const channelId = 'a0000000-0000-4000-8000-000000000001';
    client.send({ Action: 'Originate', Channel: 'Local/2002@customers', Application: 'Park', Data: 'default', ChannelId: channelId, Async: 'true', ActionID: 'o' });
    const response = await originateResponse(client, 'o');
    expect([response.get('Response'), response.get('Application'), response.get('Reason'), response.get('Uniqueid')]).toEqual(['Failure', 'Park', '5', channelId]);
    await hungUp(client, 'Local/2002@customers;2');
    const hangup = new Map(pairs(await client.frame((fields) => fields.get('Event') === 'Hangup' && fields.get('Channel')?.endsWith(';2') === true)));
    expect([hangup.get('Uniqueid'), hangup.get('Cause')]).toEqual([`${channelId};2`, '17']);
  });
});

describe('application Originates that fail before any customer', () => {
  it('an unknown channel technology: Failure at once, with Application and Data and no channel', async () => {
    const client = await loggedIn();
    client.send({ Action: 'Originate', Channel: 'Nope/1001', Application: 'Queue', Data: 'sales', Async: 'true', ActionID: 'o' });
    const response = await originateResponse(client, 'o');
    expect([...response].slice(4, 9)).toEqual([['Response', 'Failure'], ['Channel', 'Nope/1001'], ['Application', 'Queue'], ['Data', 'sales'], ['Reason', '0']]);
    expect(client.frames.some((frame) => frame.startsWith('Event: Newchannel\r\n'))).toBe(false);
  });

  it('a context the dialplan lacks: both legs go with Cause 0, OriginateResponse names the application', async () => {
    const client = await loggedIn();
    client.send({ Action: 'Originate', Channel: 'Local/1001@nowhere', Application: 'Park', Data: 'default', Async: 'true', ActionID: 'o' });
    const response = await originateResponse(client, 'o');
    expect([response.get('Response'), response.get('Application'), response.get('Data'), response.get('Reason')]).toEqual(['Failure', 'Park', 'default', '0']);
    await hungUp(client, 'Local/1001@nowhere;1');
    expect(trail(client.frames, 'Local/1001@nowhere;2').at(-1)).toBe('Hangup 0');
  });
});

describe('application Originates the simulator does not run', () => {
  const refused: [string, Record<string, string>][] = [
    ['Queue(support)', { Channel: 'Local/1001@customers', Application: 'Queue', Data: 'support' }],
    ['Queue(sales,t)', { Channel: 'Local/1001@customers', Application: 'Queue', Data: 'sales,t' }],
    ['Queue(sales,,,,10)', { Channel: 'Local/1001@customers', Application: 'Queue', Data: 'sales,,,,10' }],
    ['Park(other)', { Channel: 'Local/1001@customers', Application: 'Park', Data: 'other' }],
    ['Park(default,s)', { Channel: 'Local/1001@customers', Application: 'Park', Data: 'default,s' }],
    ['Echo()', { Channel: 'Local/1001@customers', Application: 'Echo', Data: '' }],
    ['Queue(sales)', { Channel: 'Local/101@agents', Application: 'Queue', Data: 'sales' }],
  ];
  for (const [described, fields] of refused) {
    it(`${fields.Channel} to ${described}: an error naming it as not simulated, and no channel`, async () => {
      const client = await loggedIn();
      client.send({ Action: 'Originate', ...fields, Async: 'true', ActionID: 'o' });
      expect(await client.response('o')).toBe(`Response: Error\r\nActionID: o\r\nMessage: Simulator: this Originate is not simulated yet (${fields.Channel} to ${described})\r\n\r\n`);
      expect(client.frames.some((frame) => frame.startsWith('Event: Newchannel\r\n'))).toBe(false);
    });
  }

  it('a synchronous application Originate is refused the same way', async () => {
    const client = await loggedIn();
    client.send({ Action: 'Originate', Channel: 'Local/1001@customers', Application: 'Queue', Data: 'sales', ActionID: 'o' });
    expect(await client.response('o')).toContain('Message: Simulator: this Originate is not simulated yet (Local/1001@customers to Queue(sales))\r\n');
  });

  it('application and queue names in any case, as Asterisk finds them; the response repeats them as sent', async () => {
    const client = await loggedIn();
    client.send({ Action: 'Originate', Channel: 'Local/7003@customers', Application: 'queue', Data: 'SALES', Async: 'true', ActionID: 'o' });
    const response = await originateResponse(client, 'o');
    expect([response.get('Application'), response.get('Data')]).toEqual(['queue', 'SALES']);
    expect(new Map(pairs(await client.frame((fields) => fields.get('Event') === 'QueueCallerJoin'))).get('Queue')).toBe('sales');
  });
});
