import { describe, expect, it } from 'vitest';
import { userEventUniqueid } from '../../src/ami/userEvent.js';
import { field, isEvent, parseFrame, type AmiEvent } from '../../src/ami/message.js';
import { callResultChanges, customerLeg, newTrack, trackedIds, trackEvent, type DialingTrack } from '../../src/dialer/tracking.js';
import { applyCallResult, type CallResultChange } from '../../src/outbound/callResults.js';
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

describe("the dialplan's call results (WombatDialer UserEvents)", () => {
  const events = receivedMessages('user-events').filter(isEvent);
  const [one, two] = events.filter((event) => event.event === 'Newchannel').map((event) => field(event, 'uniqueid'));
  /** Routed as the engine routes them: by the channel's Uniqueid, or a UserEvent's own. */
  const followed = (track: DialingTrack, list: readonly AmiEvent[]) =>
    list.reduce((current, event) => {
      const ours = trackedIds(current).includes(field(event, 'uniqueid')) || (event.event === 'UserEvent' && trackedIds(current).includes(userEventUniqueid(event)));
      return ours ? trackEvent(current, event, timestampMs(event) ?? 0) : current;
    }, track);
  const fold = (changes: readonly CallResultChange[]) => changes.reduce(applyCallResult, { completionCode: null, outputs: {} });

  it('reads CALLSTATUS, ATTRIBUTE and ATTR_APPEND of a connected call, in order, from the real frames', () => {
    const track = followed(newTrack(one as string, two as string), events);
    expect(track.resultChanges).toEqual([
      { kind: 'status', code: 'SALE' },
      { kind: 'attribute', name: 'ivr', value: '1' },
      { kind: 'append', name: 'ivr', value: '2' },
    ]);
    expect(fold(track.resultChanges)).toEqual({ completionCode: 'SALE', outputs: { ivr: '12' } });
  });

  it('keeps them when a loaded PBX sends the OriginateResponse before the channels\' own events', () => {
    // Asterisk sends OriginateResponse to the sessions directly and channel events through its message bus.
    const response = events.find((event) => event.event === 'OriginateResponse' && field(event, 'response') === 'Success');
    expect(response).toBeDefined();
    const early = [response as AmiEvent, ...events.filter((event) => event !== response)];
    let track = newTrack(one as string, two as string);
    track = followed(track, early.slice(0, 1));
    expect(track.endedAt).toBeNull();
    track = followed(track, early.slice(1));
    expect(fold(track.resultChanges)).toEqual({ completionCode: 'SALE', outputs: { ivr: '12' } });
    expect(track.endedAt).not.toBeNull();
  });

  it('ignores them before the call is answered, and for a Uniqueid that is not the dialing\'s', () => {
    const userEvents = events.filter((event) => event.event === 'UserEvent');
    expect(followed(newTrack(one as string, two as string), userEvents).resultChanges).toEqual([]);
    const answered = { ...newTrack('other', null), answeredAt: 1 };
    expect(followed(answered, userEvents).resultChanges).toEqual([]);
  });

  const frame = (lines: string) => parseFrame(lines.replaceAll('|', '\r\n')) as AmiEvent;

  it('takes the event name in any case, the last CALLSTATUS winning, ATTR_CLEAR emptying the outputs', () => {
    const up = { ...newTrack('1.1', '1.2'), answeredAt: 1 };
    const body = 'Event: UserEvent|Channel: Local/5001@customers-1;2|Uniqueid: 1.2|Linkedid: 1.1';
    const track = followed(up, [
      frame(`${body}|UserEvent: callStatus|Uniqueid: 1.2|V: NOSALE`),
      frame(`${body}|UserEvent: Attribute|Uniqueid: 1.2|Topic: billing|Exten: 42`),
      frame(`${body}|UserEvent: ATTR_CLEAR|Uniqueid: 1.2`),
      frame(`${body}|UserEvent: ATTRIBUTE|Uniqueid: 1.2|after: clear`),
      frame(`${body}|UserEvent: CALLSTATUS|Uniqueid: 1.2|V: SALE`),
    ]);
    expect(fold(track.resultChanges)).toEqual({ completionCode: 'SALE', outputs: { after: 'clear' } });
  });

  it("reads a user's header that repeats a channel field as the user's value", () => {
    const event = frame('Event: UserEvent|Exten: 5001|Uniqueid: 1.2|UserEvent: ATTRIBUTE|Uniqueid: 1.2|Exten: 42');
    expect(callResultChanges(event)).toEqual([{ kind: 'attribute', name: 'exten', value: '42' }]);
  });

  it('follows one sent from another channel that names the dialing in its Uniqueid (reverse mode, an agent)', () => {
    const up = { ...newTrack('1.1', '1.2'), answeredAt: 1 };
    const fromAgent = frame('Event: UserEvent|Channel: Local/101@agents-9;1|Uniqueid: 9.9|UserEvent: CALLSTATUS|Uniqueid: 1.1|V: CALLBACK');
    expect(followed(up, [fromAgent]).resultChanges).toEqual([{ kind: 'status', code: 'CALLBACK' }]);
  });

  it('ignores them once the call has ended, and other UserEvents at any time', () => {
    const ended = { ...newTrack('1.1', '1.2'), answeredAt: 1, endedAt: 2 };
    expect(followed(ended, [frame('Event: UserEvent|Uniqueid: 1.2|UserEvent: CALLSTATUS|Uniqueid: 1.2|V: LATE')]).resultChanges).toEqual([]);
    expect(callResultChanges(frame('Event: UserEvent|Uniqueid: 1.2|UserEvent: SomethingElse|Uniqueid: 1.2|V: X'))).toEqual([]);
  });
});
