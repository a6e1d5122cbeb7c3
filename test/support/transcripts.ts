import { readFileSync } from 'node:fs';
import { parseFrame, type AmiMessage } from '../../src/ami/message.js';

/** The real Asterisk 22 sessions every AMI-facing test is checked against (read-only, shared). */
export const TRANSCRIPTS_DIR = new URL('../../../shared/ami-transcripts/', import.meta.url);

export type TranscriptFrame = { t: number; dir: 'in' | 'out'; frame: string };

export const TRANSCRIPT_NAMES = [
  'agent-double-login',
  'agent-logoff-mid-call',
  'agents-ackcall-accept',
  'agents-login-queue',
  'answered-to-park',
  'answered-to-queue',
  'busy',
  'congestion',
  'device-states',
  'hangup-and-setvar',
  'no-answer',
  'originate-invalid-context',
  'originate-with-channelid',
  'park-then-hangup',
  'queue-admin',
  'queue-wait-for-agent',
  'unallocated',
  'user-events',
] as const;

export type TranscriptName = (typeof TRANSCRIPT_NAMES)[number];

/** Every frame of a transcript, byte for byte, in the order it crossed the wire. */
export function readTranscript(name: TranscriptName): TranscriptFrame[] {
  const text = readFileSync(new URL(`${name}.jsonl`, TRANSCRIPTS_DIR), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as TranscriptFrame);
}

/** What Asterisk sent, parsed, without the banner line. */
export function receivedMessages(name: TranscriptName): AmiMessage[] {
  return readTranscript(name)
    .filter((frame) => frame.dir === 'in' && !frame.frame.startsWith('Asterisk Call Manager/'))
    .map((frame) => parseFrame(frame.frame));
}

/**
 * The PBX's clock (epoch ms) when a transcript's session began: its first Timestamp less that frame's `t`. A
 * simulator started at it counts whole seconds (hold, talk and wait times) across the same boundaries the recording did.
 */
export function transcriptEpoch(name: TranscriptName): number {
  for (const frame of readTranscript(name)) {
    const stamp = /\r\nTimestamp: (\d+\.\d+)\r\n/.exec(frame.frame)?.[1];
    if (frame.dir === 'in' && stamp !== undefined) return Math.round(Number(stamp) * 1000) - frame.t;
  }
  throw new Error(`${name} has no event with a Timestamp`);
}
