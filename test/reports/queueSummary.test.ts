import { describe, expect, it } from 'vitest';
import { isEvent } from '../../src/ami/message.js';
import { reduce } from '../../src/live/reducer.js';
import { emptyLiveState, type LiveState, type QueueMember } from '../../src/live/state.js';
import { MemoryLiveStore } from '../../src/live/storeMemory.js';
import { queueSummaries, summarizeQueue } from '../../src/reports/queueSummary.js';
import { receivedMessages } from '../support/transcripts.js';
import { replay, SERVER, type Step } from '../live/replay.js';

const summaryOf = (state: LiveState, queue: string, now: number) =>
  summarizeQueue(
    state.queue.get(queue) ?? expect.fail(`no queue ${queue}`),
    [...state.queueMember.values()].filter((member) => member.queue === queue),
    [...state.queueCaller.values()].filter((caller) => caller.queue === queue),
    now,
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
});
