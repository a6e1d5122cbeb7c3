import { describe, expect, it } from 'vitest';
import { isEvent, parseFrame } from '../../../src/ami/message.js';
import { reduce } from '../../../src/live/reducer.js';
import { emptyLiveState } from '../../../src/live/state.js';
import { listComparisons } from '../../live/listsAgree.js';
import { SERVER, type Step } from '../../live/replay.js';
import { transcriptEpoch, type TranscriptName } from '../../support/transcripts.js';
import { replayOnClock } from './replay.js';
import { useSimulatorSessions } from './sessions.js';

const { startOnClock } = useSimulatorSessions();

/** A recording's actions replayed against the simulator, and what it sent reduced event by event, numbered by frame. */
async function simulatedSteps(name: TranscriptName): Promise<Step[]> {
  const { simulator, clock } = await startOnClock(transcriptEpoch(name));
  const { frames } = await replayOnClock(name, simulator.port, clock);
  const steps: Step[] = [];
  let state = emptyLiveState();
  frames.forEach((frame, index) => {
    const message = parseFrame(frame);
    if (!isEvent(message)) return;
    const result = reduce(state, message, SERVER);
    state = result.state;
    steps.push({ line: index + 1, event: message, state, changes: result.changes });
  });
  return steps;
}

describe("the simulator's lists say what its own events said", () => {
  const names = ['agents-login-queue', 'agents-ackcall-accept', 'agent-logoff-mid-call', 'agent-double-login', 'queue-wait-for-agent', 'queue-admin', 'device-states'] as const;
  it.each(names)('%s: every QueueStatus, QueueSummary and Agents item it sends agrees with the state its events built before it', async (name) => {
    const compared = await simulatedSteps(name);
    const comparisons = listComparisons(compared);
    expect(comparisons.length).toBeGreaterThan(0);
    for (const item of comparisons) expect({ ...item, reducer: item.asterisk }).toEqual(item);
  });
});
