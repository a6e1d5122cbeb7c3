import { describe, expect, it } from 'vitest';
import { parseFrame, type AmiEvent } from '../../src/ami/message.js';
import { reduce } from '../../src/live/reducer.js';
import { SERVER, replay, stateAt } from './replay.js';

function event(lines: string[]): AmiEvent {
  return parseFrame(`${lines.join('\r\n')}\r\n\r\n`) as AmiEvent;
}

describe('the PBX itself', () => {
  it('takes uptime and time since reload from the FullyBooted event sent on login', () => {
    const steps = replay('busy');
    expect(steps[0]?.changes).toEqual([
      {
        kind: 'CREATED',
        entity: 'pbx',
        key: SERVER,
        value: expect.objectContaining({ server: SERVER, fullyBooted: true, uptime: 42, sinceReload: 42, asteriskVersion: null }),
      },
    ]);
  });

  it('records the last Reload, with its time and module', () => {
    const booted = stateAt(replay('busy'), 4);
    const reload = event(['Event: Reload', 'Privilege: system,all', 'Timestamp: 1795294900.250000', 'Module: All', 'Status: 0']);
    const { state } = reduce(booted, reload, SERVER);
    expect(state.pbx.get(SERVER)).toMatchObject({ lastReloadAt: 1795294900250, lastReloadModule: 'All', uptime: 42 });
  });

  it('marks the PBX shutting down on Shutdown, and booted again on the next FullyBooted', () => {
    const booted = stateAt(replay('busy'), 4);
    const down = reduce(booted, event(['Event: Shutdown', 'Privilege: system,all', 'Shutdown: Cleanly', 'Restart: True']), SERVER).state;
    expect(down.pbx.get(SERVER)).toMatchObject({ shuttingDown: true, fullyBooted: false });
    const up = reduce(down, event(['Event: FullyBooted', 'Privilege: system,all', 'Uptime: 1', 'LastReload: 1', 'Status: Fully Booted']), SERVER).state;
    expect(up.pbx.get(SERVER)).toMatchObject({ shuttingDown: false, fullyBooted: true, uptime: 1 });
  });
});
