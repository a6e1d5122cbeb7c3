import type { Clock } from '../../../clock.js';
import type { SimChannel } from './channels.js';
import type { Fields } from '../protocol/wire.js';

/**
 * What the PBX's parts (device states, hints, bridges, parking, agents, queues) need of it: its clock and its
 * event fan-out. The Pbx is one; the parts take this rather than the Pbx, so the Pbx can build them without
 * their types pointing back at it.
 */
export interface EventHost {
  readonly clock: Clock;
  emit(event: string, privilege: string, fields: Fields): void;
}

/** An EventHost that also forgets a channel once its Hangup is sent. */
export interface ChannelHost extends EventHost {
  removeChannel(channel: SimChannel): void;
}
