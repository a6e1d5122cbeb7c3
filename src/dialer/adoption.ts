import type { AmiConnection } from '../ami/connection.js';
import type { Clock } from '../clock.js';
import { field, type AmiEvent } from '../ami/message.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { LoggedEvent } from '../live/callLog.js';
import type { LiveStore } from '../live/store.js';
import type { Logger } from '../logger.js';
import { dialingsAdopted } from '../metrics/processMetrics.js';
import type { ApplicationPolicy } from '../outbound/applications.js';
import type { AttemptResult } from './attempts.js';
import type { Followed, FollowedDialings } from './followed.js';
import { dialString } from './dialString/dialString.js';
import { OriginateFieldError } from './dialString/originateFieldError.js';
import { legUniqueid } from './failover.js';
import type { TrunkRoute } from './routes.js';
import { CAMPAIGN_SETUP, campaignRules } from './rules.js';
import { customerLeg, newTrack, trackedIds, trackEvent, type DialingTrack } from './tracking.js';

/**
 * Taking dialings over: those of a dialer that died, or whose end this one missed while its AMI connection
 * was down. Each is rebuilt from its row, the PBX's channels and the worker's call log, then followed on or
 * recorded.
 */

/** How far the worker's clock (the call log's times) may be behind this process's. */
const LOG_CLOCK_SLACK_MS = 2_000;

/** The columns of an adopted Dialing row that decide what becomes of it. */
type AdoptedRow = {
  id: string;
  status: string;
  acceptedAt: Date | null;
  channel: string | null;
  dialplanChanges: number;
  trunkId: string | null;
  failedTrunkIds: string[];
  dialedNumber: string;
  dialString: string;
};

/** What became of a dialing taken over: still up, ended and recorded from the call log, ended unseen, never sent. */
type AdoptionResult = 'followed' | 'recorded' | 'unseen' | 'untried';

/** A channel of the PBX as CoreShowChannels lists it. */
export type LiveLeg = { channel: string; answered: boolean };

/** What taking over needs of the engine: where to read, what it follows, and how a dialing moves on or ends. */
export type AdoptionDeps = {
  prisma: PrismaClient;
  connections: ReadonlyMap<string, AmiConnection>;
  store: LiveStore;
  log: Logger;
  applications: ApplicationPolicy | undefined;
  clock: Clock;
  followed: FollowedDialings;
  /** Records the dialing's attempt (it is forgotten first). */
  finish(dialing: Followed, result: AttemptResult): Promise<void>;
  /** What follows from a dialing's track moving on from `before`. */
  advanced(dialing: Followed, before: DialingTrack): void;
};

/**
 * Dialings whose process died (or whose end this one missed): each followed first, held events and all, so
 * none falls between; then, with one channel list per PBX and each one's call log, rebuilt and followed on
 * while a leg is up, or recorded as what it was: from the log when it ended unfollowed, with what is known
 * when nothing heard its end, and given back untried when the PBX never took it. Returns the ids done; the
 * rest wait for their PBX to be back, for a later tick.
 */
