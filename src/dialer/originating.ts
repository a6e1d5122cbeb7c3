import type { AmiConnection } from '../ami/connection.js';
import { AmiActionError, AmiClosedError, AmiNotConnectedError } from '../ami/errors.js';
import type { Clock } from '../clock.js';
import type { SqlDriver } from '../db/driver.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { LiveStore } from '../live/store.js';
import type { Logger } from '../logger.js';
import { originatesPlaced } from '../metrics/processMetrics.js';
import type { ApplicationPolicy } from '../outbound/applications.js';
import type { AttemptResult } from './attempts.js';
import type { DialingProgressWriter } from './dialingProgress.js';
import { eachWithin } from './eachWithin.js';
import { nextLeg } from './failover.js';
import type { FollowedDialings, Followed } from './followed.js';
import { leasedMemberOf, type LeasedDialing } from './leasing.js';
import { OriginateGate } from './originateGate.js';
import type { TrunkRoute } from './routes.js';
import type { DialingObservation } from './pacing/observations.js';
import { CAMPAIGN_SETUP, campaignRules, type CampaignRules, type CampaignSetup } from './rules.js';
import { pickServer } from './serverChoice.js';
import { newTrack } from './tracking.js';

/** Originates whose answer is awaited at once, per batch. */
const ORIGINATES_IN_FLIGHT = 50;

/** What originating needs of the engine: the PBXs and their pace, and where a dialing goes once sent or refused. */
export type OriginatingDeps = {
  prisma: PrismaClient;
  log: Logger;
  clock: Clock;
  connections: ReadonlyMap<string, AmiConnection>;
  applications: ApplicationPolicy | undefined;
  /** Each PBX's originate pace, by server name; unlimited when absent. */
  gates: ReadonlyMap<string, OriginateGate>;
  followed: FollowedDialings;
  dialingProgress: DialingProgressWriter;
  driver: SqlDriver;
  store: LiveStore;
  /** Records a dialing that never became a call (DialingFollower.finish). */
  finish(dialing: Followed, result: AttemptResult): Promise<void>;
  observe(dialing: Followed, observation: DialingObservation): void;
  changed(campaignId: string): void;
};

/** Sends leased dialings to their PBX as Originate actions, and follows each one it sent. */
export class Originator {
  private readonly trunkGates = new Map<string, OriginateGate>();

  constructor(private readonly deps: OriginatingDeps) {}

  /**
   * Originates a batch: all marked ORIGINATING first, in one statement (a process that dies after it may
   * have dialed them, so they are reconciled, never retried blindly), then sent with up to
   * ORIGINATES_IN_FLIGHT answers awaited at once: one at a time, a PBX's answer delay caps the rate.
   */
  async originateAll(campaign: CampaignSetup, rules: CampaignRules, runId: string, dialings: readonly LeasedDialing[], connection: AmiConnection): Promise<void> {
    const { prisma, log, clock } = this.deps;
    if (dialings.length === 0) return;
    this.deps.changed(campaign.id);
    try {
      await prisma.dialing.updateMany({ where: { id: { in: dialings.map((dialing) => dialing.id) } }, data: { status: 'ORIGINATING', originatedAt: new Date(clock.now()) } });
    } catch (error) {
      // Never sent: given back untried once the database takes it, instead of left leased to a live process.
      log.warn({ err: error, campaign: campaign.id, dialings: dialings.length }, 'could not mark dialings as originating; giving them back untried');
      const now = clock.now();
      for (const dialing of dialings) void this.deps.finish(this.followedOf(campaign.id, rules, runId, dialing), rules.failed(now, 'Never originated', false, now));
      return;
    }
    await eachWithin(dialings, ORIGINATES_IN_FLIGHT, (dialing) => this.originate(campaign, rules, runId, dialing, connection));
  }

  /** A preview agent's reserved call, now asked for: originated to the campaign's PBX, put through to the agent. */
  async dialReserved(id: string): Promise<void> {
    const { prisma, connections } = this.deps;
    const row = await prisma.dialing.findUniqueOrThrow({
      where: { id },
      include: { campaign: { include: CAMPAIGN_SETUP }, member: { include: { numbers: true, dialList: true } } },
    });
    const rules = campaignRules(row.campaign, this.deps.applications);
    const server = pickServer(connections, row.campaign.pbxServer);
    const connection = server === null ? undefined : connections.get(server);
    const member = leasedMemberOf(row.member, row.numberSlot);
    if (server === null || !connection?.connected || !member) {
      // Not now: back to waiting for a dialer that can.
      await prisma.dialing.update({ where: { id }, data: { owner: null } });
      return;
    }
    const prepared = rules.prepare(server, row.runId, member, { id, tryCount: row.tryCount }, { agent: row.agent });
    if (prepared.notNow !== null) {
      // Every trunk that takes the number is disabled now: back to waiting, for this dialer or another.
      await prisma.dialing.update({ where: { id }, data: { owner: null } });
      return;
    }
    await prisma.dialing.update({ where: { id }, data: { server, dialString: prepared.dialString, otherUniqueid: prepared.otherUniqueid, trunkId: prepared.trunkId } });
    const dialing: LeasedDialing = { ...prepared, id, memberId: row.memberId, numberSlot: row.numberSlot, dialedNumber: row.dialedNumber, tryCount: row.tryCount };
    await this.originateAll(row.campaign, rules, row.runId, [dialing], connection);
  }

