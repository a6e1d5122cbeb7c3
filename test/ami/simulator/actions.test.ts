import { describe, expect, it } from 'vitest';
import { pairs } from './frames.js';
import type { RawClient } from './rawClient.js';
import { useSimulatorSessions } from './sessions.js';

const sessions = useSimulatorSessions();

/** 5x: dest,echo's 3 s Wait lasts 600 ms, time enough to act on the channel while it waits. */
const loggedIn = async (speed = 5): Promise<RawClient> => (await sessions.loggedIn(speed)).client;

/** A 7XXX customer answered straight away; resolves once its ;1 leg waits in dest,echo. */
async function customerInEcho(client: RawClient): Promise<string> {
  client.send({ Action: 'Originate', Channel: 'Local/7001@customers', Context: 'dest', Exten: 'echo', Priority: '1', CallerID: '"Campaign A" <5550000>', Async: 'true', ActionID: 'o' });
  const wait = await client.frame((fields) => fields.get('Event') === 'Newexten' && fields.get('Application') === 'Wait' && fields.get('Context') === 'dest');
  return /\r\nChannel: (.*)\r\n/.exec(wait)?.[1] ?? '';
}

const lines = (frame: string) => frame.split('\r\n').filter((line) => line !== '');

describe('Setvar and Getvar', () => {
  it('sets a channel variable (VarSet after the response) that Getvar then reads', async () => {
    const client = await loggedIn();
    const channel = await customerInEcho(client);
    client.send({ Action: 'Setvar', Channel: channel, Variable: 'OB_NOTE', Value: 'x', ActionID: 's' });
    expect(await client.response('s')).toBe('Response: Success\r\nActionID: s\r\nMessage: Variable Set\r\n\r\n');
    await client.frame((fields) => fields.get('Event') === 'VarSet' && fields.get('Variable') === 'OB_NOTE' && fields.get('Value') === 'x');
    client.send({ Action: 'Getvar', Channel: channel, Variable: 'OB_NOTE', ActionID: 'g' });
    expect(await client.response('g')).toBe('Response: Success\r\nActionID: g\r\nVariable: OB_NOTE\r\nValue: x\r\n\r\n');
  });

  it('keeps a global without Channel, and answers No such channel and No variable specified', async () => {
    const client = await loggedIn();
    client.send({ Action: 'Setvar', Variable: 'CAMPAIGN', Value: 'A', ActionID: 's' });
    await client.response('s');
    client.send({ Action: 'Getvar', Variable: 'CAMPAIGN', ActionID: 'g' });
    expect(lines(await client.response('g'))).toEqual(['Response: Success', 'ActionID: g', 'Variable: CAMPAIGN', 'Value: A']);
    client.send({ Action: 'Setvar', Channel: 'Local/6003@customers-00000000;1', Variable: 'OB_NOTE', Value: 'x', ActionID: 'missing' });
    expect(await client.response('missing')).toBe('Response: Error\r\nActionID: missing\r\nMessage: No such channel\r\n\r\n');
    client.send({ Action: 'Getvar', Channel: 'Local/6003@customers-00000000;1', Variable: 'X', ActionID: 'gone' });
    expect(await client.response('gone')).toContain('Message: No such channel');
    client.send({ Action: 'Getvar', ActionID: 'novar' });
    expect(await client.response('novar')).toContain('Message: No variable specified');
  });

  it('refuses a DEVICE_STATE it does not know with Variable not set', async () => {
    const client = await loggedIn();
    client.send({ Action: 'Setvar', Variable: 'DEVICE_STATE(Custom:desk201)', Value: 'SLEEPING', ActionID: 's' });
    expect(await client.response('s')).toContain('Response: Error\r\nActionID: s\r\nMessage: Variable not set');
  });
});

