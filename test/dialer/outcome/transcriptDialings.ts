import { field, parseFrame } from '../../../src/ami/message.js';
import { readTranscript, receivedMessages, type TranscriptName } from '../../support/transcripts.js';

/** One Originate of a transcript, with what its OriginateResponse and its legs' Hangups said. */
export type RecordedDialing = {
  actionId: string;
  channel: string;
  reason: number;
  /** Cause of the ;2 leg of the Local channel (the customer's); null when no channel was made. */
  customerCause: number | null;
  /** Cause of the ;1 leg, to show why it is not the one to read. */
  firstLegCause: number | null;
};

function legCause(hangups: ReturnType<typeof receivedMessages>, channel: string, leg: ';1' | ';2'): number | null {
  const hangup = hangups.find((message) => {
    const name = field(message, 'channel');
    return name.startsWith(`${channel}-`) && name.endsWith(leg);
  });
  return hangup ? Number(field(hangup, 'cause')) : null;
}

/** Every Originate a transcript sent, matched to its answer and its channels' ends. */
export function recordedDialings(name: TranscriptName): RecordedDialing[] {
  const received = receivedMessages(name);
  const hangups = received.filter((message) => message.event === 'Hangup');
  return readTranscript(name)
    .filter((frame) => frame.dir === 'out')
    .map((frame) => parseFrame(frame.frame))
    .filter((action) => field(action, 'action') === 'Originate')
    .map((action) => {
      const actionId = field(action, 'actionid');
      const channel = field(action, 'channel');
      const response = received.find((message) => message.event === 'OriginateResponse' && field(message, 'actionid') === actionId);
      if (!response) throw new Error(`${name}: no OriginateResponse for ${actionId}`);
      return {
        actionId,
        channel,
        reason: Number(field(response, 'reason')),
        customerCause: legCause(hangups, channel, ';2'),
        firstLegCause: legCause(hangups, channel, ';1'),
      };
    });
}
