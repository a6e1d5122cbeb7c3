import type { Plan } from '../generated/prisma/client.js';
import type { LiveStore } from '../live/store.js';

export type TrunkPlan = Pick<Plan, 'techName' | 'trunkName' | 'trunkMaxChannels'>;

/** A channel up on the trunk: by its call (linkedid), Asterisk's Uniqueid of the call's first channel. */
export type TrunkChannel = { name: string; linkedid: string };

/**
 * The channels up on the plan's trunk now, as the live state shows them: every call on it counts (other
 * campaigns, other dialers, inbound), since the trunk's capacity is shared by all of them. Asterisk names a
 * channel of an endpoint `TECH/endpoint-<sequence>` (PJSIP/carrier-0000002a), whoever placed it. Null when
 * the plan sets no capacity.
 */
export async function trunkChannelsUp(store: LiveStore, server: string, plan: TrunkPlan): Promise<readonly TrunkChannel[] | null> {
  if (plan.trunkMaxChannels === null || plan.trunkName === null) return null;
  const prefix = `${plan.techName}/${plan.trunkName}-`.toLowerCase();
  const channels = await store.list('channel', { server });
  return channels.filter((channel) => channel.name.toLowerCase().startsWith(prefix)).map(({ name, linkedid }) => ({ name, linkedid }));
}

/**
 * Channels the trunk can still take: its capacity less the other traffic up on it and one for each of the
 * campaign's own calls (`dialingIds`), seen on the trunk yet or not. A dialing's channels are linked to its id
 * (the Originate's ChannelId is its first channel's Uniqueid, so the linkedid of every leg), which tells the
 * campaign's own channels from the rest. Counting its calls, not their channels, leaves no gap between
 * originating a call and its leg on the trunk showing in the live state: through a Local channel that leg is
 * made by the dialplan a moment later. A call that has left the trunk but not yet ended is counted on the
 * safe side.
 */
export function trunkChannelsFree(plan: TrunkPlan, up: readonly TrunkChannel[] | null, dialingIds: readonly string[]): number | null {
  if (plan.trunkMaxChannels === null || up === null) return null;
  const own = new Set(dialingIds);
  const others = up.filter((channel) => !own.has(channel.linkedid)).length;
  return Math.max(0, plan.trunkMaxChannels - others - own.size);
}
