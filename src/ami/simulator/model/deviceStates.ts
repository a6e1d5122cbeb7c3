import type { EventHost } from './eventHost.js';
import type { Fields } from '../protocol/wire.js';

/** AST_DEVICE_* in enum order: the index is the code QueueMemberStatus reports as Status. */
export const DEVICE_STATES = ['UNKNOWN', 'NOT_INUSE', 'INUSE', 'BUSY', 'INVALID', 'UNAVAILABLE', 'RINGING', 'RINGINUSE', 'ONHOLD'] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

export function deviceStateCode(state: DeviceState): number {
  return DEVICE_STATES.indexOf(state);
}

export function isDeviceState(text: string): text is DeviceState {
  return (DEVICE_STATES as readonly string[]).includes(text);
}

type Listener = (device: string, state: DeviceState) => void;

/** Asterisk's stasis cache: 563 buckets, keyed by the message type's name hash plus the device's. */
const CACHE_BUCKETS = 563;
const TYPE_HASH = hashString('ast_device_state_message_type');

/** ast_hashtab_hash_string: total * 13 + byte, in 32 bits. */
function hashString(text: string): number {
  let total = 0;
  for (const byte of Buffer.from(text, 'utf8')) total = (Math.imul(total, 13) + byte) >>> 0;
  return total;
}

/** The ao2 bucket a device's cache entry sits in: abs((int)hash % buckets), as astobj2_hash.c computes it. */
function cacheBucket(device: string): number {
  const hash = (TYPE_HASH + hashString(device)) | 0;
  return Math.abs(hash % CACHE_BUCKETS);
}

/**
 * Device states as Asterisk's device state core keeps them. Cachable devices (queues' pause and avail devices,
 * Agent:, Custom:, park spaces) are sent only when they change and are what DeviceStateList dumps; Local
 * channels' devices are not cachable, so every change is sent (INUSE twice in a row) and none is listed.
 */
export class DeviceStates {
  private readonly cache = new Map<string, { state: DeviceState; order: number }>();
  private readonly latest = new Map<string, DeviceState>();
  private readonly listeners: Listener[] = [];
  private inserted = 0;

  constructor(private readonly pbx: EventHost) {}

  /** Called after every change that was sent (hints and queue members follow their devices). */
  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  /** Puts a state in the cache without an event: what modules publish while Asterisk boots, before any session. */
  seed(device: string, state: DeviceState): void {
    this.cache.set(device, { state, order: this.inserted++ });
    this.latest.set(device, state);
  }

  /** A device changed: DeviceStateChange (cachable ones only when the state differs), then the followers. */
  change(device: string, state: DeviceState, cachable = !device.startsWith('Local/')): void {
    if (cachable) {
      const cached = this.cache.get(device);
      if (cached?.state === state) return;
      this.cache.set(device, { state, order: cached?.order ?? this.inserted++ });
    }
    this.latest.set(device, state);
    this.pbx.emit('DeviceStateChange', 'call,all', [['Device', device], ['State', state]]);
    for (const listener of this.listeners) listener(device, state);
  }

  /** The device's last state, undefined when nothing ever reported it (each reader has its own default). */
  state(device: string): DeviceState | undefined {
    return this.latest.get(device);
  }

  /** DeviceStateList's items: the cache in its bucket order (the order the transcripts show), ActionID second. */
  listItems(idFields: Fields): Fields[] {
    return [...this.cache.entries()]
      .map(([device, entry]) => ({ device, ...entry, bucket: cacheBucket(device) }))
      .sort((a, b) => a.bucket - b.bucket || a.order - b.order)
      .map(({ device, state }) => [['Event', 'DeviceStateChange'], ...idFields, ['Device', device], ['State', state]]);
  }
}
