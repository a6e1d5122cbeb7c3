import { randomUUID } from 'node:crypto';
import type { AmiConnection } from '../ami/connection.js';
import { every, systemClock, type Clock } from '../clock.js';
import type { SqlDriver } from '../db/driver.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { LiveBus } from '../bus/bus.js';
import type { LiveStore } from '../live/store.js';
import type { Logger } from '../logger.js';
import type { ApplicationPolicy } from '../outbound/applications.js';
import { Rounds } from '../rounds.js';
import { adoptDialings, type AdoptionDeps } from './adoption.js';
import { AttemptQueue } from './attemptQueue.js';
import type { AttemptResult, FinishedAttempt } from './attempts.js';
import { runCampaign, type CampaignTickDeps } from './campaignTick.js';
import { CallResultWriter, DialingProgressWriter } from './dialingProgress.js';
import { dialerEngineRunning } from './engineControl.js';
import { FollowedDialings, type Followed } from './followed.js';
import { DialingFollower } from './following.js';
import { leave } from './heartbeat.js';
import { CampaignHolds } from './holds.js';
import { claimOrphaned, claimRequested, stillOwned } from './leasing.js';
import { Liveness } from './liveness.js';
import { DEFAULT_LOST_AFTER_MS, LostDialings } from './lostDialings.js';
import { OriginateGate } from './originateGate.js';
import { Originator } from './originating.js';
import type { DialingObservation } from './pacing/observations.js';
import { Pacer } from './pacing/pacer.js';
import { PassedOverSweeps } from './passedOver.js';
import { ProgressPublisher } from './progressPublisher.js';
import { CAMPAIGN_SETUP } from './rules.js';

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
  const dialingProgress = new DialingProgressWriter(driver, log, clock);
  const callResults = new CallResultWriter(prisma, log, clock);
  const gates = new Map([...(options.originateRates ?? [])].map(([server, perSecond]) => [server, new OriginateGate(perSecond, clock)]));
  const progress = new ProgressPublisher(prisma, options.bus);
  const changed = (campaignId: string) => progress.note(campaignId);
  const holds = new CampaignHolds(driver, owner, log, changed);
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
  const record = (attempt: FinishedAttempt) => attempts.record(attempt);

  const failOver = (dialing: Followed, result: AttemptResult): Promise<boolean> => originator.failOver(dialing, result);
  const follower = new DialingFollower({ followed, clock, dialingProgress, callResults, record, observe, changed, failOver });
  const finish = (dialing: Followed, result: AttemptResult): Promise<void> => follower.finish(dialing, result);
  const originator = new Originator({ prisma, driver, store, log, clock, connections, applications: options.applications, gates, followed, dialingProgress, finish, observe, changed });
  const adoption: AdoptionDeps = { prisma, connections, store, log, applications: options.applications, clock, followed, finish, advanced: (dialing, before) => follower.advanced(dialing, before) };
  const campaignTick: CampaignTickDeps = {
    prisma,
    driver,
    connections,
    store,
    applications: options.applications,
    owner,
    tickMs,
    gates,
    followed,
    holds,
    sweeps,
    originator,
    pacerOf,
    alive: () => liveness.alive(),
  };

  /** After a reconnect, the dialings whose every leg the PBX lost meanwhile are taken over again. */
  async function recheck(server: string, connection: AmiConnection): Promise<void> {
    for (const id of await follower.recheck(server, connection)) adopting.add(id);
  }

  const unsubscribes = [...connections].flatMap(([server, connection]) => [
    connection.on('event', (event) => follower.onEvent(server, event)),
    connection.on('connect', () => void recheck(server, connection).catch((error: unknown) => log.warn({ err: error, server }, 'could not recheck dialings after a reconnect'))),
  ]);

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
    changed,
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
      await originator.dialReserved(id).catch((error: unknown) => log.error({ err: error, dialing: id }, 'could not dial a reserved call'));
    }
    const campaigns = await prisma.campaign.findMany({
      where: { inUse: true, OR: [{ status: { not: 'STOPPED' } }, { scheduleMode: 'SCHEDULED' }] },
      include: CAMPAIGN_SETUP,
      orderBy: [{ priority: 'desc' }, { id: 'asc' }],
    });
    for (const campaign of campaigns) {
      if (stopped) return;
      const hold = await runCampaign(campaignTick, campaign, now, engineRunning).catch((error: unknown) => {
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
      follower.stop();
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
