import { connect } from 'node:net';
import { readTranscript, type TranscriptName } from '../../support/transcripts.js';
import { splitFrames } from './frames.js';

export type Replay = { banner: string; frames: string[] };

/**
 * Sends a transcript's own `out` frames, byte for byte (unless `rewrite` changes them) and at its times divided
 * by `speed`, to host:port, and collects everything that comes back until the server closes the socket (after
 * the final Logoff).
 */
export function replayTranscript(
  name: TranscriptName,
  port: number,
  speed: number,
  keep: (frame: string) => boolean = () => true,
  rewrite: (frame: string) => string = (frame) => frame,
): Promise<Replay> {
  const sent = readTranscript(name)
    .filter((frame) => frame.dir === 'out' && keep(frame.frame))
    .map((frame) => ({ ...frame, frame: rewrite(frame.frame) }));
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const timers: NodeJS.Timeout[] = [];
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      for (const timer of timers) clearTimeout(timer);
      resolve(splitFrames(received));
    });
    socket.on('connect', () => {
      for (const frame of sent) timers.push(setTimeout(() => socket.write(frame.frame), frame.t / speed));
    });
  });
}

/** What the transcript received, the banner split off. */
export function transcriptReceived(name: TranscriptName): Replay {
  const received = readTranscript(name).filter((frame) => frame.dir === 'in');
  return splitFrames(received.map((frame) => frame.frame).join(''));
}
