import { afterEach, describe, expect, it } from 'vitest';
import { parseAmiUrl } from '../../../src/ami/config.js';
import { AmiAuthenticationError } from '../../../src/ami/errors.js';
import type { AmiEvent } from '../../../src/ami/message.js';
import { startSimulator, type Simulator } from '../../../src/ami/simulator/index.js';
import { useAmiHarness } from '../harness.js';

const simulators: Simulator[] = [];
// Registered before the harness so it runs after it: connections close first, then their simulator.
afterEach(async () => {
  for (const simulator of simulators.splice(0)) await simulator.close();
});
const { connection } = useAmiHarness();

async function simulator(): Promise<Simulator> {
  const started = await startSimulator({ username: 'admin', secret: 'labsecret', speed: 50 });
  simulators.push(started);
  return started;
}

describe('the real client against the simulator', () => {
  it('logs in, originates a 1XXX call and receives its events through to both Hangups', async () => {
    const sim = await simulator();
    const { connection: ami } = connection(parseAmiUrl(sim.url));
    const events: AmiEvent[] = [];
    const bothHungUp = new Promise<void>((resolve) => {
      ami.on('event', (event) => {
        events.push(event);
        if (events.filter((seen) => seen.event === 'Hangup').length === 2) resolve();
      });
    });
    await ami.start();
    expect(await ami.command('core show version')).toEqual([expect.stringMatching(/^Asterisk GIT-22-/)]);
    const response = await ami.action({
      action: 'Originate',
      channel: 'Local/1001@customers',
      context: 'dest',
      exten: 'echo',
      priority: '1',
      timeout: '30000',
      callerid: '"Campaign A" <5550000>',
      async: 'true',
      channelid: 'dial-1',
      variable: 'OB_DIALING=dial-1',
    });
    expect(response.message).toBe('Originate successfully queued');
    await bothHungUp;
    const originate = events.find((event) => event.event === 'OriginateResponse');
    expect(originate).toMatchObject({ response: 'Success', reason: '4', uniqueid: 'dial-1', channel: 'Local/1001@customers-00000000;1' });
    const hangups = events.filter((event) => event.event === 'Hangup');
    expect(hangups.map((event) => [event.channel, event.cause])).toEqual([
      ['Local/1001@customers-00000000;1', '16'],
      ['Local/1001@customers-00000000;2', '16'],
    ]);
    expect(events.find((event) => event.event === 'Newchannel')).toMatchObject({ uniqueid: 'dial-1', linkedid: 'dial-1' });
    const channels = await ami.listAction({ action: 'CoreShowChannels' });
    expect(channels.events).toEqual([]);
    expect(channels.complete.listitems).toBe('0');
  });

  it('reports a wrong secret as a refused login', async () => {
    const sim = await simulator();
    const { connection: ami } = connection({ ...parseAmiUrl(sim.url), secret: 'wrong' });
    await expect(ami.start()).rejects.toBeInstanceOf(AmiAuthenticationError);
  });
});
