import { randomUUID } from 'node:crypto';
import type { AmiConnection } from '../ami/connection.js';
import { every, systemClock, type Clock } from '../clock.js';
import { Rounds } from '../rounds.js';
import { AmiActionError, AmiClosedError, AmiNotConnectedError } from '../ami/errors.js';
import type { AmiEvent } from '../ami/message.js';
import type { SqlDriver } from '../db/driver.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { LiveBus } from '../bus/bus.js';
import type { LiveStore } from '../live/store.js';
import type { ApplicationPolicy } from '../outbound/applications.js';
import type { Logger } from '../logger.js';
import { leave } from './heartbeat.js';
import { Liveness } from './liveness.js';
import { claimOrphaned, claimRequested, leaseDialings, stillOwned, type LeasedDialing } from './leasing.js';
import { hangUpCampaign } from './forceStop.js';
import { listExhausted } from './listEnd.js';
import { ProgressPublisher } from './progressPublisher.js';
import { pickServer } from './serverChoice.js';
import { DEFAULT_LOST_AFTER_MS, LostDialings } from './lostDialings.js';
import { CampaignHolds, type Hold } from './holds.js';
import { confirmStart, currentRun, endOfList, scheduleEdge, settleIfIdle } from './lifecycle.js';
import type { DialingObservation } from './pacing/observations.js';
import { boostedCalls } from './pacing/boost.js';
import { pacingHold } from './pacing/hold.js';
import { Pacer } from './pacing/pacer.js';
import type { PacingSnapshot } from './pacing/snapshot.js';
import { nextChange } from './schedule/schedule.js';
import type { AttemptResult, FinishedAttempt } from './attempts.js';
import { adoptDialings, channelsUp, withLiveLegs, type AdoptionDeps } from './adoption.js';
import { AttemptQueue } from './attemptQueue.js';
import { FollowedDialings, type Followed } from './followed.js';
import { dialerEngineRunning } from './engineControl.js';
import { originatesPlaced } from '../metrics/processMetrics.js';
import { CallResultWriter, DialingProgressWriter } from './dialingProgress.js';
import { eachWithin } from './eachWithin.js';
import { OriginateGate } from './originateGate.js';
import { PassedOverSweeps } from './passedOver.js';
import { queueSeats } from './seats.js';
import { trunkChannelsFree, trunkChannelsInUse } from './trunk.js';
import { newTrack, trackedIds, trackEvent, type DialingTrack } from './tracking.js';
import { CAMPAIGN_SETUP, campaignRules, type CampaignRules, type CampaignSetup } from './rules.js';

export type DialerOptions = {
  prisma: PrismaClient;
  driver: SqlDriver;
  /** This process's AMI connection to each PBX, by server name. */
  connections: ReadonlyMap<string, AmiConnection>;
  store: LiveStore;
  log: Logger;
  /** How often campaigns are looked at. Default 1 s. */
  tickMs?: number;
  /** How often this process proves it is alive (heartbeat.ts). Default 2 s. */
  heartbeatMs?: number;
  /** How long another process's silence lasts before its dialings are adopted. Default four heartbeats. */
  deadAfterMs?: number;
  /** Originates per second each PBX may receive, by server name (a PBX server's originatesPerSecond); unlimited when absent. */
  originateRates?: ReadonlyMap<string, number>;
  /** What time it is, and when to tick, beat, retry and free a seat: the system clock unless a test moves its own. */
  clock?: Clock;
  /** Where each campaign's progress is published (campaignEvents), after the tick that changed it. */
  bus: LiveBus;
  /** The dialplan applications a destination may run; the defaults when absent. */
  applications?: ApplicationPolicy;
  /** How long a live dialing may go without an end before it is recorded as lost (DIALING_LOST_HOURS). Default 24 h. */
  lostAfterMs?: number;
};

