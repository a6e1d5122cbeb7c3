import { describe, expect, it } from 'vitest';
import { parseFrame, type AmiEvent } from '../../src/ami/message.js';
import { sinceReloadAt, uptimeAt } from '../../src/live/pbx.js';
import { reduce, reduceEvents } from '../../src/live/reducer.js';
import { emptyLiveState } from '../../src/live/state.js';
import { resync } from '../../src/live/resync.js';
import { SERVER, finalState, replay, stateAt } from './replay.js';

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

describe('what the PBX says of itself, kept up after it said it', () => {
  const coreStatus = (currentCalls: number) =>
    parseFrame(`Response: Success\r\nActionID: r\r\nCoreStartupDate: 2026-11-21\r\nCoreStartupTime: 21:00:19\r\nCoreReloadDate: 2026-11-21\r\nCoreReloadTime: 21:00:20\r\nCoreCurrentCalls: ${currentCalls}\r\nCoreProcessedCalls: 12\r\n\r\n`);

  it('counts the channels up from the last CoreStatus on, as CoreCurrentCalls counts them: up on each Newchannel, down on each Hangup', () => {
    const steps = replay('busy');
    const listed = resync(stateAt(steps, 4), { coreStatus: coreStatus(3) }, SERVER, 1_795_294_900_000).state;
    let state = listed;
    const counted: (number | null | undefined)[] = [];
    for (const step of steps.filter((candidate) => candidate.line > 4)) {
      state = reduce(state, step.event, SERVER).state;
      if (step.event.event === 'Newchannel' || step.event.event === 'Hangup') counted.push(state.pbx.get(SERVER)?.currentCalls);
    }
    // busy: the two legs of a Local channel come up, then both go.
    expect(counted).toEqual([4, 5, 4, 3]);
  });

  it('knows no count before a CoreStatus gave one', () => {
    expect(finalState(replay('busy')).pbx.get(SERVER)?.currentCalls).toBeNull();
  });

  it('tells uptime and time since reload now, from what FullyBooted said and when it came, and from a later Reload', () => {
    const fullyBooted = replay('busy')[0]?.event;
    if (fullyBooted === undefined) throw new Error('busy begins with FullyBooted');
    const booted = reduceEvents(emptyLiveState(), [fullyBooted], SERVER, 1_795_294_800_000).state.pbx.get(SERVER);
    if (booted?.bootReportedAt == null) throw new Error('FullyBooted dated by its arrival');
    expect(booted.bootReportedAt).toBe(1_795_294_800_000);
    expect(uptimeAt(booted, booted.bootReportedAt + 10_500)).toBe(52);
    expect(sinceReloadAt(booted, booted.bootReportedAt + 10_500)).toBe(52);
    const reloaded = { ...booted, lastReloadAt: booted.bootReportedAt + 5_000 };
    expect(sinceReloadAt(reloaded, booted.bootReportedAt + 10_500)).toBe(5);
    expect(uptimeAt(reloaded, booted.bootReportedAt + 10_500)).toBe(52);
  });
});
