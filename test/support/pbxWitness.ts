import { AsteriskManagerConnection } from '../../src/ami/asteriskManager.js';
import { field, type AmiEvent } from '../../src/ami/message.js';
import { createLogger } from '../../src/logger.js';

/** What the PBX said about one of the dialer's channels. */
export type WitnessedCall = {
  readonly uniqueid: string;
  readonly channel: string;
  readonly linkedid: string;
  /** When the witness saw its Newchannel (ms since the epoch); null when it was connected only later. */
  readonly createdAt: number | null;
  /** A Newstate to Up was seen. */
  readonly answered: boolean;
  /** Its Hangup's Cause; null while it has not hung up. */
  readonly hangupCause: number | null;
  /** Names of its UserEvents, in order. */
  readonly userEvents: readonly string[];
};

/** The legs of one dialing; its customer leg is the Local channel's ;2 half, or the only channel. */
export type WitnessedDialing = { legs: WitnessedCall[]; answered: boolean; customerCause: number | null };

export type PbxWitness = {
  /** A copy of every dialer channel seen so far, in the order first seen. */
  calls(): WitnessedCall[];
  /** The calls by dialing id. */
  dialings(): Map<string, WitnessedDialing>;
  /** Resolves with the calls once `predicate` holds for them (checked now and at each event); rejects after `timeoutMs`. */
  waitFor(predicate: (calls: WitnessedCall[]) => boolean, timeoutMs: number): Promise<WitnessedCall[]>;
  close(): Promise<void>;
};

export type WitnessTarget = { host: string; port: number; username: string; secret: string };

// The dialer originates with ChannelId = its dialing id (a UUID) and OtherChannelId = `<id>;2`.
const DIALER_UNIQUEID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(;2)?$/i;
// Back soon after a restarted PBX listens again, so little of what it says is missed.
const RECONNECT = { initialMs: 50, maxMs: 500 };

type Recorded = { -readonly [K in keyof WitnessedCall]: WitnessedCall[K] } & { userEvents: string[] };

/**
 * An AMI session of its own that records what the PBX said about the dialer's channels, independent of
 * anything the dialer stored: the ground truth a fault test checks the dialer against. Resolves once logged in.
 */
export async function watchPbx(target: WitnessTarget): Promise<PbxWitness> {
  const connection = new AsteriskManagerConnection(
    { name: `witness:${target.host}:${target.port}`, ...target },
    { log: createLogger('silent'), backoff: RECONNECT },
  );
  const recorded = new Map<string, Recorded>();
  const checks = new Set<() => void>();
  const calls = () => [...recorded.values()].map((call) => ({ ...call, userEvents: [...call.userEvents] }));

  connection.on('event', (event) => {
    if (!record(recorded, event)) return;
    for (const check of checks) check();
  });
  await connection.start();

  return {
    calls,
    dialings: () => dialingsOf(calls()),
    waitFor: (predicate, timeoutMs) =>
      new Promise((resolve, reject) => {
        const finish = () => {
          clearTimeout(timer);
          checks.delete(check);
        };
        const check = () => {
          try {
            const seen = calls();
            if (!predicate(seen)) return;
            finish();
            resolve(seen);
          } catch (error) {
            finish();
            reject(error as Error);
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`PBX witness: the condition did not hold within ${timeoutMs} ms; calls seen: ${JSON.stringify(calls(), null, 1)}`));
        }, timeoutMs);
        checks.add(check);
        check();
      }),
    close: () => connection.close(),
  };
}

/** Groups dialer calls by dialing id (the Uniqueid without `;2`). */
export function dialingsOf(calls: readonly WitnessedCall[]): Map<string, WitnessedDialing> {
  const legsById = new Map<string, WitnessedCall[]>();
  for (const call of calls) {
    const id = call.uniqueid.replace(/;2$/, '');
    legsById.set(id, [...(legsById.get(id) ?? []), call]);
  }
  const dialings = new Map<string, WitnessedDialing>();
  for (const [id, legs] of legsById) {
    const customer = legs.find((leg) => leg.uniqueid.endsWith(';2')) ?? legs.find((leg) => leg.uniqueid === id);
    dialings.set(id, { legs, answered: customer?.answered ?? false, customerCause: customer?.hangupCause ?? null });
  }
  return dialings;
}

/** Applies one event to the dialer channel it is about; false when it is about none. */
function record(recorded: Map<string, Recorded>, event: AmiEvent): boolean {
  const uniqueid = field(event, 'uniqueid');
  if (!DIALER_UNIQUEID.test(uniqueid)) return false;
  let call = recorded.get(uniqueid);
  if (!call) {
    call = { uniqueid, channel: field(event, 'channel'), linkedid: field(event, 'linkedid'), createdAt: null, answered: false, hangupCause: null, userEvents: [] };
    recorded.set(uniqueid, call);
  }
  switch (event.event) {
    case 'Newchannel':
      call.createdAt = Date.now();
      break;
    case 'Newstate':
      if (field(event, 'channelstatedesc') === 'Up') call.answered = true;
      break;
    case 'Hangup':
      call.hangupCause = Number(field(event, 'cause'));
      break;
    case 'UserEvent':
      call.userEvents.push(field(event, 'userevent'));
      break;
  }
  return true;
}