export async function adoptDialings(deps: AdoptionDeps, ids: readonly string[]): Promise<string[]> {
  const { prisma, connections, store, log, followed, finish, clock } = deps;
  const rows = await prisma.dialing.findMany({ where: { id: { in: [...ids] } }, include: { campaign: { include: CAMPAIGN_SETUP } } });
  const found = new Set(rows.map((row) => row.id));
  const done = ids.filter((id) => !found.has(id));
  const taking: { row: (typeof rows)[number]; entry: Followed }[] = [];
  for (const row of rows) {
    const rules = campaignRules(row.campaign, deps.applications);
    const originatedAt = row.originatedAt?.getTime() ?? row.createdAt.getTime();
    const answeredAt = row.answeredAt?.getTime() ?? null;
    const bridgedAt = row.bridgedAt?.getTime() ?? null;
    const entry: Followed = {
      id: row.id,
      campaignId: row.campaignId,
      runId: row.runId,
      server: row.server,
      rules,
      originatedAt,
      // Its OriginateResponse went to another session: the legs alone say when it is over.
      track: { ...newTrack(row.uniqueid ?? row.id, row.otherUniqueid), awaitsResponse: false, answeredAt, bridgedAt },
      reported: { answered: answeredAt !== null, connected: bridgedAt !== null },
      cancelled: false,
      adopting: [],
    };
    if (row.status === 'PENDING' || row.status === 'RESERVED') {
      // Never sent: a dialer stopped before it originated, or a preview reservation ran out. Freed, untried.
      await finish(entry, rules.failed(originatedAt, 'Never originated', false, clock.now()));
      done.push(row.id);
    } else if (connections.get(row.server)?.connected) {
      followed.follow(entry);
      taking.push({ row, entry });
    }
  }
  const followedAt = clock.now();
  const servers = [...new Set(taking.map(({ row }) => row.server))];
  const channels = new Map<string, Map<string, LiveLeg>>();
  for (const server of servers) {
    try {
      channels.set(server, await channelsUp(connections.get(server) as AmiConnection));
    } catch (error) {
      log.warn({ err: error, server }, 'could not list the PBX channels to take over dialings; trying again');
    }
  }
  const results: Record<string, number> = {};
  for (const { row, entry } of taking) {
    const up = channels.get(row.server);
    const logged = up && (await store.callLog(row.server, row.id).catch(() => undefined));
    if (!up || !logged) {
      followed.forget(entry);
      continue;
    }
    const result = await settleAdopted(deps, row, entry, up, logged, followedAt);
    results[result] = (results[result] ?? 0) + 1;
    done.push(row.id);
  }
  if (done.length > 0) log.info({ dialings: done.length, ...results }, 'took over dialings of a dialer that stopped, or whose end this one missed');
  return done;
}

/** One adopted dialing, given the PBX's channels and its call log: followed on, or recorded. */
async function settleAdopted(
  deps: AdoptionDeps,
  row: AdoptedRow,
  entry: Followed,
  up: ReadonlyMap<string, LiveLeg>,
  logged: readonly LoggedEvent[],
  followedAt: number,
): Promise<AdoptionResult> {
  const { followed, finish, advanced, clock } = deps;
  const { rules, originatedAt } = entry;
  const { answeredAt, bridgedAt } = entry.track;
  const held = entry.adopting ?? [];
  entry.adopting = null;
  let track = entry.track;
  for (const { at, event } of logged) track = trackEvent(track, event, at);
  // Legs the log saw up that the PBX no longer has ended unheard: down, cause unknown.
  for (const [id, leg] of Object.entries(track.legs)) {
    if (leg.up && !up.has(id)) track = { ...track, legs: { ...track.legs, [id]: { ...leg, up: false } } };
  }
  track = withLiveLegs(track, up, followedAt);
  // The events held meanwhile, but for those the log has too (the worker heard them as well).
  for (const event of notLogged(held, logged, followedAt)) track = trackEvent(track, event, clock.now());
  const legs = Object.values(track.legs);
  if (legs.length === 0) {
    followed.forget(entry);
    // The PBX never said it took the Originate, has no channel by its ChannelId, and the log no trace: it never left. No try counts.
    const result = row.status === 'ORIGINATING' && row.acceptedAt === null ? 'untried' : 'unseen';
    if (result === 'untried' && row.failedTrunkIds.length > 0) {
      dialingsAdopted.inc({ result: 'recorded' });
      await finish(entry, await unsentFailover(deps, row, entry, logged));
      return 'recorded';
    }
    dialingsAdopted.inc({ result });
    await finish(entry, result === 'untried' ? rules.failed(originatedAt, 'Never reached the PBX', false, clock.now()) : rules.lost(track, originatedAt, answeredAt, bridgedAt, clock.now()));
    return result;
  }
  const lastHeard = Math.max(followedAt, ...logged.map(({ at }) => at));
  if (track.endedAt === null && legs.every((leg) => !leg.up)) track = { ...track, endedAt: lastHeard };
  const result = track.endedAt === null ? 'followed' : 'recorded';
  dialingsAdopted.inc({ result });
  // The dialplan's changes the dead process had written are on the row already: only the rest are written.
  const before = { ...track, resultChanges: track.resultChanges.slice(0, row.dialplanChanges), channel: row.channel };
  entry.track = track;
  advanced(entry, before);
  return result;
}

