import { describe, expect, it } from 'vitest';
import { field, parseFrame, type AmiMessage } from '../../src/ami/message.js';
import { resync } from '../../src/live/resync.js';
import { callerKey, emptyLiveState, parkedCallKey, type Change } from '../../src/live/state.js';
import { receivedMessages, type TranscriptName } from '../support/transcripts.js';
import { SERVER, finalState, replay, stateAt } from './replay.js';

/** What one action of a transcript got back: its response, its list items and its Complete event. */
function listOf(name: TranscriptName, actionId: string): AmiMessage[] {
  return receivedMessages(name).filter((message) => field(message, 'actionid') === actionId);
}

function frame(lines: string[]): AmiMessage {
  return parseFrame(`${lines.join('\r\n')}\r\n\r\n`);
}

const summary = (changes: readonly Change[]) => changes.map((change) => `${change.kind} ${change.entity} ${change.key}`).sort();

const NOW = 1795294830000;

describe('resync of channels (CoreShowChannels)', () => {
  // A busy call whose Hangup was missed (busy.jsonl up to line 22), then answered-to-queue up to the talk (line 106).
  const stale = stateAt(replay('busy'), 22);
  const live = stateAt(replay('answered-to-queue', stale), 106);
  const channels = listOf('answered-to-queue', 'rec-4');

  it('drops the stale channels and their call, and nothing else', () => {
    const { state, changes } = resync(live, { channels }, SERVER, NOW);
    expect(summary(changes)).toEqual([
      'REMOVED call 1795294861.6',
      'REMOVED channel 1795294861.6',
      'REMOVED channel 1795294861.7',
    ]);
    expect([...state.channel.keys()].sort()).toEqual(['1795294827.0', '1795294827.1', '1795294828.4', '1795294828.5']);
    expect(state.queue).toBe(live.queue);
  });

  it('keeps the exact times and the bridge type the events gave, which the list cannot', () => {
    const { state } = resync(live, { channels }, SERVER, NOW);
    expect(state.channel.get('1795294827.0')).toEqual(live.channel.get('1795294827.0'));
    expect(state.bridge.get('b1521437-df4a-4fd0-ae20-3bcdd39a60c1')).toEqual(live.bridge.get('b1521437-df4a-4fd0-ae20-3bcdd39a60c1'));
    expect(state.call.get('1795294827.0')).toEqual(live.call.get('1795294827.0'));
  });

  it('creates what it did not know, dated from the Duration of each item', () => {
    const { state, changes } = resync(emptyLiveState(), { channels }, SERVER, NOW);
    expect(summary(changes)).toEqual([
      'CREATED bridge b1521437-df4a-4fd0-ae20-3bcdd39a60c1',
      'CREATED call 1795294827.0',
      'CREATED channel 1795294827.0',
      'CREATED channel 1795294827.1',
      'CREATED channel 1795294828.4',
      'CREATED channel 1795294828.5',
    ]);
    expect(state.channel.get('1795294827.0')).toMatchObject({
      name: 'Local/1001@customers-00000000;1',
      application: 'Queue',
      applicationData: 'sales,,,,60',
      bridgeId: 'b1521437-df4a-4fd0-ae20-3bcdd39a60c1',
      createdAt: NOW - 2000,
      answeredAt: null,
      state: 6,
    });
    expect(state.call.get('1795294827.0')?.createdAt).toBe(NOW - 2000);
    expect(state.bridge.get('b1521437-df4a-4fd0-ae20-3bcdd39a60c1')).toMatchObject({ type: '', channels: ['1795294828.4', '1795294827.0'] });
  });

  it('yields no change, and the same state, when resynced twice from the same lists', () => {
    const first = resync(live, { channels }, SERVER, NOW);
    const second = resync(first.state, { channels }, SERVER, NOW + 5000);
    expect(second.changes).toEqual([]);
    expect(second.state).toBe(first.state);
  });

  it('replaces nothing a list was not given for', () => {
    const result = resync(live, {}, SERVER, NOW);
    expect(result).toEqual({ state: live, changes: [] });
  });
});

describe('resync of queues (QueueStatus, QueueSummary)', () => {
  it('removes a caller who left while the connection was down', () => {
    const queued = stateAt(replay('answered-to-queue'), 45);
    const { changes } = resync(queued, { queueStatus: listOf('answered-to-queue', 'rec-5') }, SERVER, NOW);
    const removed = changes.filter((change) => change.kind === 'REMOVED');
    expect(removed).toEqual([
      { kind: 'REMOVED', entity: 'queueCaller', key: callerKey('sales', '1795294827.0'), value: queued.queueCaller.get(callerKey('sales', '1795294827.0')) },
    ]);
  });

  it('removes a member no longer in the queue and keeps what QueueSummary said', () => {
    const paused = stateAt(replay('queue-admin'), 15);
    const old = { ...paused, queue: resync(paused, { queueSummary: listOf('queue-admin', 'rec-5') }, SERVER, NOW).state.queue };
    const { state, changes } = resync(old, { queueStatus: listOf('device-states', 'rec-13') }, SERVER, NOW);
    expect(summary(changes)).toEqual([
      'CREATED queueMember support|Local/104@agents/n',
      'REMOVED queue sales',
      'REMOVED queueMember support|Local/103@agents/n',
      'UPDATED queue support',
    ]);
    expect(state.queue.get('support')).toMatchObject({ strategy: 'leastrecent', loggedIn: 1, available: 0 });
  });

  it('reads QueueEntry items: position, caller id, and the wait start from Wait', () => {
    const entry = frame([
      'Event: QueueEntry',
      'Queue: sales',
      'Position: 2',
      'Channel: Local/1009@customers-00000042;1',
      'Uniqueid: 1795299999.9',
      'CallerIDNum: 5550009',
      'CallerIDName: unknown',
      'ConnectedLineNum: unknown',
      'ConnectedLineName: unknown',
      'Wait: 12',
      'Priority: 3',
      'ActionID: rec-7',
    ]);
    const { state } = resync(emptyLiveState(), { queueStatus: [entry] }, SERVER, NOW);
    expect(state.queueCaller.get(callerKey('sales', '1795299999.9'))).toEqual({
      server: SERVER,
      queue: 'sales',
      uniqueid: '1795299999.9',
      channel: 'Local/1009@customers-00000042;1',
      position: 2,
      callerIdNum: '5550009',
      callerIdName: '',
      connectedLineNum: '',
      connectedLineName: '',
      waitingSince: NOW - 12_000,
      priority: 3,
      abandoned: false,
    });
  });
});

