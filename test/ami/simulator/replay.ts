import { connect } from 'node:net';
import type { ManualClock } from '../../../src/ami/simulator/index.js';
import { readTranscript, type TranscriptName } from '../../support/transcripts.js';
import { splitFrames } from './frames.js';

export type Replay = { banner: string; frames: string[] };

/** What the transcript received, the banner split off. */
export function transcriptReceived(name: TranscriptName): Replay {
  const received = readTranscript(name).filter((frame) => frame.dir === 'in');
  return splitFrames(received.map((frame) => frame.frame).join(''));
}

/**
 * Replays a transcript's own `out` frames, byte for byte (unless `rewrite` changes them), against a simulator
 * running on `clock`, with no real timer anywhere: each is sent once the clock has moved to its time (every wait due on the way run, each at its own moment), and the next
 * only once the simulator has answered it, so what comes back does not depend on the machine's load. Collects
 * everything until the server closes the socket (after the final Logoff).
 */
export async function replayOnClock(
  name: TranscriptName,
  port: number,
  clock: ManualClock,
  keep: (frame: string) => boolean = () => true,
  rewrite: (frame: string) => string = (frame) => frame,
): Promise<Replay> {
  const sent = readTranscript(name)
    .filter((frame) => frame.dir === 'out' && keep(frame.frame))
    .map((frame) => ({ ...frame, frame: rewrite(frame.frame) }));
  const socket = connect(port, '127.0.0.1');
  socket.setEncoding('utf8');
  let received = '';
  let changed = () => {};
  socket.on('data', (chunk: string) => {
    received += chunk;
    changed();
  });
  const closed = new Promise<void>((resolve, reject) => {
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
  /** Resolves once what came back satisfies `done`, read again on every arrival. */
  const until = (done: (text: string) => boolean) =>
    new Promise<void>((resolve) => {
      changed = () => {
        if (done(received)) resolve();
      };
      changed();
    });
  await until((text) => text.includes('\r\n'));
  let at = 0;
  for (const frame of sent) {
    clock.advance(Math.max(0, frame.t - at));
    at = Math.max(at, frame.t);
    socket.write(frame.frame);
    const actionId = /\r\nActionID: (.*)\r\n/i.exec(frame.frame)?.[1];
    if (actionId === undefined) throw new Error(`${name}: an action without an ActionID cannot be waited for: ${frame.frame}`);
    await until((text) => splitFrames(text).frames.some((answer) => answer.startsWith('Response: ') && answer.includes(`\r\nActionID: ${actionId}\r\n`)));
  }
  await closed;
  return splitFrames(received);
}