describe('Status', () => {
  it('lists every channel as a Status item with the variables asked for, then StatusComplete with Items', async () => {
    const client = await loggedIn();
    await customerInEcho(client);
    client.send({ Action: 'Status', Variables: 'OB_NOTE', ActionID: 'st' });
    const complete = await client.frame((fields) => fields.get('Event') === 'StatusComplete');
    expect(lines(complete)).toEqual(['Event: StatusComplete', 'ActionID: st', 'EventList: Complete', 'ListItems: 2', 'Items: 2']);
    const items = client.frames.filter((frame) => frame.startsWith('Event: Status\r\n'));
    expect(items.map((item) => /\r\nChannel: .*;(\d)\r\n/.exec(item)?.[1])).toEqual(['2', '1']);
    expect(items[1]).toContain('\r\nApplication: Wait\r\nData: 3\r\n');
    expect(items[1]).toContain('\r\nSeconds: 0\r\nVariable: OB_NOTE=\r\nActionID: st\r\n\r\n');
  });

  it('answers No such channel for a Channel that is not up', async () => {
    const client = await loggedIn();
    client.send({ Action: 'Status', Channel: 'PJSIP/9-00000000', ActionID: 'st' });
    expect(await client.response('st')).toBe('Response: Error\r\nActionID: st\r\nMessage: No such channel\r\n\r\n');
  });
});

describe('Redirect', () => {
  it('moves a customer waiting in dest,echo to dest,park: Redirect successful, then Park() and ParkedCall', async () => {
    const client = await loggedIn();
    const channel = await customerInEcho(client);
    client.send({ Action: 'Redirect', Channel: channel, Context: 'dest', Exten: 'park', Priority: '1', ActionID: 'r' });
    expect(await client.response('r')).toBe('Response: Success\r\nActionID: r\r\nMessage: Redirect successful\r\n\r\n');
    await client.frame((fields) => fields.get('Event') === 'Newexten' && fields.get('Application') === 'Park' && fields.get('Channel') === channel);
    const parked = await client.frame((fields) => fields.get('Event') === 'ParkedCall');
    expect(parked).toContain(`ParkeeChannel: ${channel}\r\n`);
  });

  it('takes a call dest,park parked out of the lot as a parked call that hangs up leaves it, then runs the new place', async () => {
    const client = await loggedIn();
    client.send({ Action: 'Originate', Channel: 'Local/6001@customers', Context: 'dest', Exten: 'park', Priority: '1', Async: 'true', ActionID: 'o' });
    const parked = await client.frame((fields) => fields.get('Event') === 'ParkedCall');
    const channel = /\r\nParkeeChannel: (.*)\r\n/.exec(parked)?.[1] ?? '';
    client.send({ Action: 'Redirect', Channel: channel, Context: 'dest', Exten: 'echo', Priority: '1', ActionID: 'r' });
    expect(await client.response('r')).toBe('Response: Success\r\nActionID: r\r\nMessage: Redirect successful\r\n\r\n');
    await client.frame((fields) => fields.get('Event') === 'Newexten' && fields.get('Application') === 'Wait' && fields.get('Channel') === channel);
    // The parked leg's own events (ParkeeChannel or Channel): the customer's leg goes on with its steps meanwhile.
    const after = client.frames
      .slice(client.frames.indexOf(parked) + 1)
      .filter((frame) => frame.includes(`Channel: ${channel}\r\n`))
      .map((frame) => /^Event: (\w+)/.exec(frame)?.[1]);
    const leaving = ['ParkedCallGiveUp', 'BridgeLeave', 'Newexten'];
    expect(after.filter((event) => leaving.includes(event as string)).slice(0, 3)).toEqual(leaving);
    client.send({ Action: 'ParkedCalls', ActionID: 'l' });
    expect(lines(await client.frame((fields) => fields.get('Event') === 'ParkedCallsComplete'))).toContain('Total: 0');
  });

  it('ends a call an application Originate parked, as Asterisk does: Redirect successful, the call leaves the lot and hangs up', async () => {
    const client = await loggedIn();
    client.send({ Action: 'Originate', Channel: 'Local/6002@customers', Application: 'Park', Data: 'default', Async: 'true', ActionID: 'o' });
    const parked = await client.frame((fields) => fields.get('Event') === 'ParkedCall');
    const channel = /\r\nParkeeChannel: (.*)\r\n/.exec(parked)?.[1] ?? '';
    client.send({ Action: 'Redirect', Channel: channel, Context: 'dest', Exten: 'echo', Priority: '1', ActionID: 'r' });
    expect(await client.response('r')).toBe('Response: Success\r\nActionID: r\r\nMessage: Redirect successful\r\n\r\n');
    const hangup = await client.frame((fields) => fields.get('Event') === 'Hangup' && fields.get('Channel') === channel);
    // The async goto set the new place, but nothing runs it: no Newexten, and the customer is hung up too.
    expect(hangup).toContain('\r\nContext: dest\r\nExten: echo\r\nPriority: 1\r\n');
    const after = client.frames.slice(client.frames.indexOf(parked) + 1).filter((frame) => frame.includes(`Channel: ${channel}\r\n`)).map((frame) => /^Event: (\w+)/.exec(frame)?.[1]);
    expect(after.slice(-3)).toEqual(['ParkedCallGiveUp', 'BridgeLeave', 'Hangup']);
    expect(after).not.toContain('Newexten');
    await client.frame((fields) => fields.get('Event') === 'Hangup' && fields.get('Channel') === channel.replace(/;1$/, ';2'));
  });

  it('checks its fields in manager.c order and names a missing channel', async () => {
    const client = await loggedIn();
    const cases: [Record<string, string>, string][] = [
      [{}, 'Channel not specified'],
      [{ Channel: 'x' }, 'Context not specified'],
      [{ Channel: 'x', Context: 'dest' }, 'Exten not specified'],
      [{ Channel: 'x', Context: 'dest', Exten: 'park' }, 'Priority not specified'],
      [{ Channel: 'x', Context: 'dest', Exten: 'park', Priority: 'first' }, 'Priority is invalid'],
      [{ Channel: 'Local/1@customers-00000009;1', Context: 'dest', Exten: 'park', Priority: '1' }, 'Channel does not exist: Local/1@customers-00000009;1'],
    ];
    for (const [index, [fields, message]] of cases.entries()) {
      client.send({ Action: 'Redirect', ...fields, ActionID: `r${index}` });
      expect(await client.response(`r${index}`)).toBe(`Response: Error\r\nActionID: r${index}\r\nMessage: ${message}\r\n\r\n`);
    }
  });
});

