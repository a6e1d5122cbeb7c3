import type { AmiConnection } from '../ami/connection.js';
import type { SqlDriver } from '../db/driver.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { LiveStore } from '../live/store.js';
import type { ApplicationPolicy } from '../outbound/applications.js';
import type { FollowedDialings } from './followed.js';
import { hangUpCampaign } from './forceStop.js';
import type { CampaignHolds, Hold } from './holds.js';
import { leaseDialings } from './leasing.js';
import { listExhausted } from './listEnd.js';
import { confirmStart, currentRun, endOfList, scheduleEdge, settleIfIdle } from './lifecycle.js';
import { originatesPerTick, type OriginateGate } from './originateGate.js';
import type { Originator } from './originating.js';
import { boostedCalls } from './pacing/boost.js';
import { pacingHold } from './pacing/hold.js';
import type { Pacer } from './pacing/pacer.js';
import type { PacingSnapshot } from './pacing/snapshot.js';
import type { PassedOverSweeps } from './passedOver.js';
import { CAMPAIGN_SETUP, campaignRules, type CampaignSetup } from './rules.js';
import { hoursClosedBecause, hoursNextChange } from './schedule/campaignHours.js';
import { queueSeats } from './seats.js';
import { pickServer } from './serverChoice.js';
import { trunkIdsOf } from './routes.js';
import { roomNow, routeDeviceStates, unreachableHold } from './trunkReach.js';
import { trunkChannelsFree, trunkChannelsUp, type TrunkRoom } from './trunk.js';

/** What one campaign's tick needs of the engine. */
export type CampaignTickDeps = {
  prisma: PrismaClient;
  driver: SqlDriver;
  connections: ReadonlyMap<string, AmiConnection>;
  store: LiveStore;
  applications: ApplicationPolicy | undefined;
  /** This dialer process, as its leases name it. */
  owner: string;
  tickMs: number;
  gates: ReadonlyMap<string, OriginateGate>;
  followed: FollowedDialings;
  holds: CampaignHolds;
  sweeps: PassedOverSweeps;
  originator: Originator;
  pacerOf(runId: string): Pacer;
  /** Whether this process is seen alive by the others (its heartbeat is fresh). */
  alive(): boolean;
};

/** Rounds of members looked at when some may wait for a full trunk. */
const LOOK_AHEAD = 3;

/**
 * One tick of one campaign: its status moved along, and calls placed as its pacing allows. Returns why a
 * running campaign placed none (null when it placed some or is not running; undefined to say nothing,
 * when this process may not even be seen alive).
 */