describe('resync of agents, parking, devices and the PBX', () => {
  it('keeps an agent on the same call as the events showed it, with its queue call', () => {
    const oncall = stateAt(replay('agents-login-queue'), 152);
    const { changes } = resync(oncall, { agents: listOf('agents-login-queue', 'rec-9') }, SERVER, NOW);
    expect(changes).toEqual([]);
  });

  it('logs off agents the Agents list shows logged off', () => {
    const oncall = stateAt(replay('agents-login-queue'), 152);
    const { state, changes } = resync(oncall, { agents: listOf('agents-login-queue', 'rec-14') }, SERVER, NOW);
    expect(summary(changes)).toEqual(['UPDATED agent 1001', 'UPDATED agent 1002']);
    expect(state.agent.get('1001')).toMatchObject({ status: 'LOGGED_OFF', queue: null, talkingTo: null, deviceState: 'INUSE' });
  });

  it('removes a parked call the ParkedCalls list no longer shows, and keeps one it still shows', () => {
    const parked = stateAt(replay('answered-to-park'), 36);
    expect(resync(parked, { parkedCalls: listOf('answered-to-park', 'rec-3') }, SERVER, NOW).changes).toEqual([]);
    const { changes } = resync(parked, { parkedCalls: [] }, SERVER, NOW);
    expect(changes).toEqual([
      { kind: 'REMOVED', entity: 'parkedCall', key: parkedCallKey('default', 701), value: parked.parkedCall.get(parkedCallKey('default', 701)) },
    ]);
  });

  it('reads the lots of the Parkinglots action (Parkinglot items)', () => {
    const lot = frame(['Event: Parkinglot', 'ActionID: rec-4', 'Name: default', 'StartSpace: 701', 'StopSpace: 720', 'Timeout: 20']);
    const { changes } = resync(emptyLiveState(), { parkingLots: [lot, frame(['Event: ParkinglotsComplete', 'ActionID: rec-4', 'EventList: Complete', 'ListItems: 1'])] }, SERVER, NOW);
    expect(changes).toEqual([
      { kind: 'CREATED', entity: 'parkingLot', key: 'default', value: { server: SERVER, name: 'default', startSpace: 701, stopSpace: 720, timeout: 20 } },
    ]);
  });

  it('removes device and extension states the lists no longer show', () => {
    const old = finalState(replay('answered-to-park'));
    expect(old.device.has('park:701@parkedcalls')).toBe(true);
    const { state, changes } = resync(
      old,
      { deviceStates: listOf('device-states', 'rec-19'), extensionStates: listOf('device-states', 'rec-21') },
      SERVER,
      NOW,
    );
    expect(changes.filter((change) => change.kind === 'REMOVED').map((change) => change.key)).toEqual(['park:701@parkedcalls']);
    expect(state.device.size).toBe(11);
    expect(state.extension.get('202@hints')?.status).toBe(0);
  });

  it('reads versions from CoreSettings and start, reload and current calls from CoreStatus, keeping FullyBooted uptime', () => {
    const booted = stateAt(replay('queue-admin'), 4);
    const coreSettings = frame([
      'Response: Success',
      'ActionID: rec-20',
      'AMIversion: 11.0.0',
      'AsteriskVersion: GIT-22-22.0.0-pre1-541-g69535d4837',
      'SystemName: ',
      'CoreMaxCalls: 0',
      'CoreMaxLoadAvg: 0.000000',
      'CoreRunUser: ',
      'CoreRunGroup: ',
      'CoreMaxFilehandles: 0',
      'CoreRealTimeEnabled: No',
      'CoreCDRenabled: Yes',
      'CoreHTTPenabled: No',
      'SoundsSearchCustomDir: No',
    ]);
    const coreStatus = frame([
      'Response: Success',
      'ActionID: rec-21',
      'CoreStartupDate: 2026-11-21',
      'CoreStartupTime: 21:00:19',
      'CoreReloadDate: 2026-11-21',
      'CoreReloadTime: 21:00:20',
      'CoreCurrentCalls: 2',
      'CoreProcessedCalls: 12',
    ]);
    const { changes } = resync(booted, { coreSettings, coreStatus }, SERVER, NOW);
    expect(changes).toEqual([
      {
        kind: 'UPDATED',
        entity: 'pbx',
        key: SERVER,
        value: {
          server: SERVER,
          amiVersion: '11.0.0',
          asteriskVersion: 'GIT-22-22.0.0-pre1-541-g69535d4837',
          systemName: '',
          maxCalls: 0,
          startedAt: '2026-11-21 21:00:19',
          reloadedAt: '2026-11-21 21:00:20',
          currentCalls: 2,
          processedCalls: 12,
          fullyBooted: true,
          uptime: 83,
          sinceReload: 83,
          bootReportedAt: booted.pbx.get(SERVER)?.bootReportedAt,
          lastReloadAt: null,
          lastReloadModule: null,
          shuttingDown: false,
          connected: false,
        },
      },
    ]);
  });
});
