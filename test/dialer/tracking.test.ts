import { describe, expect, it } from 'vitest';
import { isEvent, type AmiEvent } from '../../src/ami/message.js';
import { customerLeg, newTrack, trackedIds, trackEvent, type DialingTrack } from '../../src/dialer/tracking.js';
import { timestampMs } from '../../src/live/fields.js';
import { receivedMessages, type TranscriptName } from '../support/transcripts.js';

/**
 * Follows the first originate of a transcript as the engine does: its legs are known up front (ChannelId
 * and OtherChannelId; in transcripts recorded without them, the first two Newchannel Uniqueids), and
 * every event of those legs, plus the originate's OriginateResponse, goes into the track.
 */
function follow(name: TranscriptName): DialingTrack {
  const events = receivedMessages(name).filter(isEvent);
  const legs = events.filter((event) => event.event === 'Newchannel').slice(0, 2).map((event) => event.uniqueid as string);
  let track = newTrack(legs[0] as string, legs[1] ?? null);
  const firstResponse = events.find((event) => event.event === 'OriginateResponse');
  for (const event of events) {
    const ours = trackedIds(track).includes(event.uniqueid as string) || event === firstResponse;
    // Received when Asterisk stamped it, as on a quiet loopback.
    if (ours) track = trackEvent(track, event as AmiEvent, timestampMs(event) ?? 0);
  }
  return track;
}

const cause = (track: DialingTrack) => track.legs[customerLeg(track)];

describe('following a dialing through its events', () => {
  it.each([
    ['busy', 5, 17, 'User busy'],
    ['congestion', 8, 34, 'Circuit/channel congestion'],
    ['no-answer', 3, 19, 'User alerting, no answer'],
    ['unallocated', 0, 1, 'Unallocated (unassigned) number'],
    ['originate-invalid-context', 0, null, null],
  ] as const)('%s: ends unanswered with the customer leg cause, not the ;1 leg cause', (name, reason, code, causeText) => {
    const track = follow(name);
    expect(track.originate).toEqual({ success: false, reason });
    expect(track.answeredAt).toBeNull();
    expect(track.bridgedAt).toBeNull();
    expect(track.endedAt).not.toBeNull();
    if (code === null) return;
    expect(cause(track)).toMatchObject({ cause: code, causeText });
  });

  it('answered to a queue: answered, connected to an agent, ended with normal clearing', () => {
    const track = follow('answered-to-queue');
    expect(track.originate).toEqual({ success: true, reason: 4 });
    expect(track.answeredAt).not.toBeNull();
    expect(track.bridgedAt).toBeGreaterThanOrEqual(track.answeredAt as number);
    expect(track.endedAt).toBeGreaterThan(track.bridgedAt as number);
    expect(cause(track)).toMatchObject({ cause: 16 });
    expect(track.channel).toMatch(/^Local\/1001@customers-[0-9a-f]+;1$/);
  });

  it('answered to park: parked is not bridged to anyone', () => {
    const track = follow('answered-to-park');
    expect(track.answeredAt).not.toBeNull();
    expect(track.bridgedAt).toBeNull();
    expect(track.endedAt).not.toBeNull();
  });

  it('with ChannelId and OtherChannelId the legs carry the ids the dialer chose, and the response names the dialing', () => {
    const events = receivedMessages('originate-with-channelid').filter(isEvent);
    let track = newTrack('6f1c2f4e-0b7a-4c1e-9a54-1d2e3f4a5b6c', '6f1c2f4e-0b7a-4c1e-9a54-1d2e3f4a5b6d');
    for (const event of events) {
      if (trackedIds(track).includes(event.uniqueid as string)) track = trackEvent(track, event, 0);
    }
    expect(track.originate).toEqual({ success: true, reason: 4 });
    expect(track.endedAt).not.toBeNull();
    expect(cause(track)).toMatchObject({ cause: 16, causeText: 'Normal Clearing' });
  });

  it('is not over while a leg is still up, whatever came first', () => {
    const events = receivedMessages('no-answer').filter(isEvent);
    const legs = events.filter((event) => event.event === 'Newchannel').map((event) => event.uniqueid as string);
    let track = newTrack(legs[0] as string, legs[1] as string);
    for (const event of events.filter((e) => e.event === 'Newchannel' || e.event === 'OriginateResponse')) track = trackEvent(track, event, 0);
    expect(track.originate?.success).toBe(false);
    expect(track.endedAt).toBeNull();
  });
});
