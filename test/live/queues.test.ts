import { describe, expect, it } from 'vitest';
import { callerKey, memberKey } from '../../src/live/state.js';
import { reduce } from '../../src/live/reducer.js';
import { SERVER, changesOf, finalState, replay, stateAt, variantOf } from './replay.js';

describe('a customer answered through queue sales (answered-to-queue)', () => {
  const steps = replay('answered-to-queue');
  const caller = callerKey('sales', '1795294827.0');

  it('shows the caller waiting, with position, wait start, channel and caller id, while queued', () => {
    const state = stateAt(steps, 45);
    expect(state.queueCaller.get(caller)).toEqual({
      server: 'pbx-test',
      queue: 'sales',
      uniqueid: '1795294827.0',
      channel: 'Local/1001@customers-00000000;1',
      position: 1,
      callerIdNum: '5550000',
      callerIdName: 'Campaign A',
      connectedLineNum: '5550000',
      connectedLineName: 'Campaign A',
      waitingSince: 1795294828796,
      priority: null,
      abandoned: false,
    });
    expect(state.queue.get('sales')?.calls).toBe(1);
  });

  it('removes the caller when the agent answers, and the queue counts no caller', () => {
    const left = changesOf(steps, 'queueCaller').filter((change) => change.kind === 'REMOVED');
    expect(left.map((change) => [change.line, change.key, change.value.abandoned])).toEqual([[91, caller, false]]);
    expect(stateAt(steps, 91).queue.get('sales')?.calls).toBe(0);
  });

  it('shows both ringall members in use while ringing and the winner in call in the QueueStatus list', () => {
    const ringing = stateAt(steps, 79);
    expect(ringing.queueMember.get(memberKey('sales', 'Local/101@agents/n'))).toMatchObject({ status: 2, statusName: 'INUSE' });
    expect(ringing.queueMember.get(memberKey('sales', 'Local/102@agents/n'))).toMatchObject({ status: 2, statusName: 'INUSE' });
    expect(stateAt(steps, 117).queueMember.get(memberKey('sales', 'Local/102@agents/n'))?.inCall).toBe(true);
  });

  it('ends with no caller in sales and the agent member back to not in use, one call taken', () => {
    const state = finalState(steps);
    expect([...state.queueCaller.values()].filter((waiting) => waiting.queue === 'sales')).toEqual([]);
    expect(state.queueMember.get(memberKey('sales', 'Local/102@agents/n'))).toMatchObject({
      name: 'Agent 102',
      stateInterface: 'Local/102@agents',
      membership: 'static',
      status: 1,
      statusName: 'NOT_INUSE',
      inCall: false,
      callsTaken: 1,
      lastCall: 1795294833000,
      loginTime: 1795294819000,
    });
    expect(state.queueMember.get(memberKey('sales', 'Local/101@agents/n'))).toMatchObject({ status: 1, callsTaken: 0 });
  });

  it('keeps the figures of QueueSummary and adds the params of QueueParams', () => {
    expect(stateAt(steps, 8).queue.get('sales')).toMatchObject({ loggedIn: 2, available: 2, calls: 0, longestHoldTime: 0, strategy: null });
    expect(stateAt(steps, 116).queue.get('sales')).toMatchObject({
      strategy: 'ringall',
      max: 0,
      completed: 0,
      abandoned: 0,
      serviceLevelPerf: 0,
      loggedIn: 2,
    });
  });
});

describe('queue members added, paused and removed (queue-admin)', () => {
  const steps = replay('queue-admin');
  const key = memberKey('support', 'Local/103@agents/n');

  it('adds a dynamic member with its name, state interface and penalty', () => {
    const added = changesOf(steps, 'queueMember').find((change) => change.key === key);
    expect(added).toMatchObject({
      line: 9,
      kind: 'CREATED',
      value: {
        queue: 'support',
        interface: 'Local/103@agents/n',
        name: 'Agent 103',
        stateInterface: 'Local/103@agents',
        membership: 'dynamic',
        penalty: 1,
        paused: false,
        status: 1,
      },
    });
  });

  it('pauses it with its reason, then unpauses it', () => {
    expect(stateAt(steps, 15).queueMember.get(key)).toMatchObject({ paused: true, pausedReason: 'lunch', lastPause: 1795294903000 });
    expect(stateAt(steps, 33).queueMember.get(key)).toMatchObject({ paused: false, pausedReason: '' });
  });

  it('agrees with the QueueStatus list while paused: the QueueMember item changes no member (line 19), and the queue counts it logged in, not available', () => {
    const changes = steps.find((step) => step.line === 19)?.changes ?? [];
    expect(changes.filter((change) => change.entity === 'queueMember')).toEqual([]);
    expect(stateAt(steps, 19).queue.get('support')).toMatchObject({ loggedIn: 1, available: 0 });
  });

  it('removes it, and the failed second remove changes nothing', () => {
    const removed = changesOf(steps, 'queueMember').filter((change) => change.kind === 'REMOVED');
    expect(removed.map((change) => [change.line, change.key])).toEqual([[36, key]]);
    expect(finalState(steps).queueMember.has(key)).toBe(false);
    expect(finalState(steps).queueMember.size).toBe(2);
  });

  it('reads the summary of a queue whose only member is paused: one logged in, none available', () => {
    expect(stateAt(steps, 26).queue.get('support')).toMatchObject({ loggedIn: 1, available: 0, strategy: 'leastrecent' });
  });
});

describe('an abandoned caller (QueueCallerAbandon, which no transcript shows)', () => {
  const steps = replay('answered-to-queue');
  const first = callerKey('sales', '1795294827.0');
  const second = callerKey('sales', '1795299999.9');
  const joined = reduce(
    stateAt(steps, 45),
    variantOf(steps, 45, { uniqueid: '1795299999.9', channel: 'Local/1009@customers-00000042;1', position: '2', count: '2' }),
    SERVER,
  ).state;

  it('queues a second caller behind the first', () => {
    expect(joined.queueCaller.get(second)).toMatchObject({ position: 2, channel: 'Local/1009@customers-00000042;1' });
    expect(joined.queue.get('sales')?.calls).toBe(2);
  });

  it('marks the caller abandoned, removes it on leave, and moves the one behind up', () => {
    const abandon = variantOf(steps, 45, { event: 'QueueCallerAbandon', position: '1', originalposition: '1', holdtime: '3' });
    const abandoned = reduce(joined, abandon, SERVER);
    // The queue's own count stays unknown (Asterisk never said it); today's is counted from here.
    expect(abandoned.changes.map((change) => [change.kind, change.key])).toEqual([
      ['UPDATED', first],
      ['UPDATED', 'sales'],
    ]);
    expect(abandoned.state.queue.get('sales')).toMatchObject({ abandoned: null, today: { answered: 0, abandoned: 1 } });
    expect(reduce(abandoned.state, abandon, SERVER).changes).toEqual([]);
    const left = reduce(abandoned.state, variantOf(steps, 91, { count: '1' }), SERVER);
    expect(left.changes.map((change) => [change.kind, change.entity, change.key])).toEqual([
      ['REMOVED', 'queueCaller', first],
      ['UPDATED', 'queueCaller', second],
      ['UPDATED', 'queue', 'sales'],
    ]);
    expect(left.changes[0]?.value).toMatchObject({ abandoned: true });
    expect(left.state.queueCaller.get(second)?.position).toBe(1);
    expect(left.state.queue.get('sales')?.calls).toBe(1);
  });
});
