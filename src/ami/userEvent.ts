import type { AmiEvent } from './message.js';

/**
 * The Uniqueid a UserEvent names in its own body (`UserEvent(CALLSTATUS,Uniqueid: ${UNIQUEID},...)`): the
 * frame repeats the header after the channel's own, so the last value is the user's. Sent from another
 * channel (an agent's, naming the call's LINKEDID), it is still the dialing's.
 */
export function userEventUniqueid(event: AmiEvent): string {
  const value = event.uniqueid;
  if (Array.isArray(value)) return (value.at(-1) as string | undefined) ?? '';
  return typeof value === 'string' ? value : '';
}
