import { describe, expect, it } from 'vitest';
import { useSimulatorSessions } from './sessions.js';

const sessions = useSimulatorSessions();

// 20x: the echo destination's 3 s last 150 ms, ample for a Hangup or CoreShowChannels sent after answer.
const SPEED = 20;
const open = () => sessions.open(SPEED);
const loggedIn = () => sessions.loggedIn(SPEED);

describe('a session before login', () => {
  it('greets with the Asterisk 22 banner', async () => {
    const { client } = await open();
    expect(client.banner).toBe('Asterisk Call Manager/11.0.0\r\n');
  });

  it('refuses any action but Login and Logoff with Permission denied', async () => {
    const { client } = await open();
    client.send({ Action: 'Ping', ActionID: 'p' });
    expect(await client.response('p')).toBe('Response: Error\r\nActionID: p\r\nMessage: Permission denied\r\n\r\n');
  });

  it('answers a wrong secret with Authentication failed and closes the connection', async () => {
    const { client } = await open();
    client.send({ Action: 'Login', Username: 'admin', Secret: 'wrong', ActionID: 'l' });
    expect(await client.response('l')).toBe('Response: Error\r\nActionID: l\r\nMessage: Authentication failed\r\n\r\n');
    await client.closed;
  });

  it('accepts action and key names in any case', async () => {
    const { client } = await open();
    client.send({ action: 'login', username: 'admin', SECRET: 'labsecret', actionid: 'x' });
    expect(await client.response('x')).toBe('Response: Success\r\nActionID: x\r\nMessage: Authentication accepted\r\n\r\n');
    await client.frame((fields) => fields.get('Event') === 'FullyBooted');
  });
});

