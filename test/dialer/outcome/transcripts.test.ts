import { describe, expect, it } from 'vitest';
import type { CallOutcome } from '../../../src/generated/prisma/enums.js';
import { classifyOutcome } from '../../../src/dialer/outcome/classify.js';
import { dialResultText } from '../../../src/dialer/outcome/dialResult.js';
import { hangupCauseText } from '../../../src/dialer/outcome/hangupCause.js';
import { receivedMessages, type TranscriptName } from '../../support/transcripts.js';
import { recordedDialings } from './transcriptDialings.js';

type Expectation = { transcript: TranscriptName; channel: string; reason: number; cause: number | null; outcome: CallOutcome };

// What each recorded call is, by the customers context of pbx-config (README): the number's first digit.
const EXPECTED: Expectation[] = [
  { transcript: 'answered-to-queue', channel: 'Local/1001@customers', reason: 4, cause: 16, outcome: 'ANSWERED' },
  { transcript: 'answered-to-park', channel: 'Local/6001@customers', reason: 4, cause: 16, outcome: 'ANSWERED' },
  { transcript: 'park-then-hangup', channel: 'Local/7002@customers', reason: 4, cause: 16, outcome: 'ANSWERED' },
  { transcript: 'user-events', channel: 'Local/5001@customers', reason: 4, cause: 16, outcome: 'ANSWERED' },
  { transcript: 'agents-login-queue', channel: 'Local/1004@customers', reason: 4, cause: 16, outcome: 'ANSWERED' },
  { transcript: 'busy', channel: 'Local/2001@customers', reason: 5, cause: 17, outcome: 'BUSY' },
  { transcript: 'no-answer', channel: 'Local/3001@customers', reason: 3, cause: 19, outcome: 'NO_ANSWER' },
  { transcript: 'congestion', channel: 'Local/4001@customers', reason: 8, cause: 34, outcome: 'CONGESTION' },
  { transcript: 'unallocated', channel: 'Local/9001@customers', reason: 0, cause: 1, outcome: 'UNALLOCATED' },
  { transcript: 'originate-invalid-context', channel: 'Local/1001@nosuchcontext', reason: 0, cause: 0, outcome: 'FAILED' },
  { transcript: 'originate-invalid-context', channel: 'Bogus/abc', reason: 0, cause: null, outcome: 'FAILED' },
  { transcript: 'originate-with-channelid', channel: 'Local/1002@customers', reason: 4, cause: 16, outcome: 'ANSWERED' },
  { transcript: 'originate-with-channelid', channel: 'Local/2002@customers', reason: 5, cause: 17, outcome: 'BUSY' },
];

function recorded(expectation: Pick<Expectation, 'transcript' | 'channel'>) {
  const dialing = recordedDialings(expectation.transcript).find((candidate) => candidate.channel === expectation.channel);
  if (!dialing) throw new Error(`${expectation.transcript} has no Originate of ${expectation.channel}`);
  return dialing;
}

describe('classifying the calls of the real Asterisk transcripts', () => {
  it.each(EXPECTED)('$transcript $channel: Reason $reason, customer cause $cause -> $outcome', (expectation) => {
    const dialing = recorded(expectation);
    expect({ reason: dialing.reason, cause: dialing.customerCause }).toEqual({ reason: expectation.reason, cause: expectation.cause });
    expect(classifyOutcome({ dialResult: dialing.reason, hangupCause: dialing.customerCause })).toBe(expectation.outcome);
  });

  it("reads the cause of the ;2 leg: the ;1 leg says 0 when the customer was busy or congested", () => {
    const busy = recorded({ transcript: 'busy', channel: 'Local/2001@customers' });
    const congestion = recorded({ transcript: 'congestion', channel: 'Local/4001@customers' });
    expect([busy.firstLegCause, congestion.firstLegCause]).toEqual([0, 0]);
    expect([busy.customerCause, congestion.customerCause]).toEqual([17, 34]);
  });

  it('knows every cause text the transcripts show, as Asterisk writes it', () => {
    const names = ['answered-to-queue', 'busy', 'congestion', 'no-answer', 'unallocated', 'originate-invalid-context'] as const;
    const hangups = names.flatMap((name) => receivedMessages(name)).filter((message) => message.event === 'Hangup');
    expect(hangups.length).toBeGreaterThan(10);
    for (const hangup of hangups) expect(hangupCauseText(Number(hangup.cause))).toBe(hangup['cause-txt']);
  });

  it("names each transcript's Reason with jade's dial result text", () => {
    expect([4, 5, 3, 8, 0].map(dialResultText)).toEqual([
      'Remote end has answered',
      'Remote end is busy',
      'Remote end is ringing',
      'Congestion (circuits busy)',
      'No dial result event received yet.',
    ]);
  });
});
