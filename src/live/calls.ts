import type { Call, Channel } from './state.js';
import { sameMembers, type Tx } from './tx.js';

/** Calls are derived: the channels sharing a linkedid. A call appears with its first channel and goes with its last. */

function earliest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

export function joinCall(tx: Tx, channel: Channel): void {
  const call = tx.get('call', channel.linkedid);
  if (call === undefined) {
    tx.put('call', channel.linkedid, {
      server: tx.server,
      linkedid: channel.linkedid,
      channels: [channel.uniqueid],
      createdAt: channel.createdAt,
    });
    return;
  }
  if (call.channels.includes(channel.uniqueid)) return;
  tx.put('call', channel.linkedid, {
    ...call,
    channels: [...call.channels, channel.uniqueid],
    createdAt: earliest(call.createdAt, channel.createdAt),
  });
}

export function leaveCall(tx: Tx, channel: Channel): void {
  const call = tx.get('call', channel.linkedid);
  if (call === undefined || !call.channels.includes(channel.uniqueid)) return;
  const channels = call.channels.filter((uniqueid) => uniqueid !== channel.uniqueid);
  if (channels.length === 0) tx.remove('call', channel.linkedid);
  else tx.put('call', channel.linkedid, { ...call, channels });
}

/**
 * A resynced call keeps the creation time the events gave it (list items only allow an estimate) and the
 * order its channels appeared in (CoreShowChannels lists the newest first).
 */
export function carryCall(old: Call, fresh: Call): Call {
  return {
    ...fresh,
    channels: sameMembers(old.channels, fresh.channels) ? old.channels : fresh.channels,
    createdAt: earliest(old.createdAt, fresh.createdAt),
  };
}