export type Dialer = {
  readonly owner: string;
  /** Resolves once `count` more ticks have run to their end (or the dialer stopped): what "nothing happened meanwhile" waits for. */
  ticks(count?: number): Promise<void>;
  stop(): Promise<void>;
};

/** Originates whose answer is awaited at once, per batch. */
const ORIGINATES_IN_FLIGHT = 50;

/**
 * The dialer: every tick it walks each live campaign through its lifecycle and, while one runs, asks its
 * Pacer how many calls to place, leases that many members and originates them; it follows each dialing
 * through the PBX's events to its end and records the attempt. Any number of these may run over one
 * database: leases keep them from dialing a member twice, and a dead one's dialings are claimed.
 */
export function startDialer(options: DialerOptions): Dialer {
  const { prisma, driver, connections, store, log } = options;
  const tickMs = options.tickMs ?? 1_000;
  const heartbeatMs = options.heartbeatMs ?? 2_000;
  const deadAfterMs = options.deadAfterMs ?? 4 * heartbeatMs;
  const owner = `dialer-${randomUUID()}`;
  const clock = options.clock ?? systemClock;
  const followed = new FollowedDialings();
  const attempts = new AttemptQueue(driver, log, clock);
  const pacers = new Map<string, Pacer>();
  const wrapUps = new Set<() => void>();
  const dialingProgress = new DialingProgressWriter(driver, log, clock);
  const callResults = new CallResultWriter(prisma, log, clock);
  const gates = new Map([...(options.originateRates ?? [])].map(([server, perSecond]) => [server, new OriginateGate(perSecond, clock)]));
  const progress = new ProgressPublisher(prisma, options.bus);
  const holds = new CampaignHolds(driver, owner, log, (campaignId) => progress.note(campaignId));
  // Each running campaign sets aside, beside its ticks, the members its leases would step over.
  const sweeps = new PassedOverSweeps(driver, log);
  // Dialings taken over from a dead process, until each is reconciled (a PBX that is away leaves it for a later tick).
  const adopting = new Set<string>();
  let stopped = false;
  // The DialerEngine row as this tick read it: stopped, nothing new is placed; live calls go on to their end.
  let engineRunning = true;

  const pacerOf = (runId: string) => {
    let pacer = pacers.get(runId);
    if (!pacer) pacers.set(runId, (pacer = new Pacer()));
    return pacer;
  };
  const observe = (dialing: Followed, observation: DialingObservation) => pacerOf(dialing.runId).observe(observation);

  function onEvent(server: string, event: AmiEvent): void {
    const dialing = followed.ofEvent(server, event);
    if (!dialing) return;
    if (dialing.adopting) return void dialing.adopting.push(event);
    const before = dialing.track;
    dialing.track = trackEvent(before, event, clock.now());
    advanced(dialing, before);
  }

  /** What follows from a dialing's track moving on from before: results and progress written, its end recorded. */
  function advanced(dialing: Followed, before: DialingTrack): void {
    const { track } = dialing;
    if (track.resultChanges.length > before.resultChanges.length) callResults.write(dialing.id, track.resultChanges.slice(before.resultChanges.length));
    if (track.answeredAt !== null && !dialing.reported.answered) {
      dialing.reported.answered = true;
      observe(dialing, { kind: 'answered', dialingId: dialing.id, at: track.answeredAt });
      dialingProgress.note(dialing.id, { status: 'ANSWERED', channel: track.channel, acceptedAt: null, answeredAt: track.answeredAt, bridgedAt: null });
    }
    if (track.bridgedAt !== null && !dialing.reported.connected) {
      dialing.reported.connected = true;
      observe(dialing, { kind: 'connected', dialingId: dialing.id, at: track.bridgedAt });
      dialingProgress.note(dialing.id, { status: 'BRIDGED', channel: track.channel, acceptedAt: null, answeredAt: track.answeredAt, bridgedAt: track.bridgedAt });
    }
    if (before.channel === null && track.channel !== null && track.answeredAt === null) {
      dialingProgress.note(dialing.id, { status: 'RINGING', channel: track.channel, acceptedAt: null, answeredAt: null, bridgedAt: null });
    }
    if (track.endedAt !== null) void finish(dialing, dialing.rules.result(track, dialing.originatedAt, dialing.cancelled));
  }

  async function finish(dialing: Followed, result: AttemptResult): Promise<void> {
    followed.forget(dialing);
    // The dialplan's last CALLSTATUS must be on the row before the recording reads it for the reschedule rules.
    await callResults.settled(dialing.id);
    if (!(await record({ dialingId: dialing.id, result, decide: (numbers, attempt, found) => dialing.rules.next(result, numbers, attempt, found) }))) return;
    const at = result.endedAt.getTime();
    if (result.answeredAt === null) observe(dialing, { kind: 'failed', dialingId: dialing.id, at });
    else if (result.bridgedAt === null) observe(dialing, { kind: 'abandoned', dialingId: dialing.id, at });
    else {
      observe(dialing, { kind: 'hungUp', dialingId: dialing.id, at });
      // The seat is ready again once its wrap-up is over: told then, so until then it counts as wrapping up.
      const freed = clock.after(dialing.rules.wrapUpMs, () => {
        wrapUps.delete(freed);
        observe(dialing, { kind: 'seatFreed', dialingId: dialing.id, at: clock.now() });
      });
      wrapUps.add(freed);
    }
    progress.note(dialing.campaignId);
  }

  /**
   * After a reconnect: what the PBX said while this process could not hear it is gone. A dialing with a leg
   * still up goes on, answered if its customer's leg is Up, and no longer waits for an OriginateResponse that
   * went to the old session; one with none is taken over again as a dead dialer's would be, from its row and
   * the call log (the worker may have heard its end).
   */
  async function recheck(server: string, connection: AmiConnection): Promise<void> {
    const mine = followed.values().filter((dialing) => dialing.server === server && !dialing.adopting);
    if (mine.length === 0) return;
    const up = await channelsUp(connection);
    const now = clock.now();
    for (const dialing of mine) {
      if (!followed.has(dialing.id)) continue;
      if (trackedIds(dialing.track).some((id) => up.has(id))) {
        const before = dialing.track;
        dialing.track = withLiveLegs({ ...before, awaitsResponse: false }, up, now);
        advanced(dialing, before);
        continue;
      }
      followed.forget(dialing);
      adopting.add(dialing.id);
    }
  }

  const adoption: AdoptionDeps = { prisma, connections, store, log, applications: options.applications, clock, followed, finish, advanced };

  const unsubscribes = [...connections].flatMap(([server, connection]) => [
    connection.on('event', (event) => onEvent(server, event)),
    connection.on('connect', () => void recheck(server, connection).catch((error: unknown) => log.warn({ err: error, server }, 'could not recheck dialings after a reconnect'))),
  ]);

  function followedOf(campaignId: string, rules: CampaignRules, runId: string, dialing: LeasedDialing): Followed {
    return {
      id: dialing.id,
      campaignId,
      runId,
      server: dialing.server,
      rules,
      originatedAt: clock.now(),
      track: newTrack(dialing.id, dialing.otherUniqueid),
      reported: { answered: false, connected: false },
      cancelled: false,
    };
  }

  async function originate(campaign: CampaignSetup, rules: CampaignRules, runId: string, dialing: LeasedDialing, connection: AmiConnection): Promise<void> {
    if (dialing.problem === null) await gates.get(dialing.server)?.wait();
    const entry = followedOf(campaign.id, rules, runId, dialing);
    const { originatedAt } = entry;
    if (dialing.problem !== null) {
      log.warn({ dialing: dialing.id, campaign: campaign.id, problem: dialing.problem }, 'member cannot be dialed as it is');
      return finish(entry, rules.failed(originatedAt, dialing.problem, true, clock.now()));
    }
    followed.follow(entry);
    observe(entry, { kind: 'placed', dialingId: dialing.id, at: originatedAt });
    try {
      await connection.action(rules.originate(dialing));
      originatesPlaced.inc({ server: dialing.server });
      // Written at once: a dialer adopting this dialing tells a call the PBX took from one that never left.
      dialingProgress.note(dialing.id, { status: 'ORIGINATING', channel: null, acceptedAt: clock.now(), answeredAt: null, bridgedAt: null });
    } catch (error) {
      // Refused by the PBX: a failed attempt, and its try counts. Never sent (the connection dropped or
      // timed out before an answer is not the same: the PBX may have it): only "not connected" is unsent.
      const unsent = error instanceof AmiNotConnectedError || error instanceof AmiClosedError;
      log.warn({ err: error, dialing: dialing.id, campaign: campaign.id }, 'originate failed');
      if (unsent || error instanceof AmiActionError) {
        await finish(entry, rules.failed(entry.originatedAt, `Originate refused: ${error instanceof Error ? error.message : String(error)}`, !unsent, clock.now()));
      }
    }
  }

  /**
   * Originates a batch: all marked ORIGINATING first, in one statement (a process that dies after it may
   * have dialed them, so they are reconciled, never retried blindly), then sent with up to
   * ORIGINATES_IN_FLIGHT answers awaited at once: one at a time, a PBX's answer delay caps the rate.
   */
  async function originateAll(campaign: CampaignSetup, rules: CampaignRules, runId: string, dialings: readonly LeasedDialing[], connection: AmiConnection): Promise<void> {
    if (dialings.length === 0) return;
    progress.note(campaign.id);
    try {
      await prisma.dialing.updateMany({ where: { id: { in: dialings.map((dialing) => dialing.id) } }, data: { status: 'ORIGINATING', originatedAt: new Date(clock.now()) } });
    } catch (error) {
      // Never sent: given back untried once the database takes it, instead of left leased to a live process.
      log.warn({ err: error, campaign: campaign.id, dialings: dialings.length }, 'could not mark dialings as originating; giving them back untried');
      const now = clock.now();
      for (const dialing of dialings) void finish(followedOf(campaign.id, rules, runId, dialing), rules.failed(now, 'Never originated', false, now));
      return;
    }
    await eachWithin(dialings, ORIGINATES_IN_FLIGHT, (dialing) => originate(campaign, rules, runId, dialing, connection));
  }

  /**
   * One tick of one campaign: its status moved along, and calls placed as its pacing allows. Returns why a
   * running campaign placed none (null when it placed some or is not running; undefined to say nothing,
   * when this process may not even be seen alive).
   */
  async function runCampaign(campaign: CampaignSetup, now: Date): Promise<Hold | null | undefined> {
    const rules = campaignRules(campaign, options.applications);
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
    if (current.status === 'FORCE_STOPPING') await hangUpCampaign(followed, connections, current.id);
    if (current.status === 'PAUSING' || current.status === 'STOPPING' || current.status === 'FORCE_STOPPING') {
      await settleIfIdle(prisma, current, await prisma.dialing.count({ where: { campaignId: current.id } }));
      return null;
    }
    if (current.status !== 'RUNNING') return null;
    if (!engineRunning) return { reason: 'ENGINE_STOPPED', detail: 'the dialer engine is stopped: startDialerEngine starts it', nextAt: null };
    // Its hours bound dialing whether it was started by hand (MANUAL) or by them (SCHEDULED).
    if (!rules.scheduleOpen(now)) {
      const opens = nextChange(current, now);
      return { reason: 'OUTSIDE_SCHEDULE', detail: opens ? 'outside its schedule' : 'its schedule has ended: it will not open again', nextAt: opens };
    }
    const server = pickServer(connections, current.pbxServer);
    const connection = server === null ? undefined : connections.get(server);
    // AMI down: nothing new is placed, and nothing is counted against a member.
    if (server === null || !connection?.connected) {
      const name = current.pbxServer ?? server;
      return { reason: 'PBX_UNAVAILABLE', detail: name === null ? 'no PBX is connected' : `PBX ${name} is not connected`, nextAt: null };
    }
    // Unseen by the others (its heartbeat stale), what it leased would look orphaned to them at once.
    if (!liveness.alive()) return undefined;
    const runId = await currentRun(prisma, current);
    const pacer = pacerOf(runId);
    const seats = await queueSeats(store, server, rules.queue);
    const trunkInUse = await trunkChannelsInUse(store, server, current.plan);
    let wanted = 0;
    let paced: PacingSnapshot | undefined;
    const leased = await leaseDialings(driver, {
      campaign: rules.lease(runId),
      owner,
      now,
      howMany: (live) => {
        const gate = gates.get(server);
        // No more than the PBX's rate lets out before the next tick: the rest waits for fresher facts.
        const perTick = gate ? Math.max(1, Math.ceil((gate.perSecond * tickMs) / 1000)) : Number.POSITIVE_INFINITY;
        paced = {
          now: now.getTime(),
          plan: current.plan,
          seats,
          liveDialings: live.unanswered,
          callsUp: live.total,
          trunkChannelsFree: trunkChannelsFree(current.plan, trunkInUse, live.placing),
        };
        wanted = boostedCalls(pacer.callsToPlace(paced), current.boostPercent, paced);
        return Math.min(wanted, perTick);
      },
      prepare: (member, dialing) => rules.prepare(server, runId, member, dialing),
    });
    await originateAll(current, rules, runId, leased, connection);
    sweeps.due(rules.lease(runId), now);
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

  /** A preview agent's reserved call, now asked for: originated to the campaign's PBX, put through to the agent. */
  async function dialRequested(id: string): Promise<void> {
    const row = await prisma.dialing.findUniqueOrThrow({
      where: { id },
      include: { campaign: { include: CAMPAIGN_SETUP }, member: { include: { numbers: true, dialList: true } } },
    });
    const rules = campaignRules(row.campaign, options.applications);
    const server = pickServer(connections, row.campaign.pbxServer);
    const connection = server === null ? undefined : connections.get(server);
    const number = row.member.numbers.find((candidate) => candidate.slot === row.numberSlot);
    if (server === null || !connection?.connected || !number) {
      // Not now: back to waiting for a dialer that can.
      await prisma.dialing.update({ where: { id }, data: { owner: null } });
      return;
    }
    const { dialList } = row.member;
    const member = {
      id: row.member.id,
      name: row.member.name,
      externalKey: row.member.externalKey,
      variables: row.member.variables as Record<string, string>,
      number,
      dialList: { id: dialList.id, name: dialList.name, variables: dialList.variables as Record<string, string> },
    };
    const prepared = rules.prepare(server, row.runId, member, { id, tryCount: row.tryCount }, row.agent);
    await prisma.dialing.update({ where: { id }, data: { server, dialString: prepared.dialString, otherUniqueid: prepared.otherUniqueid } });
    const dialing: LeasedDialing = { ...prepared, id, memberId: row.memberId, numberSlot: row.numberSlot, dialedNumber: row.dialedNumber, tryCount: row.tryCount };
    await originateAll(row.campaign, rules, row.runId, [dialing], connection);
  }

  const record = (attempt: FinishedAttempt) => attempts.record(attempt);

  const lostDialings = new LostDialings({
    prisma,
    log,
    applications: options.applications,
    lostAfterMs: options.lostAfterMs ?? DEFAULT_LOST_AFTER_MS,
    letGo: (dialingId) => {
      const known = followed.get(dialingId);
      if (known) followed.forget(known);
      adopting.delete(dialingId);
    },
    record,
    changed: (campaignId) => progress.note(campaignId),
  });

  let ticking: Promise<void> = Promise.resolve();
  async function tick(): Promise<void> {
    const now = new Date(clock.now());
    await lostDialings.sweepIfDue(now);
    if (liveness.mayAdopt()) for (const claimed of await claimOrphaned(driver, owner, now, deadAfterMs)) adopting.add(claimed.id);
    if (adopting.size > 0) {
      const done = await adoptDialings(adoption, [...adopting]).catch((error: unknown) => {
        log.warn({ err: error, dialings: adopting.size }, 'could not take over dialings yet; trying again');
        return [];
      });
      for (const id of done) adopting.delete(id);
    }
    engineRunning = await dialerEngineRunning(prisma);
    for (const { id } of engineRunning && liveness.alive() ? await claimRequested(driver, owner) : []) {
      await dialRequested(id).catch((error: unknown) => log.error({ err: error, dialing: id }, 'could not dial a reserved call'));
    }
    const campaigns = await prisma.campaign.findMany({
      where: { inUse: true, OR: [{ status: { not: 'STOPPED' } }, { scheduleMode: 'SCHEDULED' }] },
      include: CAMPAIGN_SETUP,
      orderBy: [{ priority: 'desc' }, { id: 'asc' }],
    });
    for (const campaign of campaigns) {
      if (stopped) return;
      const hold = await runCampaign(campaign, now).catch((error: unknown) => {
        log.error({ err: error, campaign: campaign.id }, 'dialer tick failed for a campaign');
        return undefined;
      });
      if (hold !== undefined) {
        await holds.set(campaign, hold, now).catch((error: unknown) => log.warn({ err: error, campaign: campaign.id }, 'could not keep why a campaign places no call'));
      }
      const after = await prisma.campaign.findUnique({ where: { id: campaign.id }, select: { status: true, statusRequestedBy: true } });
      if (after?.status !== campaign.status) {
        progress.note(campaign.id);
        if (after) log.info({ campaign: campaign.name, from: campaign.status, by: after.statusRequestedBy ?? undefined }, `campaign is ${after.status}`);
      }
    }
    await dialingProgress.flush();
    await progress.publish();
  }

  const liveness = new Liveness({
    clock,
    // A clock a test moves measures the silence between beats too; the system's is measured on
    // performance.now, which a wall-clock step cannot move.
    monotonic: clock === systemClock ? undefined : () => clock.now(),
    driver,
    owner,
    log,
    heartbeatMs,
    deadAfterMs,
    // Silent too long, it may have been taken for dead. Only the dialings asked about are let go: one leased
    // while the answer came is this process's for sure.
    returned: async () => {
      const asked = followed.values();
      const mine = await stillOwned(driver, owner, asked.map((dialing) => dialing.id));
      for (const dialing of asked) if (!mine.has(dialing.id) && followed.get(dialing.id) === dialing) followed.forget(dialing);
    },
  });
  // The first ticks wait for the first beat: what they lease is then visibly this live process's.
  ticking = liveness.start();

  const ticks = new Rounds();
  const stopTicking = every(clock, tickMs, () => {
    // One tick at a time: a slow database makes ticks later, never overlapping.
    ticking = ticking
      .then(tick)
      .catch((error: unknown) => log.error({ err: error }, 'dialer tick failed'))
      .finally(() => ticks.end());
  });

  return {
    owner,
    ticks: (count) => ticks.next(count),
    async stop() {
      stopped = true;
      attempts.stopRetrying();
      ticks.release();
      stopTicking();
      for (const cancel of wrapUps) cancel();
      callResults.close();
      await ticking;
      await sweeps.stop();
      await attempts.settled();
      for (const unsubscribe of unsubscribes) unsubscribe();
      dialingProgress.close();
      await liveness.stop();
      // Calls still up are another dialer's to follow from now on, at once rather than after deadAfterMs.
      await Promise.all([dialingProgress.flush(), leave(driver, owner)]).catch((error: unknown) =>
        log.warn({ err: error }, 'could not hand over on stopping; another dialer adopts its calls once its heartbeat is old'),
      );
    },
  };
}
