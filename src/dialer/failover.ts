import type { AmiConnection } from '../ami/connection.js';
import type { SqlDriver } from '../db/driver.js';
import type { CallOutcome } from '../generated/prisma/enums.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { LiveStore } from '../live/store.js';
import type { Logger } from '../logger.js';
import type { AttemptResult } from './attempts.js';
import type { DialingProgressWriter } from './dialingProgress.js';
import type { Followed } from './followed.js';
import { callsOnTrunks, leasedMemberOf, type LeasedDialing } from './leasing.js';
import { routesTaking } from './routes.js';
import { routeFor, trunkChannelsUp } from './trunk.js';
import { roomNow, routeDeviceStates } from './trunkReach.js';

/**
 * Outcomes that say the trunk failed the call, not the customer: no circuit, the network out of order, no
 * channel made at all (FAILED: a refused Originate, a channel that could not be created). Busy, no answer and
 * an unallocated number would be the same on any trunk.
 */
const TRUNK_FAILURES: ReadonlySet<CallOutcome> = new Set(['CONGESTION', 'FAILED']);

export type FailoverDeps = {
  prisma: PrismaClient;
  driver: SqlDriver;
  store: LiveStore;
  connections: ReadonlyMap<string, AmiConnection>;
  log: Logger;
  dialingProgress: DialingProgressWriter;
};

/** The Uniqueid the `leg`-th leg of a dialing is originated with (1 first): its id, then `<id>-2`, `<id>-3`... */
export function legUniqueid(dialingId: string, leg: number): string {
  return leg === 1 ? dialingId : `${dialingId}-${leg}`;
}

/** The same dialing, prepared for its next trunk, and the PBX to send it to. */
export type NextLeg = { dialing: LeasedDialing; connection: AmiConnection };

/**
 * Where a call its trunk failed goes next, within the same attempt (WombatDialer's trunk order, Webitel's
 * resources): the next of the plan's trunks that takes its number, is enabled and reachable, was not tried yet and has room.
 * The leg gets a Uniqueid of its own (`<id>-<n>`): the failed leg's late events must not be read as the new
 * one's. Its row says which trunk it is on and which failed it, as its attempt will. Null when it stays failed.
 */
export async function nextLeg(deps: FailoverDeps, entry: Followed, result: AttemptResult): Promise<NextLeg | null> {
  const { prisma, connections } = deps;
  const { routes } = entry.rules;
  if (!result.sent || result.answeredAt !== null || entry.cancelled || !TRUNK_FAILURES.has(result.outcome) || routes.length < 2) return null;
  const row = await prisma.dialing.findUnique({
    where: { id: entry.id },
    include: { campaign: { select: { status: true } }, member: { include: { numbers: true, dialList: true } } },
  });
  const connection = row && connections.get(row.server);
  // A stopping campaign places nothing new, a failover included, and a call hung up by hand stays ended.
  if (!row || row.trunkId === null || row.status === 'HANGUP' || row.campaign.status !== 'RUNNING' || !connection?.connected) return null;
  const tried = new Set([...row.failedTrunkIds, row.trunkId]);
  const untried = routesTaking(routes, row.dialedNumber).filter((route) => route.enabled && route.trunkId !== null && !tried.has(route.trunkId));
  if (untried.length === 0) return null;
  const up = await trunkChannelsUp(deps.store, row.server, untried);
  const calls = await deps.driver.withConnection((sql) => callsOnTrunks(sql, row.campaignId, { server: row.server, ids: untried.map((route) => route.trunkId as string) }));
  // Routed as a first call is: no trunk its PBX reports unreachable.
  const route = routeFor(roomNow(untried, { up, calls, devices: await routeDeviceStates(deps.store, row.server, untried) }), untried);
  const member = leasedMemberOf(row.member, row.numberSlot);
  if (typeof route === 'string' || !member) return null;
  const uniqueid = legUniqueid(row.id, tried.size + 1);
  const prepared = entry.rules.prepare(row.server, row.runId, member, { id: row.id, tryCount: row.tryCount, uniqueid }, { agent: row.agent, route });
  if (prepared.originate === null) return null;
  // The failed leg's last progress lands first, so the row's reset below is the last word.
  await deps.dialingProgress.flush();
  await prisma.dialing.update({
    where: { id: row.id },
    data: {
      trunkId: route.trunkId,
      failedTrunkIds: { push: row.trunkId },
      uniqueid,
      otherUniqueid: prepared.otherUniqueid,
      dialString: prepared.dialString,
      status: 'ORIGINATING',
      channel: null,
      acceptedAt: null,
    },
  });
  deps.log.info({ dialing: row.id, from: row.trunkId, to: route.trunkId, outcome: result.outcome }, 'call failed over to the next trunk');
  return { dialing: { ...prepared, id: row.id, memberId: row.memberId, numberSlot: row.numberSlot, dialedNumber: row.dialedNumber, tryCount: row.tryCount }, connection };
}
