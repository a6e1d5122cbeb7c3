import type { Plan, PlanTrunk, Trunk } from '../generated/prisma/client.js';

/** A plan with its trunks, in order, as the dialer reads it. */
export type RoutedPlan = Plan & { trunks: (PlanTrunk & { trunk: Trunk })[] };

/** How a plan reads its trunks (Prisma's include), first to last. */
export const PLAN_TRUNKS = { trunks: { include: { trunk: true }, orderBy: { position: 'asc' } } } as const;

/** One way out for a plan's numbers: one of its trunks, or its own techName/trunkName when it lists none. */
export type TrunkRoute = {
  /** The Trunk; null for the plan's own trunk. */
  trunkId: string | null;
  name: string;
  techName: string;
  /** Its channels are TECH/endpoint-...: what the live state shows on it. */
  endpoint: string | null;
  dialStringTemplate: string | null;
  maxChannels: number | null;
  callerId: string | null;
  originatesPerSecond: number | null;
  /** Passed over (no room) while disabled: numbers it takes wait for it, or go on to the next trunk that takes them. */
  enabled: boolean;
  /** The numbers it takes; null: every number. */
  pattern: RegExp | null;
};

/** The key a route's room is kept under: a trunk shared by two of a plan's routes has one room. */
export const roomKey = (route: Pick<TrunkRoute, 'trunkId'>): string => route.trunkId ?? '';

/**
 * The plan's ways out, in order: its trunks (a deleted one is gone), or one route through its own
 * techName/trunkName/dialStringTemplate, as before it could have several: a plan with one trunk.
 */
export function routesOf(plan: RoutedPlan): TrunkRoute[] {
  if (plan.trunks.length === 0) {
    return [
      {
        trunkId: null,
        name: plan.trunkName ?? plan.techName,
        techName: plan.techName,
        endpoint: plan.trunkName,
        dialStringTemplate: plan.dialStringTemplate,
        maxChannels: plan.trunkMaxChannels,
        callerId: null,
        originatesPerSecond: null,
        enabled: true,
        pattern: null,
      },
    ];
  }
  return plan.trunks
    .filter(({ trunk }) => trunk.inUse)
    .map(({ trunk, numberPattern }) => ({
      trunkId: trunk.id,
      name: trunk.name,
      techName: trunk.techName,
      endpoint: trunk.endpoint,
      // A trunk's own template only replaces {number}; without one it is dialed as TECH/{number}@endpoint.
      dialStringTemplate: trunk.dialStringTemplate,
      maxChannels: trunk.maxChannels,
      callerId: trunk.callerId,
      originatesPerSecond: trunk.originatesPerSecond,
      enabled: trunk.enabled,
      // Checked when the plan was saved (outbound/numberPattern.ts): linear enough for any number.
      pattern: numberPattern === null ? null : new RegExp(numberPattern, 'u'),
    }));
}

/** The Trunks among the routes (the plan's own trunkName is none). */
export function trunkIdsOf(routes: readonly TrunkRoute[]): string[] {
  return [...new Set(routes.flatMap((route) => (route.trunkId === null ? [] : [route.trunkId])))];
}

/** The routes that take the number, in the order it tries them. */
export function routesTaking(routes: readonly TrunkRoute[], number: string): TrunkRoute[] {
  return routes.filter((route) => route.pattern === null || route.pattern.test(number));
}

/** The plan as it dials through the route: the route's way out and caller id, the plan's for everything else. */
export function planThrough<P extends Pick<Plan, 'techName' | 'trunkName' | 'dialStringTemplate' | 'callerId'>>(plan: P, route: TrunkRoute): P {
  return { ...plan, techName: route.techName, trunkName: route.endpoint, dialStringTemplate: route.dialStringTemplate, callerId: route.callerId ?? plan.callerId };
}
