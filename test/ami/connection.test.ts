import { describe, expect, it } from 'vitest';
import {
  AmiActionError,
  AmiAuthenticationError,
  AmiClosedError,
  AmiConnectionLostError,
  AmiInjectionError,
  AmiInvalidActionError,
  AmiNotConnectedError,
  AmiTimeoutError,
} from '../../src/ami/errors.js';
import { field, type AmiEvent } from '../../src/ami/message.js';
import type { Schedule } from '../../src/ami/schedule.js';
import { realSchedule } from '../../src/ami/schedule.js';
import { nextEvent, useAmiHarness } from './harness.js';

const harness = useAmiHarness();

describe('logging in', () => {
  it('logs in, announces connect and logs it', async () => {
    const server = await harness.server();
    const { connection, logs } = harness.connection(server.config);
    const connected = new Promise<void>((resolve) => connection.on('connect', resolve));
    const login = server.nextAction('Login');
    await connection.start();
    await connected;
    expect(connection.connected).toBe(true);
    expect((await login).action).toMatchObject({ username: 'admin', secret: 'labsecret' });
    expect(logs.messages()).toEqual(['AMI connecting', 'AMI connected']);
    expect(logs.records[0]).toMatchObject({ server: server.config.name, host: '127.0.0.1', port: server.port, attempt: 1 });
  });

  it('reports a refused secret as AmiAuthenticationError and does not retry it', async () => {
    const server = await harness.server();
    const { connection, logs } = harness.connection({ ...server.config, secret: 'wrong' });
    const started = connection.start();
    await expect(started).rejects.toThrow(AmiAuthenticationError);
    await expect(started).rejects.toMatchObject({ asteriskMessage: 'Authentication failed', username: 'admin' });
    await connection.close(); // waits for the socket, so the retry decision has been taken
    expect(connection.connected).toBe(false);
    expect(server.received.filter((entry) => field(entry.action, 'action') === 'login')).toHaveLength(1);
    expect(logs.messages()).not.toContain('AMI reconnect scheduled');
    expect(logs.records.find((record) => record.msg === 'AMI login refused')).toMatchObject({ level: 50, username: 'admin' });
    expect(JSON.stringify(logs.records)).not.toContain('wrong');
  });

  it('delivers the events that follow the login response after connect, in order', async () => {
    const server = await harness.server({ transcript: 'queue-admin' });
    const { connection } = harness.connection(server.config);
    const seen: string[] = [];
    connection.on('connect', () => seen.push('connect'));
    connection.on('event', (event) => seen.push(event.event));
    const booted = nextEvent(connection, (event) => event.event === 'SuccessfulAuth');
    await connection.start();
    await booted;
    expect(seen).toEqual(['connect', 'FullyBooted', 'SuccessfulAuth']);
  });
});

