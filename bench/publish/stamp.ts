/**
 * How a bench event carries what the clients measure: its sequence number in the channel's uniqueid and
 * the moment it was published in its applicationData, both fields channelEvents delivers as they are.
 */
import type { Change, Channel } from '../../src/live/state.js';

/** Published until every client has heard one, so the stream starts with every subscription live. */
export const PROBE_SEQUENCE = -1;

/** Milliseconds since the epoch, to a fraction: one clock for the publisher and client processes alike. */
export const clock = (): number => performance.timeOrigin + performance.now();

/**
 * A channel change as the worker publishes one. Without a caller id it goes on `live.channel` alone; with one
 * also on that caller id's topic, which a client filtering by it hears alone.
 */
export function stampedChange(server: string, sequence: number, sentAt: number, callerIdNum = ''): Change {
  const uniqueid = String(sequence);
  const channel: Channel = {
    server,
    uniqueid,
    linkedid: uniqueid,
    name: `PJSIP/bench-${uniqueid}`,
    state: 6,
    stateDesc: 'Up',
    callerIdNum,
    callerIdName: '',
    connectedLineNum: '',
    connectedLineName: '',
    context: 'bench',
    exten: 's',
    priority: 1,
    application: 'Wait',
    applicationData: sentAt.toFixed(3),
    bridgeId: null,
    hangupCause: null,
    hangupCauseText: null,
    createdAt: null,
    answeredAt: null,
    accountCode: '',
    language: 'en',
  };
  return { kind: 'UPDATED', entity: 'channel', key: uniqueid, value: channel };
}

/**
 * What the clients subscribe to: the bench's own server only (`live.channel` is shared with anything else
 * publishing on the same Redis, tests included), with --groups one group's caller id, and just the fields
 * readStamp needs.
 */
export const SUBSCRIPTION =
  'subscription($server: String, $callerIdNum: String) { channelEvents(filter: { server: $server, callerIdNum: $callerIdNum }) { channel { uniqueid applicationData } } }';

/** With --groups N, event `sequence` is for group sequence % N, whose clients filter on this caller id. */
export const groupCallerId = (group: number): string => `bench-group-${group}`;

export type StampedChannel = { uniqueid: string; applicationData: string };

export function readStamp(channel: StampedChannel): { sequence: number; sentAt: number } {
  return { sequence: Number(channel.uniqueid), sentAt: Number(channel.applicationData) };
}
