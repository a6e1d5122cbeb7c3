import { describe, expect, it } from 'vitest';
import { dialledEndpoint } from '../../../src/ami/simulator/calls/phoneDial.js';
import { pairs, role } from './frames.js';
import type { RawClient } from './rawClient.js';
import { useSimulatorSessions } from './sessions.js';
import { trail } from './trail.js';

const sessions = useSimulatorSessions();

const loggedIn = async (speed = 20): Promise<RawClient> => (await sessions.loggedIn(speed)).client;

/** The first phone channel a fresh simulator opens (chan_pjsip's counter starts at 0). */
const PHONE = 'PJSIP/2001-00000000';

/** A PREVIEW call as the dialer sends it: the customer, answered, is put through to the agent's phone by Dial(). */
function originateToPhone(client: RawClient, number: string, data = 'PJSIP/2001'): void {
  client.send({ Action: 'Originate', Channel: `Local/${number}@customers`, Application: 'Dial', Data: data, CallerID: '"Campaign A" <5550000>', Async: 'true', ActionID: 'o' });
}

async function hungUp(client: RawClient, channel: string): Promise<void> {
  await client.frame((fields) => fields.get('Event') === 'Hangup' && role(fields.get('Channel') ?? '') === channel);
  client.send({ Action: 'Ping', ActionID: `ping ${channel}` });
  await client.response(`ping ${channel}`);
}

function deviceStates(frames: readonly string[], device: string): string[] {
  return frames.filter((frame) => frame.startsWith('Event: DeviceStateChange\r\n') && frame.includes(`\r\nDevice: ${device}\r\n`)).map((frame) => new Map(pairs(frame)).get('State') ?? '');
}

/** The first `name` event, with that DialStatus and on that channel (by role) when given. */
function event(frames: readonly string[], name: string, dialStatus?: string, channel?: string): Map<string, string> {
  const found = frames
    .map((frame) => new Map(pairs(frame)))
    .find((fields) => fields.get('Event') === name && (dialStatus === undefined || fields.get('DialStatus') === dialStatus) && (channel === undefined || role(fields.get('Channel') ?? '') === channel));
  return found ?? new Map();
}