describe('actions', () => {
  it('sends an Originate with its variables and hands its events, OriginateResponse included, to listeners', async () => {
    const server = await harness.server({ transcript: 'busy' });
    const { connection } = harness.connection(server.config);
    await connection.start();
    const events: AmiEvent[] = [];
    connection.on('event', (event) => events.push(event));
    const sent = server.nextAction('Originate');
    const outcome = nextEvent(connection, (event) => event.event === 'OriginateResponse');
    const response = await connection.action({
      action: 'Originate',
      channel: 'Local/2001@customers',
      context: 'dest',
      exten: 'echo',
      priority: 1,
      timeout: 30_000,
      callerid: '"Campaign A" <5550000>',
      async: true,
      variable: { OB_CAMPAIGN: 'camp-1', OB_MEMBER: 'm-busy' },
    });
    expect(response).toMatchObject({ response: 'Success', message: 'Originate successfully queued' });
    expect(await outcome).toMatchObject({ actionid: response.actionid, response: 'Failure', reason: '5' });
    expect(events.map((event) => event.event)).toContain('Hangup');
    const { raw } = await sent;
    expect(raw).toContain('Variable: OB_CAMPAIGN=camp-1\r\n');
    expect(raw).toContain('Variable: OB_MEMBER=m-busy\r\n');
    expect(raw).toContain(`ActionID: ${field(response, 'actionid')}\r\n`);
  });

  it('rejects Response: Error with AmiActionError carrying Asterisk message', async () => {
    const server = await harness.server({ transcript: 'queue-admin' });
    const { connection } = harness.connection(server.config);
    await connection.start();
    const remove = { action: 'QueueRemove', queue: 'support', interface: 'Local/103@agents/n' };
    await expect(connection.action(remove)).resolves.toMatchObject({ message: 'Removed interface from queue' });
    const failed = connection.action(remove);
    await expect(failed).rejects.toThrow(AmiActionError);
    await expect(failed).rejects.toMatchObject({
      action: 'QueueRemove',
      asteriskMessage: 'Unable to remove interface: Not there',
      response: { response: 'Error' },
    });
  });

  it('times out an unanswered action with AmiTimeoutError naming it', async () => {
    const server = await harness.server({ handlers: { originate: () => {} } });
    const { connection } = harness.connection(server.config);
    await connection.start();
    const silent = connection.action({ action: 'Originate', channel: 'Local/3001@customers' }, { timeoutMs: 30 });
    await expect(silent).rejects.toThrow(AmiTimeoutError);
    await expect(silent).rejects.toMatchObject({ action: 'Originate', timeoutMs: 30, message: expect.stringContaining('Originate timed out after 30 ms') });
    // The connection stays usable.
    await expect(connection.action({ action: 'Ping' })).resolves.toMatchObject({ ping: 'Pong' });
  });

  it('gives actions 10 s by default', async () => {
    const server = await harness.server({ handlers: { originate: () => {} } });
    const delays: number[] = [];
    const schedule: Schedule = (delayMs, run) => (delays.push(delayMs), realSchedule(delayMs, run));
    const { connection } = harness.connection(server.config, { schedule });
    await connection.start();
    const waiting = connection.action({ action: 'Originate', channel: 'Local/3001@customers' });
    await server.nextAction('Originate');
    expect(delays).toContain(10_000);
    await connection.close();
    await expect(waiting).rejects.toThrow(AmiClosedError);
  });

  it('rejects what still waits when the connection drops', async () => {
    const server = await harness.server({ handlers: { originate: () => {} } });
    const { connection } = harness.connection(server.config, { backoff: { initialMs: 60_000, maxMs: 60_000 } });
    await connection.start();
    const waiting = connection.action({ action: 'Originate', channel: 'Local/3001@customers' });
    const { session } = await server.nextAction('Originate');
    session.end();
    await expect(waiting).rejects.toThrow(AmiConnectionLostError);
  });

  it('rejects at once, sending nothing, while not connected', async () => {
    const server = await harness.server();
    const { connection } = harness.connection(server.config);
    const before = Date.now();
    await expect(connection.action({ action: 'Ping' })).rejects.toThrow(AmiNotConnectedError);
    await expect(connection.listAction({ action: 'CoreShowChannels' })).rejects.toThrow(`AMI CoreShowChannels not sent: not connected to ${server.config.name}`);
    await expect(connection.command('core show version')).rejects.toThrow(AmiNotConnectedError);
    expect(Date.now() - before).toBeLessThan(100);
    expect(server.sessions).toHaveLength(0);
  });

  it('refuses Login and Logoff: the connection owns its session', async () => {
    const server = await harness.server();
    const { connection } = harness.connection(server.config);
    await connection.start();
    await expect(connection.action({ action: 'Login', username: 'other', secret: 'x' })).rejects.toThrow(AmiInvalidActionError);
    await expect(connection.action({ action: 'logoff' })).rejects.toThrow(AmiInvalidActionError);
  });

  it('gives 1,000 concurrent actions 1,000 different ActionIDs and each its own answer', async () => {
    const server = await harness.server();
    const { connection } = harness.connection(server.config);
    await connection.start();
    const responses = await Promise.all(Array.from({ length: 1000 }, () => connection.action({ action: 'Ping' })));
    const pings = server.received.filter((entry) => field(entry.action, 'action') === 'Ping');
    expect(new Set(pings.map((entry) => field(entry.action, 'actionid'))).size).toBe(1000);
    expect(new Set(responses.map((response) => field(response, 'actionid'))).size).toBe(1000);
  });
});

describe('the injection guard at the wire', () => {
  it.each([
    ['a member variable', { action: 'Originate', channel: 'Local/1001@customers', variable: { OB_NAME: 'Doe\r\nAction: Command\r\nCommand: core stop now' } }, 'variable["OB_NAME"]'],
    ['a caller id', { action: 'Originate', channel: 'Local/1001@customers', callerid: '"Eve" <555>\nAction: Hangup\nChannel: /.*/' }, 'callerid'],
    ['a channel name', { action: 'Hangup', channel: 'Local/1001@customers-00000001;1\r\n\r\nAction: Command\r\nCommand: core stop now' }, 'channel'],
  ])('rejects CR/LF in %s before anything reaches Asterisk', async (_label, action, fieldName) => {
    const server = await harness.server();
    const { connection } = harness.connection(server.config);
    await connection.start();
    const attempt = connection.action(action);
    await expect(attempt).rejects.toThrow(AmiInjectionError);
    await expect(attempt).rejects.toMatchObject({ field: fieldName });
    // A Ping sent after it arrives first: nothing of the refused action was written before it.
    await connection.action({ action: 'Ping' });
    expect(server.received.map((entry) => field(entry.action, 'action'))).toEqual(['login', 'Ping']);
    expect(server.received.some((entry) => /Command|Hangup|Originate/.test(entry.raw))).toBe(false);
  });

  it('checks the login username and secret, however the config was built', async () => {
    const server = await harness.server();
    expect(() => harness.connection({ ...server.config, secret: 'labsecret\r\nAction: Command' })).toThrow(AmiInjectionError);
    expect(() => harness.connection({ ...server.config, username: 'admin\n' })).toThrow(AmiInjectionError);
    expect(server.sessions).toHaveLength(0);
  });

  it('checks commands too', async () => {
    const server = await harness.server();
    const { connection } = harness.connection(server.config);
    await connection.start();
    await expect(connection.command('core show version\r\nAction: Command\r\nCommand: core stop now')).rejects.toThrow(AmiInjectionError);
  });
});
