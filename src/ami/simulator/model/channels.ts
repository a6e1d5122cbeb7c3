import type { Fields } from '../protocol/wire.js';

/** AST_STATE values the simulated calls go through. */
export const ChannelState = { Down: 0, Ring: 4, Ringing: 5, Up: 6, Busy: 7 } as const;
export type ChannelStateCode = (typeof ChannelState)[keyof typeof ChannelState];

const STATE_DESC: Record<ChannelStateCode, string> = { 0: 'Down', 4: 'Ring', 5: 'Ringing', 6: 'Up', 7: 'Busy' };

/** Q.850 causes with the text Asterisk 22 puts in `Cause-txt` (as the transcripts show them). */
export const CAUSE_TEXT: Readonly<Record<number, string>> = {
  0: 'Unknown',
  1: 'Unallocated (unassigned) number',
  16: 'Normal Clearing',
  17: 'User busy',
  19: 'User alerting, no answer',
  26: 'Answered elsewhere',
  34: 'Circuit/channel congestion',
};

const UNKNOWN = '<unknown>';

/** One simulated channel: the snapshot every channel event carries, kept current as the call moves. */
export type SimChannel = {
  name: string;
  uniqueid: string;
  linkedid: string;
  state: ChannelStateCode;
  callerIdNum: string;
  callerIdName: string;
  connectedNum: string;
  connectedName: string;
  context: string;
  exten: string;
  priority: number;
  application: string;
  applicationData: string;
  createdAt: number;
  /** When it was first Up (ast_channel_answertime), what Dial()'s ANSWEREDTIME counts from; undefined before. */
  answeredAt: number | undefined;
  /** The bridge the channel is in (CoreShowChannel's BridgeId), '' when none. */
  bridgeId: string;
  /** Channel variables as VarSet and Setvar left them, for Getvar and Status. */
  variables: Map<string, string>;
};

export function newChannel(name: string, uniqueid: string, linkedid: string, at: { context: string; exten: string; state: ChannelStateCode; createdAt: number }): SimChannel {
  return {
    name,
    uniqueid,
    linkedid,
    state: at.state,
    callerIdNum: UNKNOWN,
    callerIdName: UNKNOWN,
    connectedNum: UNKNOWN,
    connectedName: UNKNOWN,
    context: at.context,
    exten: at.exten,
    priority: 1,
    application: '',
    applicationData: '',
    createdAt: at.createdAt,
    answeredAt: undefined,
    bridgeId: '',
    variables: new Map(),
  };
}

/** The channel snapshot block, optionally prefixed (`Dest`, `LocalOne`, `LocalTwo`) as bridge and dial events do. */
export function channelFields(channel: SimChannel, prefix = ''): Fields {
  return [
    [`${prefix}Channel`, channel.name],
    [`${prefix}ChannelState`, String(channel.state)],
    [`${prefix}ChannelStateDesc`, STATE_DESC[channel.state]],
    [`${prefix}CallerIDNum`, channel.callerIdNum],
    [`${prefix}CallerIDName`, channel.callerIdName],
    [`${prefix}ConnectedLineNum`, channel.connectedNum],
    [`${prefix}ConnectedLineName`, channel.connectedName],
    [`${prefix}Language`, 'en'],
    [`${prefix}AccountCode`, ''],
    [`${prefix}Context`, channel.context],
    [`${prefix}Exten`, channel.exten],
    [`${prefix}Priority`, String(channel.priority)],
    [`${prefix}Uniqueid`, channel.uniqueid],
    [`${prefix}Linkedid`, channel.linkedid],
  ];
}

/** Splits `"Name" <number>` (or a bare number) as Asterisk's ast_callerid_parse does for the common forms. */
export function parseCallerId(text: string): { name: string; num: string } | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const angled = /^(?:"([^"]*)"|([^<]*?))\s*<([^>]*)>$/.exec(trimmed);
  if (angled) return { name: (angled[1] ?? angled[2] ?? '').trim() || UNKNOWN, num: angled[3] || UNKNOWN };
  return /^[0-9+*#]+$/.test(trimmed) ? { name: UNKNOWN, num: trimmed } : { name: trimmed, num: UNKNOWN };
}

/** `HH:MM:SS` for CoreShowChannel's Duration. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
}

/**
 * The channels that are up, and the counters Asterisk names them with: a hex sequence per Local pair
 * (`-0000003a`) and `<epoch seconds>.<n>` uniqueids from one process-wide counter.
 */
export class ChannelRegistry {
  private localSequence = 0;
  private pjsipSequence = 0;
  private uniqueSequence = 0;
  private readonly channels = new Map<string, SimChannel>();
  /** Every channel ever added: CoreStatus's CoreProcessedCalls. */
  created = 0;

  constructor(private readonly now: () => number) {}

  nextLocalSuffix(): string {
    return (this.localSequence++).toString(16).padStart(8, '0');
  }

  /** chan_pjsip numbers its channels with a counter of its own (`PJSIP/2001-00000001`). */
  nextPjsipSuffix(): string {
    return (this.pjsipSequence++).toString(16).padStart(8, '0');
  }

  nextUniqueid(): string {
    return `${Math.floor(this.now() / 1000)}.${this.uniqueSequence++}`;
  }

  add(channel: SimChannel): void {
    this.created += 1;
    this.channels.set(channel.name, channel);
  }

  remove(channel: SimChannel): void {
    this.channels.delete(channel.name);
  }

  get(name: string): SimChannel | undefined {
    return this.channels.get(name);
  }

  /** Newest first, the order CoreShowChannels lists them in the transcripts. */
  list(): SimChannel[] {
    return [...this.channels.values()].reverse();
  }
}
