import { describe, expect, it } from 'vitest';
import { listComparisons } from '../../live/listsAgree.js';
import { reduceFrames, type Step } from '../../live/replay.js';
import { transcriptEpoch, type TranscriptName } from '../../support/transcripts.js';
import { replayOnClock } from './replay.js';
import { useSimulatorSessions } from './sessions.js';

const { startOnClock } = useSimulatorSessions();

/** A recording's actions replayed against the simulator, and what it sent reduced event by event, numbered by frame. */
async function simulatedSteps(name: TranscriptName): Promise<Step[]> {
  const { simulator, clock } = await startOnClock(transcriptEpoch(name));
  const { frames } = await replayOnClock(name, simulator.port, clock);
  return reduceFrames(frames.map((frame, index) => ({ frame, line: index + 1 })));
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