describe('Park', () => {
  it('parks a customer waiting in dest,echo straight into the lot, TimeoutChannel as the parker', async () => {
    const client = await loggedIn();
    const channel = await customerInEcho(client);
    client.send({ Action: 'Park', Channel: channel, TimeoutChannel: 'PJSIP/2001-00000004', Parkinglot: 'default', Timeout: '45000', ActionID: 'p' });
    expect(await client.response('p')).toBe('Response: Success\r\nActionID: p\r\nMessage: Park successful\n\r\n\r\n');
    const parked = await client.frame((fields) => fields.get('Event') === 'ParkedCall');
    expect(parked).toContain('ParkerDialString: PJSIP/2001\r\nParkinglot: default\r\nParkingSpace: 701\r\n');
    expect(client.frames.some((frame) => frame.includes('Application: Park\r\n'))).toBe(false);
  });

  it('answers Channel not specified, Invalid Timeout value., a missing channel and a lot it does not have', async () => {
    const client = await loggedIn();
    client.send({ Action: 'Park', ActionID: 'a' });
    expect(await client.response('a')).toContain('Message: Channel not specified');
    client.send({ Action: 'Park', Channel: 'x', Timeout: '-5', ActionID: 'b' });
    expect(await client.response('b')).toContain('Message: Invalid Timeout value.');
    client.send({ Action: 'Park', Channel: 'Local/1@customers-00000009;1', ActionID: 'c' });
    expect(await client.response('c')).toContain('Message: Channel does not exist: Local/1@customers-00000009;1');
    const channel = await customerInEcho(client);
    client.send({ Action: 'Park', Channel: channel, Parkinglot: 'vip', ActionID: 'd' });
    expect(await client.response('d')).toBe('Response: Error\r\nActionID: d\r\nMessage: Park action failed\n\r\n\r\n');
  });
});