export async function runCampaign(deps: CampaignTickDeps, campaign: CampaignSetup, now: Date, engineRunning: boolean): Promise<Hold | null | undefined> {
  const { prisma, driver, connections, holds } = deps;
  const rules = campaignRules(campaign, deps.applications);
  // A schedule edge may have just moved the status: only then is the campaign read again.
  const current =
    campaign.scheduleMode === 'SCHEDULED' && (await scheduleEdge(prisma, campaign, rules.scheduleOpen(now)))
      ? await prisma.campaign.findUnique({ where: { id: campaign.id }, include: CAMPAIGN_SETUP })
      : campaign;
  if (!current) return null;
  if (current.status === 'STARTING') {
    await confirmStart(prisma, current);
    return null;
  }
  if (current.status === 'FORCE_STOPPING') await hangUpCampaign(deps.followed, connections, current.id);
  if (current.status === 'PAUSING' || current.status === 'STOPPING' || current.status === 'FORCE_STOPPING') {
    await settleIfIdle(prisma, current, await prisma.dialing.count({ where: { campaignId: current.id } }));
    return null;
  }
  if (current.status !== 'RUNNING') return null;
  if (!engineRunning) return { reason: 'ENGINE_STOPPED', detail: 'the dialer engine is stopped: startDialerEngine starts it', nextAt: null };
  // Before any member is leased: every one of them would only be recorded as failed, its try spent.
  if (rules.setupProblem !== null) return { reason: 'SETUP_INVALID', detail: `it will not be sent: ${rules.setupProblem}`, nextAt: null };
  // Its hours (its schedule and its calendar's) bound dialing whether it was started by hand (MANUAL) or by them (SCHEDULED).
  const closed = hoursClosedBecause(current, now);
  if (closed !== null) {
    const opens = hoursNextChange(current, now);
    return { reason: 'OUTSIDE_SCHEDULE', detail: opens ? closed : `${closed}: it will not open again`, nextAt: opens };
  }
  const server = pickServer(connections, current.pbxServer);
  const connection = server === null ? undefined : connections.get(server);
  // AMI down: nothing new is placed, and nothing is counted against a member.
  if (server === null || !connection?.connected) {
    const name = current.pbxServer ?? server;
    return { reason: 'PBX_UNAVAILABLE', detail: name === null ? 'no PBX is connected' : `PBX ${name} is not connected`, nextAt: null };
  }
  // Unseen by the others (its heartbeat stale), what it leased would look orphaned to them at once.
  if (!deps.alive()) return undefined;
  const runId = await currentRun(prisma, current);
  const pacer = deps.pacerOf(runId);
  const seats = await queueSeats(deps.store, server, rules.queue);
  const devices = await routeDeviceStates(deps.store, server, rules.routes);
  const unreachable = unreachableHold(rules.routes, devices);
  if (unreachable) return { reason: 'TRUNKS_UNREACHABLE', detail: unreachable, nextAt: null };
  const trunkUp = await trunkChannelsUp(deps.store, server, rules.routes);
  let room: TrunkRoom = new Map();
  let wanted = 0;
  let paced: PacingSnapshot | undefined;
  const leased = await leaseDialings(driver, {
    campaign: rules.lease(runId),
    owner: deps.owner,
    now,
    howMany: (live) => {
      const gate = deps.gates.get(server);
      // No more than the PBX's rate lets out before the next tick: the rest waits for fresher facts.
      const perTick = gate ? originatesPerTick(gate.perSecond, deps.tickMs) : Number.POSITIVE_INFINITY;
      room = roomNow(rules.routes, { up: trunkUp, calls: live.trunkCalls, devices }, deps.tickMs);
      paced = {
        now: now.getTime(),
        plan: current.plan,
        seats,
        liveDialings: live.unanswered,
        callsUp: live.total,
        trunkChannelsFree: trunkChannelsFree(rules.routes, room),
      };
      wanted = boostedCalls(pacer.callsToPlace(paced), current.boostPercent, paced);
      return Math.min(wanted, perTick);
    },
    trunks: { server, ids: trunkIdsOf(rules.routes) },
    // With several trunks, members whose trunks are full are passed over for those behind them, in more rounds.
    lookAhead: rules.routes.length > 1 ? LOOK_AHEAD : 1,
    prepare: (member, dialing) => rules.prepare(server, runId, member, dialing, { room }),
  });
  await deps.originator.originateAll(current, rules, runId, leased, connection);
  deps.sweeps.due(rules.lease(runId), now);
  // A PREVIEW campaign places nothing itself (its agents reserve and dial): its list ends when they have taken it all.
  const lookedForMembers = wanted > 0 || current.plan.dialMode === 'PREVIEW';
  if (
    lookedForMembers &&
    leased.length === 0 &&
    current.plan.dialListEndAction === 'STOP_CAMPAIGN' &&
    !holds.waitsForDueMember(current.id, now) &&
    (await listExhausted(prisma, driver, current))
  ) {
    await endOfList(prisma, current);
    return null;
  }
  if (leased.length > 0) return null;
  if (wanted === 0) {
    const pacing = paced && pacingHold(paced, { overAbandonLimit: pacer.overAbandonLimit(current.plan), boostPercent: current.boostPercent, queue: rules.queue });
    return pacing ? { ...pacing, nextAt: null } : null;
  }
  return holds.memberHold(rules.lease(runId), now);
}
