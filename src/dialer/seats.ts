import type { LiveStore } from '../live/store.js';
import type { SeatCounts } from './pacing/snapshot.js';

// AST_DEVICE_* as queue members report them: NOT_INUSE is ready; INUSE, BUSY, RINGING, RINGINUSE, ONHOLD are taken.
const READY = 1;
const TAKEN = new Set([2, 3, 6, 7, 8]);

/**
 * A queue destination's seats as the live state shows them now: members ready for a call, and members
 * on one; paused and unavailable members are no seat at all. Null for a destination without seats.
 */
export async function queueSeats(store: LiveStore, server: string, queue: string | null): Promise<SeatCounts | null> {
  if (queue === null) return null;
  const members = (await store.list('queueMember', { server })).filter((member) => member.queue === queue && !member.paused);
  return {
    free: members.filter((member) => member.status === READY && !member.inCall).length,
    busy: members.filter((member) => TAKEN.has(member.status) || member.inCall).length,
  };
}