describe('a logged-in session', () => {
  it('sends no events after Login with Events: off, yet still answers actions', async () => {
    const { client } = await open();
    client.send({ Action: 'Login', Username: 'admin', Secret: 'labsecret', Events: 'off', ActionID: 'l' });
    await client.response('l');
    client.send({ Action: 'Originate', Channel: 'Local/2001@customers', Context: 'dest', Exten: 'echo', Async: 'true', ActionID: 'o' });
    await client.response('o');
    client.send({ Action: 'Ping', ActionID: 'p' });
    expect(await client.response('p')).toMatch(/^Response: Success\r\nActionID: p\r\nPing: Pong\r\nTimestamp: \d+\.\d{6}\r\n\r\n$/);
    expect(client.frames.filter((frame) => frame.startsWith('Event:'))).toEqual([]);
  });

  it('names an unknown action as Asterisk does', async () => {
    const { client } = await loggedIn();
    client.send({ Action: 'ParkinglotsList', ActionID: 'u' });
    expect(await client.response('u')).toBe(
      'Response: Error\r\nActionID: u\r\nMessage: Invalid/unknown command: ParkinglotsList. Use Action: ListCommands to show available commands.\r\n\r\n',
    );
  });

  it('says goodbye on Logoff and closes', async () => {
    const { client } = await loggedIn();
    client.send({ Action: 'Logoff', ActionID: 'bye' });
    expect(await client.response('bye')).toBe('Response: Goodbye\r\nActionID: bye\r\nMessage: Thanks for all the fish.\r\n\r\n');
    await client.closed;
  });

  it('lists the channels it has up with CoreShowChannels, newest first', async () => {
    const { client } = await loggedIn();
    client.send({ Action: 'Originate', Channel: 'Local/6001@customers', Context: 'dest', Exten: 'echo', Priority: '1', Async: 'true', ActionID: 'o' });
    await client.frame((fields) => fields.get('Event') === 'OriginateResponse');
    client.send({ Action: 'CoreShowChannels', ActionID: 'c' });
    expect(await client.response('c')).toBe('Response: Success\r\nActionID: c\r\nEventList: start\r\nMessage: Channels will follow\r\n\r\n');
    const complete = await client.frame((fields) => fields.get('Event') === 'CoreShowChannelsComplete');
    expect(complete).toBe('Event: CoreShowChannelsComplete\r\nActionID: c\r\nEventList: Complete\r\nListItems: 2\r\n\r\n');
    const items = client.frames.filter((frame) => frame.startsWith('Event: CoreShowChannel\r\n'));
    expect(items.map((item) => /Channel: (.*)\r\n/.exec(item)?.[1])).toEqual(['Local/6001@customers-00000000;2', 'Local/6001@customers-00000000;1']);
    expect(items[1]).toContain('Context: dest\r\nExten: echo\r\n');
    expect(items[1]).toMatch(/\r\nApplication: (Answer|Wait)\r\nApplicationData: 3?\r\nDuration: \d\d:\d\d:\d\d\r\nBridgeId: \r\n\r\n$/);
  });

  it('hangs up a channel by name: Channel Hungup, then the Hangup events of both legs with the cause given', async () => {
    const { client } = await loggedIn();
    client.send({ Action: 'Originate', Channel: 'Local/6002@customers', Context: 'dest', Exten: 'echo', Priority: '1', Async: 'true', ActionID: 'o' });
    await client.frame((fields) => fields.get('Event') === 'OriginateResponse');
    client.send({ Action: 'Hangup', Channel: 'Local/6002@customers-00000000;2', Cause: '16', ActionID: 'h' });
    expect(await client.response('h')).toBe('Response: Success\r\nActionID: h\r\nMessage: Channel Hungup\r\n\r\n');
    const hangup = (leg: string) => client.frame((fields) => fields.get('Event') === 'Hangup' && fields.get('Channel') === `Local/6002@customers-00000000;${leg}`);
    expect(await hangup('2')).toContain('Cause: 16\r\nCause-txt: Normal Clearing\r\n');
    expect(await hangup('1')).toContain('Cause: 16\r\n');
    client.send({ Action: 'Hangup', Channel: 'Local/6002@customers-00000000;2', ActionID: 'again' });
    expect(await client.response('again')).toBe('Response: Error\r\nActionID: again\r\nMessage: No such channel\r\n\r\n');
  });

  it('hangs up by /regex/ with the ChannelHungup list of hangup-and-setvar', async () => {
    const { client } = await loggedIn();
    client.send({ Action: 'Originate', Channel: 'Local/6003@customers', Context: 'dest', Exten: 'echo', Priority: '1', Async: 'true', ActionID: 'o' });
    await client.frame((fields) => fields.get('Event') === 'OriginateResponse');
    client.send({ Action: 'Hangup', Channel: '/^Local\\/6003@customers-.*;1$/', Cause: '16', ActionID: 'r' });
    expect(await client.response('r')).toBe('Response: Success\r\nActionID: r\r\nEventList: start\r\nMessage: Channels hung up will follow\r\n\r\n');
    expect(await client.frame((fields) => fields.get('Event') === 'ChannelHungup')).toBe('Event: ChannelHungup\r\nChannel: Local/6003@customers-00000000;1\r\nActionID: r\r\n\r\n');
    expect(await client.frame((fields) => fields.get('Event') === 'ChannelsHungupListComplete')).toBe(
      'Event: ChannelsHungupListComplete\r\nActionID: r\r\nEventList: Complete\r\nListItems: 1\r\n\r\n',
    );
    await client.frame((fields) => fields.get('Event') === 'Hangup' && (fields.get('Channel') ?? '').endsWith(';2'));
  });

  it('runs core show version with the Output line Asterisk 22 gives', async () => {
    const { client } = await loggedIn();
    client.send({ Action: 'Command', Command: 'core show version', ActionID: 'v' });
    expect(await client.response('v')).toMatch(/^Response: Success\r\nActionID: v\r\nMessage: Command output follows\r\nOutput: Asterisk GIT-22-.*\r\n\r\n$/);
  });

  it('says plainly when an Originate is not simulated yet', async () => {
    const { client } = await loggedIn();
    client.send({ Action: 'Originate', Channel: 'Local/1001@customers', Context: 'parked-timeout', Exten: 's', Async: 'true', ActionID: 'n' });
    expect(await client.response('n')).toContain('Response: Error\r\nActionID: n\r\nMessage: Simulator: this Originate is not simulated yet');
  });
});

