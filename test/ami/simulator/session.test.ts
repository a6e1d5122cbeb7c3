import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/ami/simulator/index.js';
import { RawClient } from './rawClient.js';

const simulators: Simulator[] = [];
const clients: RawClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const simulator of simulators.splice(0)) await simulator.close();
});

async function open(): Promise<{ simulator: Simulator; client: RawClient }> {
  // 20x: the echo destination's 3 s last 150 ms, ample for a Hangup or CoreShowChannels sent after answer.
  const simulator = await startSimulator({ username: 'admin', secret: 'labsecret', speed: 20 });
  simulators.push(simulator);
  const client = await RawClient.open(simulator.port);
  clients.push(client);
  return { simulator, client };
}

async function loggedIn(): Promise<{ simulator: Simulator; client: RawClient }> {
  const opened = await open();
  opened.client.send({ Action: 'Login', Username: 'admin', Secret: 'labsecret', ActionID: 'login' });
  await opened.client.response('login');
  return opened;
}

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
    client.send({ Action: 'Originate', Channel: 'Local/1001@customers', Context: 'dest', Exten: 'queue-sales', Async: 'true', ActionID: 'n' });
    expect(await client.response('n')).toContain('Response: Error\r\nActionID: n\r\nMessage: Simulator: this Originate is not simulated yet');
  });
});
