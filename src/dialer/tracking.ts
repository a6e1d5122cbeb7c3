import type { AmiEvent } from '../ami/message.js';
import { userEventUniqueid } from '../ami/userEvent.js';
import { int, text } from '../live/fields.js';
import { attributeName, type CallResultChange } from '../outbound/callResults.js';

/**
 * What the PBX has said about one dialing so far, built from its AMI events alone (pure: the engine
 * routes each event here by Uniqueid). The Originate sets ChannelId to the dialing's id and, for Local
 * channels, OtherChannelId to its ;2 leg, so every event of the dialing is known from the first.
 */
export type DialingTrack = {
  /** The leg that runs the destination once answered (Uniqueid = ChannelId = the dialing's id). */
  readonly uniqueid: string;
  /** The customer's leg when the dial string is a Local channel (its ;2 half); null otherwise. */
  readonly otherUniqueid: string | null;
  readonly channel: string | null;
  readonly linkedid: string | null;
  readonly legs: Readonly<Record<string, LegState>>;
  /** OriginateResponse: Success and its Reason (an AST_CONTROL code: 4 answered, 5 busy, 3 no answer, 0 failed). */
  readonly originate: { readonly success: boolean; readonly reason: number } | null;
  /**
   * Whether its end waits for an OriginateResponse: true for a dialing followed from its originate; false
   * for one taken over from a dead dialer, whose response may have gone to that dialer's session.
   */
  readonly awaitsResponse: boolean;
  readonly answeredAt: number | null;
  /** AMD's verdict, from the answer context's SwitchboardAmd UserEvent; null without AMD. */
  readonly amd: { readonly status: string; readonly cause: string } | null;
  /** The plan's machineMessage played to its end, as the answer context's SwitchboardMessage UserEvent says. */
  readonly messageLeft: boolean;
  /** Connected to an agent (AgentConnect) or bridged with another party (not a parking or holding bridge). */
  readonly bridgedAt: number | null;
  readonly endedAt: number | null;
  /** The dialplan's CALLSTATUS / ATTRIBUTE / ATTR_APPEND / ATTR_CLEAR UserEvents while the call was up, in order. */
  readonly resultChanges: readonly CallResultChange[];
};

export type LegState = { readonly channel: string; readonly up: boolean; readonly cause: number | null; readonly causeText: string | null };

export function newTrack(uniqueid: string, otherUniqueid: string | null): DialingTrack {
  return { uniqueid, otherUniqueid, channel: null, linkedid: null, legs: {}, originate: null, awaitsResponse: true, answeredAt: null, amd: null, messageLeft: false, bridgedAt: null, endedAt: null, resultChanges: [] };
}

/** The Uniqueids whose events belong to this dialing. */
export function trackedIds(track: DialingTrack): string[] {
  return track.otherUniqueid ? [track.uniqueid, track.otherUniqueid] : [track.uniqueid];
}

/** The track after one event of its dialing (events of other channels leave it as it is). */
export function trackEvent(track: DialingTrack, event: AmiEvent, receivedAt: number): DialingTrack {
  const uniqueid = text(event, 'uniqueid');
  // The dialer's own clock, not the event's Timestamp: originatedAt is the dialer's, and the PBX's clock
  // may be off from it (or, simulated, run faster).
  const at = receivedAt;
  switch (event.event) {
    case 'Newchannel':
      return withLeg(track, uniqueid, { channel: text(event, 'channel'), up: true, cause: null, causeText: null }, event);
    case 'Newstate':
      // The customer's leg going Up is the answer, whatever the destination does next.
      return text(event, 'channelstatedesc') === 'Up' && uniqueid === customerLeg(track) && track.answeredAt === null ? { ...track, answeredAt: at } : track;
    case 'OriginateResponse': {
      const success = text(event, 'response') === 'Success';
      const next = { ...track, originate: { success, reason: int(event, 'reason') } };
      return ended(success && next.answeredAt === null ? { ...next, answeredAt: at } : next, at);
    }
    case 'UserEvent': {
      const name = text(event, 'userevent').toLowerCase();
      if (name === 'switchboardamd') {
        return uniqueid === track.uniqueid ? { ...track, amd: { status: text(event, 'status'), cause: text(event, 'cause') } } : track;
      }
      if (name === 'switchboardmessage') return uniqueid === track.uniqueid ? { ...track, messageLeft: text(event, 'status') === 'SUCCESS' } : track;
      const changes = callResultChanges(event);
      // WombatDialer ignores them before the call is up; after its end there is nothing left to set.
      const connected = track.answeredAt !== null && track.endedAt === null;
      if (changes.length === 0 || !connected || !trackedIds(track).includes(userEventUniqueid(event))) return track;
      return { ...track, resultChanges: [...track.resultChanges, ...changes] };
    }
    case 'AgentConnect':
      return track.bridgedAt === null && uniqueid === track.uniqueid ? { ...track, bridgedAt: at } : track;
    case 'BridgeEnter': {
      // A parked call sits in a holding bridge alone: that is not talking to anyone.
      const holding = text(event, 'bridgetechnology') === 'holding_bridge';
      return track.bridgedAt === null && !holding && uniqueid === track.uniqueid ? { ...track, bridgedAt: at } : track;
    }
    case 'Hangup': {
      const leg = track.legs[uniqueid];
      const cause = { channel: leg?.channel ?? text(event, 'channel'), up: false, cause: int(event, 'cause'), causeText: text(event, 'cause-txt') || null };
      return ended(withLeg(track, uniqueid, cause, event), at);
    }
    default:
      return track;
  }
}