/**
 * A failover its dialer died in before the next trunk's Originate left: the call did go out, on the trunk that
 * failed it last, so the row is put back on that leg (its trunk, Uniqueid and dial string, as failover.ts named
 * them) and the attempt is recorded as that leg ended, from the call log: its real outcome and cause, and its try
 * counted. The member is dialed again by the plan's rules, never twice at once.
 */
async function unsentFailover(deps: AdoptionDeps, row: AdoptedRow, entry: Followed, logged: readonly LoggedEvent[]): Promise<AttemptResult> {
  const failed = row.failedTrunkIds.at(-1) as string;
  // The leg on the last trunk that failed it: as many legs went out as trunks failed.
  const uniqueid = legUniqueid(row.id, row.failedTrunkIds.length);
  const route = entry.rules.routes.find((candidate) => candidate.trunkId === failed);
  const channel = route ? legDialString(route, row.dialedNumber) : null;
  const otherUniqueid = channel?.startsWith('Local/') ? `${uniqueid};2` : null;
  await deps.prisma.dialing.update({
    where: { id: row.id },
    data: { trunkId: failed, failedTrunkIds: row.failedTrunkIds.slice(0, -1), uniqueid, otherUniqueid, dialString: channel ?? row.dialString },
  });
  let track: DialingTrack = { ...newTrack(uniqueid, otherUniqueid), awaitsResponse: false };
  for (const { at, event } of logged) track = trackEvent(track, event, at);
  if (Object.keys(track.legs).length === 0) {
    return entry.rules.failed(entry.originatedAt, 'Failed on its trunk (the call log has no trace of how); the dialer stopped before the next trunk took the call', true, deps.clock.now());
  }
  return entry.rules.result({ ...track, endedAt: track.endedAt ?? deps.clock.now() }, entry.originatedAt, false);
}

/** The dial string a route gave the number, as failover.ts built it; null when the route's rules refuse it now. */
function legDialString(route: TrunkRoute, number: string): string | null {
  try {
    return dialString({ techName: route.techName, trunkName: route.endpoint, dialStringTemplate: route.dialStringTemplate }, number);
  } catch (error) {
    if (error instanceof OriginateFieldError) return null;
    throw error;
  }
}

/** The track with the PBX's live legs it did not know of, and answered if its customer's leg is Up (at `now`, the first it is known). */
export function withLiveLegs(track: DialingTrack, up: ReadonlyMap<string, LiveLeg>, now: number): DialingTrack {
  let next = track;
  for (const id of trackedIds(next)) {
    const leg = up.get(id);
    if (leg === undefined || next.legs[id] !== undefined) continue;
    next = { ...next, legs: { ...next.legs, [id]: { channel: leg.channel, up: true, cause: null, causeText: null } }, channel: id === next.uniqueid ? leg.channel : next.channel };
  }
  return up.get(customerLeg(next))?.answered && next.answeredAt === null ? { ...next, answeredAt: now } : next;
}

/** The held events the log does not have: each logged event since the take-over began stands for one held copy. */
function notLogged(held: readonly AmiEvent[], logged: readonly LoggedEvent[], since: number): AmiEvent[] {
  const heard = new Map<string, number>();
  for (const { at, event } of logged) {
    if (at < since - LOG_CLOCK_SLACK_MS) continue;
    const key = JSON.stringify(event);
    heard.set(key, (heard.get(key) ?? 0) + 1);
  }
  return held.filter((event) => {
    const key = JSON.stringify(event);
    const count = heard.get(key) ?? 0;
    if (count > 0) heard.set(key, count - 1);
    return count === 0;
  });
}

/** The PBX's channels now, by Uniqueid: their name, and whether they are answered (Up). */
export async function channelsUp(connection: AmiConnection): Promise<Map<string, LiveLeg>> {
  const list = await connection.listAction({ action: 'CoreShowChannels' });
  return new Map(list.events.map((event) => [field(event, 'uniqueid'), { channel: field(event, 'channel'), answered: field(event, 'channelstatedesc') === 'Up' }]));
}
