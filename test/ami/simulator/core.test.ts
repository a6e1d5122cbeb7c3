import { describe, expect, it } from 'vitest';
import { pairs } from './frames.js';
import { useSimulatorSessions } from './sessions.js';

const sessions = useSimulatorSessions();

const loggedIn = (speed = 20) => sessions.loggedIn(speed);

describe('CoreSettings and CoreStatus, as main/manager.c writes them (no transcript has one)', () => {
  it('CoreSettings: the AMI version of the banner, the version `core show version` prints, default options', async () => {
    const { client } = await loggedIn();
    client.send({ Action: 'CoreSettings', ActionID: 'cs' });
    expect(await client.response('cs')).toBe(
      'Response: Success\r\nActionID: cs\r\nAMIversion: 11.0.0\r\nAsteriskVersion: GIT-22-22.0.0-pre1-541-g69535d4837\r\nSystemName: \r\n' +
        'CoreMaxCalls: 0\r\nCoreMaxLoadAvg: 0.000000\r\nCoreRunUser: \r\nCoreRunGroup: \r\nCoreMaxFilehandles: 0\r\n' +
        'CoreRealTimeEnabled: No\r\nCoreCDRenabled: Yes\r\nCoreHTTPenabled: No\r\nSoundsSearchCustomDir: No\r\n\r\n',
    );
  });

  it('CoreStatus: startup and reload date and time of the simulator start, channels up, channels made', async () => {
    // 4x: echo's 3 s after the answer last 750 ms, ample for the second CoreStatus.
    const { simulator, client } = await loggedIn(4);
    client.send({ Action: 'CoreStatus', ActionID: 's1' });
    const idle = new Map(pairs(await client.response('s1')));
    expect([...idle.keys()]).toEqual(['Response', 'ActionID', 'CoreStartupDate', 'CoreStartupTime', 'CoreReloadDate', 'CoreReloadTime', 'CoreCurrentCalls', 'CoreProcessedCalls']);
    const started = new Date(simulator.pbx.startedAt).toISOString();
    expect(idle.get('CoreStartupDate')).toBe(started.slice(0, 10));
    expect(idle.get('CoreStartupTime')).toBe(started.slice(11, 19));
    expect(idle.get('CoreReloadTime')).toBe(idle.get('CoreStartupTime'));
    expect(idle.get('CoreCurrentCalls')).toBe('0');
    expect(idle.get('CoreProcessedCalls')).toBe('0');

    // A 6XXX customer talks 30 s: both Local legs are up when CoreStatus is asked after the answer.
    client.send({ Action: 'Originate', Channel: 'Local/6001@customers', Context: 'dest', Exten: 'echo', Priority: '1', Async: 'true', ActionID: 'o' });
    await client.frame((fields) => fields.get('Event') === 'OriginateResponse');
    client.send({ Action: 'CoreStatus', ActionID: 's2' });
    const busy = new Map(pairs(await client.response('s2')));
    expect(busy.get('CoreCurrentCalls')).toBe('2');
    expect(busy.get('CoreProcessedCalls')).toBe('2');
  });
});