function withLeg(track: DialingTrack, uniqueid: string, leg: LegState, event: AmiEvent): DialingTrack {
  if (uniqueid !== track.uniqueid && uniqueid !== track.otherUniqueid) return track;
  const main = uniqueid === track.uniqueid;
  return {
    ...track,
    legs: { ...track.legs, [uniqueid]: leg },
    channel: main ? leg.channel : track.channel,
    linkedid: track.linkedid ?? (text(event, 'linkedid') || null),
  };
}

/** The leg whose hangup cause is the customer's: ;2 of a Local channel (the ;1 leg often says 0), else the only one. */
export function customerLeg(track: DialingTrack): string {
  return track.otherUniqueid !== null && track.legs[track.otherUniqueid] ? track.otherUniqueid : track.uniqueid;
}

/**
 * Over once the PBX has answered the originate and every leg that came up is down again (the order of
 * OriginateResponse and the Hangups varies: a failed originate may report before or after its legs end). An
 * answered originate with no leg seen yet is not over: Asterisk sends OriginateResponse straight to the
 * sessions while channel events go through its message bus, so under load the response can come first, and
 * the call's events (its dialplan results among them) still follow.
 */
function ended(track: DialingTrack, at?: number): DialingTrack {
  if (track.endedAt !== null || (track.awaitsResponse && track.originate === null) || at === undefined) return track;
  const legs = Object.values(track.legs);
  if (legs.length === 0 && track.originate?.success) return track;
  return legs.every((leg) => !leg.up) ? { ...track, endedAt: at } : track;
}

/**
 * The headers the dialplan wrote after the event name (`name: value`), as name -> value. Keys come in frame
 * order, so they are the ones after `userevent`; one that repeats a channel field (Context, Exten) is an
 * array whose last value is the user's.
 */
function userHeaders(event: AmiEvent): [string, string][] {
  const keys = Object.keys(event);
  const after = new Set(keys.slice(keys.indexOf('userevent') + 1));
  const headers: [string, string][] = [];
  for (const key of keys) {
    const value = event[key];
    if (key === 'uniqueid' || key === 'userevent') continue;
    if (Array.isArray(value)) headers.push([key, (value.at(-1) as string | undefined) ?? '']);
    else if (after.has(key) && typeof value === 'string') headers.push([key, value]);
  }
  return headers;
}

/** What a WombatDialer UserEvent asks (its name in any case); nothing for other UserEvents. */
export function callResultChanges(event: AmiEvent): CallResultChange[] {
  switch (text(event, 'userevent').toLowerCase()) {
    case 'callstatus': {
      const code = userHeaders(event).find(([key]) => key === 'v')?.[1].trim() ?? '';
      return code === '' ? [] : [{ kind: 'status', code }];
    }
    case 'attribute':
      return userHeaders(event).map(([name, value]) => ({ kind: 'attribute', name: attributeName(name), value }));
    case 'attr_append':
      return userHeaders(event).map(([name, value]) => ({ kind: 'append', name: attributeName(name), value }));
    case 'attr_clear':
      return [{ kind: 'clear' }];
    default:
      return [];
  }
}
