import type { Plan } from '../generated/prisma/client.js';
import type { LiveStore } from '../live/store.js';

export type TrunkPlan = Pick<Plan, 'techName' | 'trunkName' | 'trunkMaxChannels'>;

/**
 * The channels up on the plan's trunk now, as the live state shows them: every call on it counts (other
 * campaigns, other dialers, inbound), since the trunk's capacity is shared by all of them. Asterisk names a
 * channel of an endpoint `TECH/endpoint-<sequence>` (PJSIP/carrier-0000002a), whoever placed it. Null when
 * the plan sets no capacity.
 */
export async function trunkChannelsInUse(store: LiveStore, server: string, plan: TrunkPlan): Promise<number | null> {
  if (plan.trunkMaxChannels === null || plan.trunkName === null) return null;
  const prefix = `${plan.techName}/${plan.trunkName}-`.toLowerCase();
  const channels = await store.list('channel', { server });
  return channels.filter((channel) => channel.name.toLowerCase().startsWith(prefix)).length;
}

/**
 * Channels the trunk can still take: its capacity less those up on it and the dialings placed but with no
 * channel yet (they will take one; counting them twice for a moment only errs on the safe side).
 */
export function trunkChannelsFree(plan: TrunkPlan, inUse: number | null, placing: number): number | null {
  if (plan.trunkMaxChannels === null || inUse === null) return null;
  return Math.max(0, plan.trunkMaxChannels - inUse - placing);
}
