import { ChannelState, newChannel, type SimChannel } from './channels.js';
import type { Pbx } from './pbx.js';

/**
 * The simulated phones, no transcript has one (pbx-config has no SIP): every `PJSIP/<endpoint>` is a phone that
 * rings this long and is picked up, an agent or a supervisor at their desk.
 */
export const PHONE_RING_MS = 1000;

/** An endpoint name as chan_pjsip takes it in a dial string: no `/`, `-`, `,` or `@`. */
const ENDPOINT = /^[A-Za-z0-9_.]+$/;

export function isEndpoint(name: string): boolean {
  return ENDPOINT.test(name);
}

/** The device a phone's channels follow: `PJSIP/<endpoint>`. */
export function phoneDevice(endpoint: string): string {
  return `PJSIP/${endpoint}`;
}

/**
 * A new outgoing channel to the phone, `PJSIP/<endpoint>-<n>` (chan_pjsip's own counter), Down, in the endpoint's
 * context (`default`) at `s`, as chan_pjsip_new makes one with no extension.
 */
export function newPhoneChannel(pbx: Pbx, endpoint: string, uniqueid: string, linkedid: string): SimChannel {
  const name = `${phoneDevice(endpoint)}-${pbx.registry.nextPjsipSuffix()}`;
  return newChannel(name, uniqueid, linkedid, { context: 'default', exten: 's', state: ChannelState.Down, createdAt: pbx.clock.now() });
}