describe('Dial() to a simulated phone: a customer put through to an agent (PREVIEW)', () => {
  it('rings the phone, bridges it with the answered customer, and hangs it up when the customer goes', async () => {
    const client = await loggedIn();
    originateToPhone(client, '1001');
    expect(await client.response('o')).toContain('Message: Originate successfully queued\r\n');
    await hungUp(client, 'Local/1001@customers;1');

    expect(trail(client.frames, PHONE)).toEqual([
      'Newchannel', 'VarSet DIALEDPEERNUMBER', 'NewCallerid', 'Newstate Ringing', 'Newstate Up', 'BridgeEnter', 'VarSet BRIDGEPEER', 'VarSet BRIDGEPEER', 'BridgeLeave', 'Hangup 16',
    ]);
    expect(trail(client.frames, 'Local/1001@customers;1')).toEqual([
      'Newchannel', 'Newexten AppDial2', 'NewCallerid', 'NewConnectedLine', 'Newstate Ringing', 'Newstate Up',
      'VarSet DIALSTATUS', 'VarSet DIALEDPEERNUMBER', 'VarSet DIALEDPEERNAME', 'VarSet ANSWEREDTIME', 'VarSet ANSWEREDTIME_MS', 'VarSet DIALEDTIME', 'VarSet DIALEDTIME_MS',
      'VarSet RINGTIME', 'VarSet RINGTIME_MS', 'VarSet PROGRESSTIME', 'VarSet PROGRESSTIME_MS', 'DialBegin', 'DialState', 'VarSet DIALSTATUS', 'VarSet DIALEDPEERNAME',
      'VarSet DIALEDPEERNUMBER', 'DialEnd ANSWER', 'BridgeEnter', 'VarSet BRIDGEPEER', 'HangupRequest 16', 'VarSet BRIDGEPEER', 'BridgeLeave',
      'VarSet ANSWEREDTIME', 'VarSet ANSWEREDTIME_MS', 'VarSet DIALEDTIME', 'VarSet DIALEDTIME_MS', 'Hangup 16',
    ]);
    // The customer's dialplan is its own: ring, answer, talk 4 s, hang up.
    expect(trail(client.frames, 'Local/1001@customers;2').at(-1)).toBe('Hangup 16');

    const begin = event(client.frames, 'DialBegin', undefined, 'Local/1001@customers;1');
    expect([role(begin.get('Channel') ?? ''), begin.get('DestChannel'), begin.get('DialString')]).toEqual(['Local/1001@customers;1', PHONE, '2001']);
    // The phone shows who is calling: the customer's number (the dialplan's extension) and the originate's caller name.
    expect([begin.get('DestCallerIDNum'), begin.get('DestCallerIDName'), begin.get('DestConnectedLineNum'), begin.get('DestLinkedid')]).toEqual([
      '1001', 'Campaign A', '5550000', begin.get('Linkedid'),
    ]);
    const answered = event(client.frames, 'DialEnd', 'ANSWER', 'Local/1001@customers;1');
    expect([answered.get('DestChannelStateDesc'), answered.get('DestContext'), answered.get('DestExten')]).toEqual(['Up', '', '']);
    expect(deviceStates(client.frames, 'PJSIP/2001')).toEqual(['RINGING', 'INUSE', 'NOT_INUSE']);
    const response = new Map(pairs(await client.frame((fields) => fields.get('Event') === 'OriginateResponse')));
    expect([response.get('Response'), response.get('Application'), response.get('Data'), response.get('Reason')]).toEqual(['Success', 'Dial', 'PJSIP/2001', '4']);
  });

  it('ends the call when the agent hangs up the phone: Dial() returns, the customer is hung up', async () => {
    const client = await loggedIn();
    originateToPhone(client, '6001', 'PJSIP/2001,30');
    await client.frame((fields) => fields.get('Event') === 'BridgeEnter' && role(fields.get('Channel') ?? '') === 'Local/6001@customers;1');
    client.send({ Action: 'Hangup', Channel: PHONE, ActionID: 'h' });
    await hungUp(client, 'Local/6001@customers;2');
    expect(trail(client.frames, PHONE).slice(-4)).toEqual(['SoftHangupRequest 16', 'VarSet BRIDGEPEER', 'BridgeLeave', 'Hangup 16']);
    expect(trail(client.frames, 'Local/6001@customers;1').slice(-7)).toEqual([
      'VarSet BRIDGEPEER', 'BridgeLeave', 'VarSet ANSWEREDTIME', 'VarSet ANSWEREDTIME_MS', 'VarSet DIALEDTIME', 'VarSet DIALEDTIME_MS', 'Hangup 16',
    ]);
    expect(trail(client.frames, 'Local/6001@customers;2').slice(-3)).toEqual(['HangupRequest 16', 'SoftHangupRequest 16', 'Hangup 16']);
    const bridgeEvents = client.frames.filter((frame) => /^Event: Bridge(Create|Destroy)\r\n/.test(frame)).map((frame) => frame.split('\r\n', 1)[0]);
    expect(bridgeEvents).toEqual(['Event: BridgeCreate', 'Event: BridgeDestroy']);
  });

  it('cancels the phone while it rings when the customer hangs up first', async () => {
    const client = await loggedIn();
    originateToPhone(client, '7001');
    await client.frame((fields) => fields.get('Event') === 'DialState');
    const customer = event(client.frames, 'Newchannel', undefined, 'Local/7001@customers;2').get('Channel');
    client.send({ Action: 'Hangup', Channel: customer ?? '', ActionID: 'h' });
    await hungUp(client, 'Local/7001@customers;1');
    expect(trail(client.frames, PHONE)).toEqual(['Newchannel', 'VarSet DIALEDPEERNUMBER', 'NewCallerid', 'Newstate Ringing', 'Hangup 16']);
    expect(event(client.frames, 'DialEnd', 'CANCEL').get('DestChannel')).toBe(PHONE);
    expect(deviceStates(client.frames, 'PJSIP/2001')).toEqual(['RINGING', 'NOT_INUSE']);
  });

  it('takes only PJSIP/<endpoint> with no options and no timeout shorter than the ring', () => {
    expect(['PJSIP/2001', 'pjsip/agent_7', 'PJSIP/2001,30', 'PJSIP/2001,'].map(dialledEndpoint)).toEqual(['2001', 'agent_7', '2001', '2001']);
    expect(['PJSIP/2001,1', 'PJSIP/2001,30,tT', 'PJSIP/2001&PJSIP/2002', 'SIP/2001', 'PJSIP/2001@trunk', 'PJSIP/'].map(dialledEndpoint)).toEqual([
      undefined, undefined, undefined, undefined, undefined, undefined,
    ]);
  });

  it('refuses a Dial it does not simulate, saying so', async () => {
    const client = await loggedIn();
    originateToPhone(client, '1002', 'PJSIP/2001,30,tT');
    expect(await client.response('o')).toContain('Message: Simulator: this Originate is not simulated yet (Local/1002@customers to Dial(PJSIP/2001,30,tT))\r\n');
  });
});
