import { isEvent, parseFrame, type AmiEvent } from '../../src/ami/message.js';
import { reduceEvents } from '../../src/live/reducer.js';
import { emptyLiveState, type Change, type LiveState } from '../../src/live/state.js';
import { readTranscript, type TranscriptName } from '../support/transcripts.js';

export const SERVER = 'pbx-test';

/** One event of a transcript after the reducer took it: its line in the .jsonl file (from 1), the state and the changes. */
export type Step = { readonly line: number; readonly event: AmiEvent; readonly state: LiveState; readonly changes: readonly Change[] };

/**
 * Every event Asterisk sent in a transcript, reduced one after the other from an empty state; `receivedAt` as an
 * ingest would give it (the moment of events with no Timestamp), null by default.
 */
export function replay(name: TranscriptName, from: LiveState = emptyLiveState(), receivedAt: number | null = null): Step[] {
  const received = readTranscript(name).flatMap((frame, index) => (frame.dir === 'in' ? [{ frame: frame.frame, line: index + 1 }] : []));
  return reduceFrames(received, from, receivedAt);
}

/** Frames as a PBX sent them (the banner and responses pass by), each event reduced in turn; `line` numbers each step. */
export function reduceFrames(frames: readonly { frame: string; line: number }[], from: LiveState = emptyLiveState(), receivedAt: number | null = null): Step[] {
  const steps: Step[] = [];
  let state = from;
  for (const { frame, line } of frames) {
    if (frame.startsWith('Asterisk Call Manager/')) continue;
    const message = parseFrame(frame);
    if (!isEvent(message)) continue;
    const result = reduceEvents(state, [message], SERVER, receivedAt);
    state = result.state;
    steps.push({ line, event: message, state, changes: result.changes });
  }
  return steps;
}

/** The state right after the event on a transcript line. */
export function stateAt(steps: readonly Step[], line: number): LiveState {
  const step = steps.find((candidate) => candidate.line === line);
  if (step === undefined) throw new Error(`no event on line ${line}`);
  return step.state;
}

/** The state just before the event on a transcript line (after the last event above it). */
export function stateBefore(steps: readonly Step[], line: number, from: LiveState = emptyLiveState()): LiveState {
  return steps.filter((step) => step.line < line).at(-1)?.state ?? from;
}

/**
 * A real event of a transcript with some fields changed (lower-case keys, as parsed), for what no transcript
 * shows (an abandoned caller, a retrieved parked call): the rest stays byte for byte what Asterisk sent.
 */
export function variantOf(steps: readonly Step[], line: number, changes: Readonly<Record<string, string>>): AmiEvent {
  const step = steps.find((candidate) => candidate.line === line);
  if (step === undefined) throw new Error(`no event on line ${line}`);
  return { ...step.event, ...changes };
}

export function finalState(steps: readonly Step[]): LiveState {
  const last = steps.at(-1);
  if (last === undefined) throw new Error('no events');
  return last.state;
}

/** Every change of one entity kind over the replay, with the line that caused it. */
export function changesOf<E extends Change['entity']>(steps: readonly Step[], entity: E): (Extract<Change, { entity: E }> & { line: number })[] {
  return steps.flatMap((step) =>
    step.changes
      .filter((change): change is Extract<Change, { entity: E }> => change.entity === entity)
      .map((change) => ({ ...change, line: step.line })),
  );
}