describe('the parking lot', () => {
  it('lists lot `default` with Parkinglots, and an empty lot with ParkedCalls', async () => {
    const { client } = await loggedIn();
    client.send({ Action: 'Parkinglots', ActionID: 'l' });
    expect(await client.response('l')).toBe('Response: Success\r\nActionID: l\r\nEventList: start\r\nMessage: Parking lots will follow\r\n\r\n');
    expect(await client.frame((fields) => fields.get('Event') === 'Parkinglot')).toBe(
      'Event: Parkinglot\r\nActionID: l\r\nName: default\r\nStartSpace: 701\r\nStopSpace: 720\r\nTimeout: 20\r\n\r\n',
    );
    expect(await client.frame((fields) => fields.get('Event') === 'ParkinglotsComplete')).toBe(
      'Event: ParkinglotsComplete\r\nActionID: l\r\nEventList: Complete\r\nListItems: 1\r\n\r\n',
    );
    client.send({ Action: 'ParkedCalls', ActionID: 'p' });
    expect(await client.response('p')).toBe('Response: Success\r\nActionID: p\r\nEventList: start\r\nMessage: Parked calls will follow\r\n\r\n');
    expect(await client.frame((fields) => fields.get('Event') === 'ParkedCallsComplete')).toBe(
      'Event: ParkedCallsComplete\r\nActionID: p\r\nEventList: Complete\r\nListItems: 0\r\nTotal: 0\r\n\r\n',
    );
    client.send({ Action: 'ParkedCalls', ParkingLot: 'elsewhere', ActionID: 'x' });
    expect(await client.response('x')).toBe('Response: Error\r\nActionID: x\r\nMessage: Requested parking lot could not be found.\r\n\r\n');
  });

  it('parks two calls in 701 and 702 of one bridge; a Hangup of a parked channel gives it up and frees its space for the next', async () => {
    const { client } = await loggedIn();
    const park = (number: string) => client.send({ Action: 'Originate', Channel: `Local/${number}@customers`, Context: 'dest', Exten: 'park', Async: 'true', ActionID: number });
    const event = (name: string, number: string) =>
      client.frame((fields) => fields.get('Event') === name && (fields.get('ParkeeChannel') ?? fields.get('Channel') ?? '').startsWith(`Local/${number}@`));
    park('6101');
    expect(await event('ParkedCall', '6101')).toContain('ParkeeContext: dest\r\nParkeeExten: park\r\n');
    park('6102');
    expect(await event('ParkedCall', '6102')).toContain('ParkerDialString: Local/6102@customers\r\nParkinglot: default\r\nParkingSpace: 702\r\nParkingTimeout: 20\r\nParkingDuration: 0\r\n');
    expect(await event('BridgeEnter', '6102')).toContain('BridgeName: default\r\nBridgeNumChannels: 2\r\n');
    expect(client.frames.filter((frame) => frame.startsWith('Event: BridgeCreate\r\n'))).toHaveLength(1);
    expect(await client.frame((fields) => fields.get('Event') === 'OriginateResponse' && fields.get('ActionID') === '6102')).toContain('Context: dest\r\nExten: park\r\nReason: 4\r\n');

    client.send({ Action: 'ParkedCalls', ActionID: 'two' });
    expect(await client.frame((fields) => fields.get('Event') === 'ParkedCallsComplete' && fields.get('ActionID') === 'two')).toContain('ListItems: 2\r\nTotal: 2\r\n');
    const items = client.frames.filter((frame) => frame.startsWith('Event: ParkedCall\r\n') && frame.endsWith('ActionID: two\r\n\r\n'));
    expect(items.map((item) => /ParkingSpace: (\d+)/.exec(item)?.[1])).toEqual(['701', '702']);

    client.send({ Action: 'Hangup', Channel: 'Local/6101@customers-00000000;1', ActionID: 'h' });
    expect(await event('ParkedCallGiveUp', '6101')).toContain('ParkingSpace: 701\r\n');
    expect(await event('BridgeLeave', '6101')).toContain('BridgeNumChannels: 1\r\n');
    await client.frame((fields) => fields.get('Event') === 'Hangup' && fields.get('Channel') === 'Local/6101@customers-00000000;2');
    park('6103');
    expect(await event('ParkedCall', '6103')).toContain('ParkingSpace: 701\r\n');
  });

  it("times a parked call out after the lot's 20 s into parked-timeout,s, and both legs hang up", async () => {
    const { client } = await loggedIn();
    client.send({ Action: 'Originate', Channel: 'Local/6201@customers', Context: 'dest', Exten: 'park', Async: 'true', ActionID: 'o' });
    const timedOut = await client.frame((fields) => fields.get('Event') === 'ParkedCallTimeOut');
    expect(timedOut).toContain('ParkeeContext: parked-timeout\r\nParkeeExten: s\r\nParkeePriority: 1\r\n');
    expect(timedOut).toMatch(/ParkingSpace: 701\r\nParkingTimeout: 0\r\nParkingDuration: 2[01]\r\n\r\n$/);
    const hangup = await client.frame((fields) => fields.get('Event') === 'Hangup' && fields.get('Channel') === 'Local/6201@customers-00000000;2');
    expect(hangup).toContain('Cause: 16\r\n');
    client.send({ Action: 'ParkedCalls', ActionID: 'p' });
    expect(await client.frame((fields) => fields.get('Event') === 'ParkedCallsComplete')).toContain('ListItems: 0\r\n');
  });
});