describe('Originate with Application ChanSpy to a PJSIP endpoint', () => {
  it('rings and answers the endpoint, then ChanSpy starts on the channel Data names; the endpoint device follows', async () => {
    const client = await loggedIn();
    const target = await customerInEcho(client);
    client.send({ Action: 'Originate', Channel: 'PJSIP/2001', Application: 'ChanSpy', Data: `${target},qw`, Async: 'true', ActionID: 'spy' });
    expect(await client.response('spy')).toContain('Message: Originate successfully queued');
    const start = await client.frame((fields) => fields.get('Event') === 'ChanSpyStart');
    expect(start).toContain('SpyerChannel: PJSIP/2001-00000000\r\n');
    expect(start).toContain(`SpyeeChannel: ${target}\r\n`);
    const answered = await client.frame((fields) => fields.get('Event') === 'OriginateResponse' && fields.get('ActionID') === 'spy');
    expect(answered).toContain('Response: Success\r\nChannel: PJSIP/2001-00000000\r\nApplication: ChanSpy\r\n');
    client.send({ Action: 'Hangup', Channel: 'PJSIP/2001-00000000', ActionID: 'h' });
    await client.frame((fields) => fields.get('Event') === 'ChanSpyStop');
    await client.frame((fields) => fields.get('Device') === 'PJSIP/2001' && fields.get('State') === 'NOT_INUSE');
    const states = client.frames.filter((frame) => frame.includes('Device: PJSIP/2001\r\n')).map((frame) => /State: (\w+)/.exec(frame)?.[1]);
    expect(states).toEqual(['RINGING', 'INUSE', 'NOT_INUSE']);
  });
});

describe('PlayDTMF', () => {
  it("plays a digit into a Local ;1's other half, which receives it once it is over (agents-ackcall-accept); refuses what app_senddtmf refuses", async () => {
    const { client, clock } = await sessions.loggedInOnClock();
    client.send({ Action: 'Originate', Channel: 'Local/1002@agent-login/n', Application: 'Wait', Data: '60', Async: 'true', ActionID: 'o' });
    const login = await client.frameOnClock(clock, (fields) => fields.get('Event') === 'AgentLogin');
    const two = /\r\nChannel: (.*)\r\n/.exec(login)?.[1] ?? '';
    const one = two.replace(/;2$/, ';1');
    client.send({ Action: 'PlayDTMF', Channel: one, Digit: '#', Duration: '200', ActionID: 'd' });
    expect(await client.response('d')).toBe('Response: Success\r\nActionID: d\r\nMessage: DTMF successfully queued\r\n\r\n');
    const begin = await client.frameOnClock(clock, (fields) => fields.get('Event') === 'DTMFBegin');
    expect(begin).toContain(`\r\nChannel: ${two}\r\n`);
    expect(begin).toMatch(/\r\nDigit: #\r\nDirection: Received\r\n\r\n$/);
    expect(await client.frameOnClock(clock, (fields) => fields.get('Event') === 'DTMFEnd')).toMatch(/\r\nDigit: #\r\nDurationMs: 200\r\nDirection: Received\r\n\r\n$/);

    const refused = async (fields: Record<string, string>) => {
      client.send({ Action: 'PlayDTMF', ...fields, ActionID: 'r' });
      const answer = await client.response('r');
      client.frames.splice(client.frames.indexOf(answer), 1);
      return /\r\nMessage: (.*)\r\n/.exec(answer)?.[1];
    };
    expect(await refused({ Channel: 'Local/9999@nowhere-00000000;1', Digit: '1' })).toBe('Channel not found');
    expect(await refused({ Channel: one })).toBe('No digit specified');
    expect(await refused({ Channel: one, Digit: '1', Duration: 'long' })).toBe('Could not convert Duration parameter');
  });
});

describe('Originate variables', () => {
  it('sets each variable on both Local legs with a VarSet, but a function written through Variable (PJSIP_HEADER on a Local channel) sets none', async () => {
    const client = await loggedIn();
    client.send({
      Action: 'Originate',
      Channel: 'Local/7001@customers',
      Context: 'dest',
      Exten: 'echo',
      Priority: '1',
      Async: 'true',
      // One header, split as man_do_variable_value does: the comma inside the parentheses does not cut it.
      Variable: 'PJSIP_HEADER(add,X-CRM_ID)=42,NOTE=x',
      ActionID: 'o',
    });
    await client.frame((fields) => fields.get('Event') === 'Newexten' && fields.get('Application') === 'Wait' && fields.get('Context') === 'dest');
    const varSets = client.frames.map((frame) => new Map(pairs(frame))).filter((fields) => fields.get('Event') === 'VarSet' && fields.get('Variable') !== undefined);
    expect(varSets.filter((fields) => fields.get('Variable') === 'NOTE')).toHaveLength(2);
    expect(varSets.some((fields) => fields.get('Variable')?.startsWith('PJSIP_HEADER'))).toBe(false);
  });
});
