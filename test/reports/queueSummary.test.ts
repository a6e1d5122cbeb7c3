import { describe, expect, it } from 'vitest';
import { field, isEvent } from '../../src/ami/message.js';
import { reduce } from '../../src/live/reducer.js';
import { resync } from '../../src/live/resync.js';
import { emptyLiveState, type LiveState, type QueueMember } from '../../src/live/state.js';
import { MemoryLiveStore } from '../../src/live/storeMemory.js';
import { queueSummaries, summarizeQueue } from '../../src/reports/queueSummary.js';
import { receivedMessages } from '../support/transcripts.js';
import { replay, SERVER, stateAt, type Step } from '../live/replay.js';

const summaryOf = (state: LiveState, queue: string, now: number) =>
  summarizeQueue(
    state.queue.get(queue) ?? expect.fail(`no queue ${queue}`),
    [...state.queueMember.values()].filter((member) => member.queue === queue),
    [...state.queueCaller.values()].filter((caller) => caller.queue === queue),
    now,
    new Map([...state.agent.values()].map((agent) => [agent.id, agent])),
  );

const firstState = (steps: readonly Step[], wanted: (state: LiveState) => boolean) => steps.find((step) => wanted(step.state))?.state ?? expect.fail('never reached');

describe('a queue summarized for a wallboard', () => {
  it('counts agents from the live queue members: both logged in and idle, then one taken by a campaign call', () => {
    const steps = replay('agents-login-queue');
    const members = (state: LiveState) => [...state.queueMember.values()];
    const loggedIn = firstState(steps, (state) => members(state).length === 2 && members(state).every((member) => member.status === 1));
    expect(summaryOf(loggedIn, 'helpdesk', 0)).toMatchObject({ server: SERVER, queue: 'helpdesk', strategy: 'linear', loggedIn: 2, available: 2, paused: 0, busy: 0, callers: 0 });

    const onCall = firstState(steps, (state) => members(state).some((member) => member.inCall));
    expect(summaryOf(onCall, 'helpdesk', 0)).toMatchObject({ loggedIn: 2, available: 1, busy: 1 });

    // At the end both agents logged off: their devices are UNAVAILABLE.
    expect(summaryOf(steps.at(-1)?.state as LiveState, 'helpdesk', 0)).toMatchObject({ loggedIn: 0, available: 0, busy: 0 });
  });

  it("shows the caller waiting and how long, and Asterisk's own agent figures while no member is known yet", () => {
    const steps = replay('answered-to-queue');
    const waiting = firstState(steps, (state) => state.queueCaller.size > 0);
    const since = [...waiting.queueCaller.values()][0]?.waitingSince as number;
    expect(summaryOf(waiting, 'sales', since + 12_400)).toMatchObject({ callers: 1, longestHoldTime: 12, loggedIn: 2, available: 2, holdTime: 0, talkTime: 0 });
  });

  it("counts today's answered calls from the events, shows none once the day is over, and keeps them across a resync", () => {
    const steps = replay('answered-to-queue');
    const answered = firstState(steps, (state) => state.queue.get('sales')?.today?.answered === 1);
    const today = answered.queue.get('sales')?.today ?? expect.fail('no day counted');
    // The transcript's own day, in the process's time zone: the event's Timestamp decides it.
    const noon = new Date(`${today.day}T12:00:00`).getTime();
    expect(summaryOf(answered, 'sales', noon)).toMatchObject({ answeredToday: 1, abandonedToday: 0 });
    expect(summaryOf(answered, 'sales', noon + 24 * 3_600_000)).toMatchObject({ answeredToday: 0, abandonedToday: 0 });
    // The figures Asterisk reports start from its last reset, which no day knows: a resync keeps today's count.
    const resynced = resync(answered, { queueStatus: receivedMessages('answered-to-queue').filter((message) => isEvent(message) && message.event === 'QueueParams' && field(message, 'queue') === 'sales') }, SERVER, noon);
    expect(resynced.state.queue.get('sales')?.today).toEqual(today);
  });

  it('counts a paused agent as paused, and as busy only while on a call, never as available', () => {
    const steps = replay('agents-login-queue');
    const state = firstState(steps, (s) => [...s.queueMember.values()].filter((member) => member.status === 1).length === 2);
    const queue = state.queue.get('helpdesk') ?? expect.fail('no queue');
    const [first, second] = [...state.queueMember.values()] as [QueueMember, QueueMember];
    expect(summarizeQueue(queue, [{ ...first, paused: true }, second], [], 0)).toMatchObject({ loggedIn: 2, available: 1, paused: 1, busy: 0 });
    expect(summarizeQueue(queue, [{ ...first, paused: true, inCall: true, status: 2 }, second], [], 0)).toMatchObject({ loggedIn: 2, available: 1, paused: 1, busy: 1 });
  });

  it('lists every queue of the live store by server and name', async () => {
    const store = new MemoryLiveStore();
    for (const [server, name] of [['pbx-b', 'agents-login-queue'], ['pbx-a', 'answered-to-queue']] as const) {
      let state = emptyLiveState();
      for (const message of receivedMessages(name)) {
        if (!isEvent(message)) continue;
        const reduction = reduce(state, message, server);
        state = reduction.state;
        await store.apply(server, reduction.changes);
      }
    }
    const summaries = await queueSummaries(store, undefined);
    expect(summaries.map((summary) => [summary.server, summary.queue])).toEqual([['pbx-a', 'sales'], ['pbx-b', 'helpdesk']]);
    expect((await queueSummaries(store, 'pbx-b')).map((summary) => summary.queue)).toEqual(['helpdesk']);
  });

  it('counts each member in one state, agents read from their agent: ringing while an offer waits for the agent, on the call, in wrap-up, idle, logged off', () => {
    const steps = replay('agents-ackcall-accept');
    const agentsAt = (line: number) => summaryOf(stateAt(steps, line), 'helpdesk', 0).agents;
    const none = { idle: 0, ringing: 0, onCall: 0, wrapUp: 0, paused: 0 };
    // Agent 1001 never logs in here; 1002 is offered the call at line 111 and presses # at 129.
    expect(agentsAt(111)).toEqual({ ...none, ringing: 1, loggedOff: 1 });
    expect(agentsAt(143)).toEqual({ ...none, onCall: 1, loggedOff: 1 });
    expect(agentsAt(168)).toEqual({ ...none, wrapUp: 1, loggedOff: 1 });
    expect(agentsAt(208)).toEqual({ ...none, idle: 1, loggedOff: 1 });
    expect(agentsAt(228)).toEqual({ ...none, loggedOff: 2 });
  });

  it("counts a plain member ringing by its device, in wrap-up for its own Wrapuptime after its last call, paused when doing nothing else", () => {
    const steps = replay('queue-admin');
    const state = steps.at(-1)?.state as LiveState;
    const queue = state.queue.get('sales') ?? expect.fail('no queue');
    const [member] = [...state.queueMember.values()].filter((candidate) => candidate.queue === 'sales') as [QueueMember];
    const now = 1_800_000_000_000;
    const free = { ...member, status: 1, paused: false, inCall: false, wrapUpTime: 10, lastCall: now - 20_000 };
    const counted = (members: QueueMember[]) => summarizeQueue(queue, members, [], now).agents;
    expect(counted([free])).toMatchObject({ idle: 1 });
    expect(counted([{ ...free, status: 6 }])).toMatchObject({ ringing: 1, idle: 0 });
    expect(counted([{ ...free, lastCall: now - 5_000 }])).toMatchObject({ wrapUp: 1, idle: 0 });
    expect(counted([{ ...free, paused: true }])).toMatchObject({ paused: 1, idle: 0 });
    expect(counted([{ ...free, paused: true, inCall: true, status: 2 }])).toMatchObject({ onCall: 1, paused: 0 });
    expect(counted([{ ...free, status: 5 }])).toMatchObject({ loggedOff: 1 });
  });
});
