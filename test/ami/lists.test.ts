import { describe, expect, it } from 'vitest';
import { AmiProtocolError } from '../../src/ami/errors.js';
import { field, type AmiEvent } from '../../src/ami/message.js';
import { useAmiHarness } from './harness.js';

const harness = useAmiHarness();

const names = (events: AmiEvent[]) => events.map((event) => event.event);

describe('listAction', () => {
  it('gathers CoreShowChannels, QueueStatus and QueueSummary up to their Complete events', async () => {
    const server = await harness.server({ transcript: 'answered-to-queue' });
    const { connection } = harness.connection(server.config);
    await connection.start();
    const stray: AmiEvent[] = [];
    connection.on('event', (event) => stray.push(event));

    const summary = await connection.listAction({ action: 'QueueSummary' });
    expect(summary.response).toMatchObject({ eventlist: 'start', message: 'Queue summary will follow' });
    expect(names(summary.events)).toEqual(['QueueSummary']);
    expect(summary.complete).toMatchObject({ event: 'QueueSummaryComplete', listitems: '1' });

    await connection.action({ action: 'Originate', channel: 'Local/1001@customers', context: 'dest', exten: 'queue-sales', priority: 1, async: true });
    const channels = await connection.listAction({ action: 'CoreShowChannels' });
    expect(names(channels.events)).toEqual(['CoreShowChannel', 'CoreShowChannel', 'CoreShowChannel', 'CoreShowChannel']);
    expect(channels.complete).toMatchObject({ event: 'CoreShowChannelsComplete', listitems: '4' });

    const status = await connection.listAction({ action: 'QueueStatus' });
    expect(names(status.events)).toEqual(['QueueParams', 'QueueMember', 'QueueMember']);
    expect(status.complete).toMatchObject({ event: 'QueueStatusComplete', listitems: '3' });

    // List items went to the lists only; the live stream got the call's events, AgentComplete included.
    const ours = new Set([summary, channels, status].map((list) => field(list.response, 'actionid')));
    expect(stray.filter((event) => ours.has(field(event, 'actionid')))).toEqual([]);
    expect(names(stray)).toContain('AgentComplete');
  });

  it('copes with the bare LF inside an Asterisk 22 Agents item', async () => {
    const server = await harness.server({ transcript: 'agents-login-queue', chunkSize: () => 7 });
    const { connection } = harness.connection(server.config);
    await connection.start();
    const lists = [];
    for (let index = 0; index < 3; index += 1) lists.push(await connection.listAction({ action: 'Agents' }));
    const onCall = lists[2]?.events.find((event) => event.status === 'AGENT_ONCALL');
    expect(onCall).toMatchObject({
      agent: '1001',
      talkingtochan: 'Local/1001@agent-request-00000003;2',
      callstarted: '1795312888',
      loggedintime: '1795312880',
      channel: 'Local/1001@agent-login-00000000;2',
      actionid: field(lists[2]?.response ?? {}, 'actionid'),
    });
    expect(lists[2]?.complete).toMatchObject({ event: 'AgentsComplete', listitems: '2' });
  });

  it('rejects a list request answered without a list', async () => {
    const server = await harness.server();
    const { connection } = harness.connection(server.config);
    await connection.start();
    await expect(connection.listAction({ action: 'Ping' })).rejects.toThrow(AmiProtocolError);
  });

  it('keeps the items of a list answering a plain action() out of the event stream', async () => {
    const server = await harness.server({ transcript: 'hangup-and-setvar' });
    const { connection } = harness.connection(server.config);
    await connection.start();
    const events: AmiEvent[] = [];
    connection.on('event', (event) => events.push(event));
    const response = await connection.action({ action: 'Hangup', channel: '/^Local\\/6003@customers-.*;1$/', cause: 16 });
    expect(response).toMatchObject({ eventlist: 'start', message: 'Channels hung up will follow' });
    // Asterisk answers in order: once a later Ping is answered, every frame before it has been routed.
    await connection.action({ action: 'Ping' });
    expect(names(events)).toContain('Hangup');
    expect(names(events)).not.toContain('ChannelHungup');
    expect(names(events)).not.toContain('ChannelsHungupListComplete');
  });
});

describe('command', () => {
  it('returns the Output: lines of an Asterisk 22 Command response', async () => {
    const server = await harness.server({ transcript: 'queue-admin' });
    const { connection } = harness.connection(server.config);
    await connection.start();
    const sent = server.nextAction('Command');
    expect(await connection.command('core show version')).toEqual([
      'Asterisk GIT-22-22.0.0-pre1-541-g69535d4837 built by root @ vm on a x86_64 running Linux on 2026-11-21 20:54:31 UTC',
    ]);
    expect((await sent).action).toMatchObject({ action: 'Command', command: 'core show version' });
  });

  it('returns every line, empty ones included, and none when there is no output', async () => {
    const outputs: Record<string, string[]> = {
      'queue show': ['support has 0 calls (max unlimited) in \'leastrecent\' strategy', '   Members: ', '', 'No Callers'],
      'devstate change Custom:x INUSE': [],
    };
    const server = await harness.server({
      handlers: {
        command: (action, session) =>
          session.respond(action, 'Success', { Message: 'Command output follows', Output: outputs[field(action, 'command')] ?? [] }),
      },
    });
    const { connection } = harness.connection(server.config);
    await connection.start();
    expect(await connection.command('queue show')).toEqual(outputs['queue show']);
    expect(await connection.command('devstate change Custom:x INUSE')).toEqual([]);
  });

  it('reads the Response: Follows form of Asterisk before 14, even cut into small pieces', async () => {
    const server = await harness.server({
      chunkSize: () => 5,
      handlers: {
        command: (action, session) =>
          session.send(
            `Response: Follows\r\nPrivilege: Command\r\nActionID: ${field(action, 'actionid')}\r\n` +
              'Asterisk 11.25.3 built by root\r\nsecond line\r\n--END COMMAND--\r\n\r\n',
          ),
      },
    });
    const { connection } = harness.connection(server.config);
    await connection.start();
    expect(await connection.command('core show version')).toEqual(['Asterisk 11.25.3 built by root', 'second line']);
  });
});
