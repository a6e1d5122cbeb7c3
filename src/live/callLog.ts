import { field, type AmiEvent } from '../ami/message.js';
import { userEventUniqueid } from '../ami/userEvent.js';

/**
 * The call log: the events of the dialer's own calls, kept by the worker for a window after they happen, so a
 * call that ended while no dialer followed it (its dialer died, or was cut off from the PBX) is recorded as
 * what it was: its answer, its legs' hangup causes, the dialplan's results. The dialer's calls are known by
 * their Uniqueid, which the Originate sets to the dialing's id (a UUID) and, on a Local channel, `<id>;2`; a call
 * its trunk failed goes on under `<id>-<n>` (and `<id>-<n>;2`).
 */

/** One event of a dialer's call, and when the worker heard it (epoch ms). */
export type LoggedEvent = { readonly at: number; readonly event: AmiEvent };

export type CallLogEntry = LoggedEvent & { readonly dialingId: string };

/** How long a call's events are kept after its last one, unless CALL_LOG_MINUTES says otherwise. */
export const DEFAULT_CALL_LOG_MS = 10 * 60_000;

/** The events the dialer's tracker reads (dialer/tracking.ts): nothing else is kept. */
const KEPT = new Set(['Newchannel', 'Newstate', 'OriginateResponse', 'UserEvent', 'AgentConnect', 'BridgeEnter', 'Hangup']);

const DIALING_UNIQUEID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:-\d+)?(?:;2)?$/;

/** The dialing a channel's Uniqueid belongs to, or null for a channel the dialer did not originate. */
export function dialingOfUniqueid(uniqueid: string): string | null {
  return DIALING_UNIQUEID.exec(uniqueid)?.[1] ?? null;
}

/** The events of a batch that belong to dialer calls, each with its dialing (a UserEvent also by the Uniqueid in its body). */
export function callLogEntries(events: readonly AmiEvent[], at: number): CallLogEntry[] {
  const entries: CallLogEntry[] = [];
  for (const event of events) {
    if (!KEPT.has(event.event)) continue;
    const dialingId = dialingOfUniqueid(field(event, 'uniqueid')) ?? (event.event === 'UserEvent' ? dialingOfUniqueid(userEventUniqueid(event)) : null);
    if (dialingId !== null) entries.push({ dialingId, at, event });
  }
  return entries;
}