  /** Waits for the dialing's turn at its PBX's originate pace, then at its trunk's: a failed-over leg too. */
  private async waitTurn(dialing: LeasedDialing, rules: CampaignRules): Promise<void> {
    await this.deps.gates.get(dialing.server)?.wait();
    await this.trunkGate(dialing.server, rules.routes.find((route) => route.trunkId !== null && route.trunkId === dialing.trunkId))?.wait();
  }

  /** The originate pace of a trunk with one of its own, per PBX (each has its own endpoint of that trunk). */
  private trunkGate(server: string, route: TrunkRoute | undefined): OriginateGate | undefined {
    if (route?.trunkId == null || route.originatesPerSecond === null) return undefined;
    const key = `${server}\u0000${route.trunkId}`;
    const known = this.trunkGates.get(key);
    if (known?.perSecond === route.originatesPerSecond) return known;
    // New, or its pace changed: the trunk is read afresh every tick.
    const gate = new OriginateGate(route.originatesPerSecond, this.deps.clock);
    this.trunkGates.set(key, gate);
    return gate;
  }

  /**
   * A call its trunk failed goes on through the next trunk of its plan that can take it (failover.ts), followed
   * under its new Uniqueid; true when it was sent there, false when it stays failed.
   */
  async failOver(entry: Followed, result: AttemptResult): Promise<boolean> {
    const next = await nextLeg(this.deps, entry, result);
    if (!next) return false;
    await this.waitTurn(next.dialing, entry.rules);
    await this.send({ ...entry, track: newTrack(next.dialing.uniqueid, next.dialing.otherUniqueid), reported: { answered: false, connected: false } }, next.dialing, next.connection);
    return true;
  }

  private followedOf(campaignId: string, rules: CampaignRules, runId: string, dialing: LeasedDialing): Followed {
    return {
      id: dialing.id,
      campaignId,
      runId,
      server: dialing.server,
      rules,
      originatedAt: this.deps.clock.now(),
      track: newTrack(dialing.uniqueid, dialing.otherUniqueid),
      reported: { answered: false, connected: false },
      cancelled: false,
    };
  }

  private async originate(campaign: CampaignSetup, rules: CampaignRules, runId: string, dialing: LeasedDialing, connection: AmiConnection): Promise<void> {
    const { log, clock } = this.deps;
    if (dialing.problem === null) await this.waitTurn(dialing, rules);
    const entry = this.followedOf(campaign.id, rules, runId, dialing);
    const { originatedAt } = entry;
    if (dialing.problem !== null) {
      log.warn({ dialing: dialing.id, campaign: campaign.id, problem: dialing.problem }, 'member cannot be dialed as it is');
      return this.deps.finish(entry, rules.failed(originatedAt, dialing.problem, true, clock.now()));
    }
    this.deps.observe(entry, { kind: 'placed', dialingId: dialing.id, at: originatedAt });
    await this.send(entry, dialing, connection);
  }

  /** Sends a dialing's Originate and follows its call; a refusal ends it, or moves it on to its next trunk. */
  private async send(entry: Followed, dialing: LeasedDialing, connection: AmiConnection): Promise<void> {
    const { log, clock } = this.deps;
    const { rules } = entry;
    this.deps.followed.follow(entry);
    try {
      await connection.action(rules.originate(dialing));
      originatesPlaced.inc({ server: dialing.server });
      // Written at once: a dialer adopting this dialing tells a call the PBX took from one that never left.
      this.deps.dialingProgress.note(dialing.id, { status: 'ORIGINATING', channel: null, acceptedAt: clock.now(), answeredAt: null, bridgedAt: null });
    } catch (error) {
      // Refused by the PBX: a failed attempt, and its try counts. Never sent (the connection dropped or
      // timed out before an answer is not the same: the PBX may have it): only "not connected" is unsent.
      const unsent = error instanceof AmiNotConnectedError || error instanceof AmiClosedError;
      log.warn({ err: error, dialing: dialing.id, campaign: entry.campaignId }, 'originate failed');
      if (unsent || error instanceof AmiActionError) {
        const failed = rules.failed(entry.originatedAt, `Originate refused: ${error instanceof Error ? error.message : String(error)}`, !unsent, clock.now());
        this.deps.followed.forget(entry);
        if (await this.failOver(entry, failed)) return;
        await this.deps.finish(entry, failed);
      }
    }
  }
}
