import type { AmiAction } from '../ami/connection.js';
import type { Campaign, Destination, DialList } from '../generated/prisma/client.js';
import { DEFAULT_APPLICATION_POLICY, type ApplicationPolicy } from '../outbound/applications.js';
import { queueOf } from '../outbound/destinations.js';
import { setupProblem } from './setupProblem.js';
import { prepareOriginate } from './dialString/originate.js';
import { OriginateFieldError } from './dialString/originateFieldError.js';
import type { LeaseCampaign, LeasedDialing, LeasedMember, PreparedDialing } from './leasing.js';
import { judgedMachine, recordingFileOf, throughAnswerContext, usesAnswerContext } from './answerContext.js';
import { classifyOutcome } from './outcome/classify.js';
import { dialResultText } from './outcome/dialResult.js';
import { hangupCauseText } from './outcome/hangupCause.js';
import { memberNext } from './outcome/memberNext.js';
import type { AttemptFacts, AttemptResult, AttemptTry, MemberNext, NumberTries } from './attempts.js';
import { CALENDAR_SETUP, type CalendarSetup } from '../outbound/calendars.js';
import { PLAN_NUMBER_TYPES, type NumberTypeRule } from '../outbound/numberTypes.js';
import { hoursOpen } from './schedule/campaignHours.js';
import { PLAN_TRUNKS, planThrough, routesOf, routesTaking, type RoutedPlan, type TrunkRoute } from './routes.js';
import { customerLeg, type DialingTrack } from './tracking.js';
import { routeFor, type TrunkRoom } from './trunk.js';

/** Everything the engine asks of one campaign's settings: its schedule, what to send, how to read the result. */
export type CampaignRules = {
  /** Its schedule and its calendar, if it has one, are both open. */
  scheduleOpen(now: Date): boolean;
  /**
   * The queue the destination sends answered calls to (its seats pace the campaign, and an answered call it never
   * puts through is abandoned); null for other destinations, and for a BROADCAST, which has no agents to wait for.
   */
  queue: string | null;
  wrapUpMs: number;
  lease(runId: string): LeaseCampaign;
  /** The plan's ways out, in order (its trunks, or its own trunkName). */
  routes: readonly TrunkRoute[];
  /** What in its setup the dialer will not send, whoever the member (setupProblem.ts); null when all is sendable. */
  setupProblem: string | null;
  /**
   * With `agent` (PREVIEW), the answered call is put through to the agent's endpoint instead of the destination.
   * With `room`, the number goes through the first trunk that takes it and has room, taking one place of it;
   * with `route`, through that one (a failover); else through the first enabled one that takes it.
   */
  prepare(server: string, runId: string, member: LeasedMember, dialing: DialingIds, options?: { agent?: string | null; room?: TrunkRoom; route?: TrunkRoute }): PreparedDialing;
  originate(dialing: LeasedDialing): AmiAction;
  /** `cancelled`: the dialer hung it up itself before an answer (a force stop): no try is counted. */
  result(track: DialingTrack, originatedAt: number, cancelled: boolean): AttemptResult;
  /**
   * The dialing failed before or as it was sent, found so at `endedAt`: refused by the PBX or unsendable
   * (recorded: a try counts), or never sent (not recorded).
   */
  failed(originatedAt: number, reason: string, sent: boolean, endedAt: number): AttemptResult;
  /** The call ended unseen (its dialer died, the PBX connection dropped), found so at `endedAt`: closed with what is known, answered or not. */
  lost(track: DialingTrack, originatedAt: number, answeredAt: number | null, bridgedAt: number | null, endedAt: number): AttemptResult;
  /** What becomes of the member, given what the recording found (the outcome it records, the completion code, the reschedule rules). */
  next(result: AttemptResult, numbers: NumberTries[], attempt: AttemptTry, facts: AttemptFacts): MemberNext;
};

/** A dialing's id and try; `uniqueid`, the Uniqueid its call is originated with, is the id unless a failover gave it another. */
export type DialingIds = { id: string; tryCount: number; uniqueid?: string };

export type CampaignSetup = Campaign & { plan: RoutedPlan & { numberTypes: NumberTypeRule[] }; destination: Destination; dialList: DialList; calendar: CalendarSetup | null };

/** What a campaign is read with to be dialed (Prisma's include), on every tick: a calendar's or a trunk's change counts from the next. */
export const CAMPAIGN_SETUP = { plan: { include: { ...PLAN_TRUNKS, ...PLAN_NUMBER_TYPES } }, destination: true, dialList: true, calendar: { include: CALENDAR_SETUP } } as const;

/** applications: what a destination may run (configuration's); a destination saved under a wider list is not dialed. */
export function campaignRules(campaign: CampaignSetup, applications: ApplicationPolicy = DEFAULT_APPLICATION_POLICY): CampaignRules {
  const { plan, destination } = campaign;
  const queue = plan.dialMode === 'BROADCAST' ? null : queueOf(destination);
  const windowed = campaign.dailyStartTime !== null && campaign.dailyEndTime !== null;
  const routes = routesOf(plan);
  const setup = setupProblem(plan, destination, routes, applications);
  const unanswered = (originatedAt: number, text: string, sent: boolean, endedAt: number): AttemptResult => ({
    outcome: 'FAILED',
    dialResult: 0,
    dialResultText: text,
    hangupCause: null,
    hangupCauseText: null,
    amdStatus: null,
    amdCause: null,
    messageLeft: false,
    recordingFile: null,
    channel: null,
    linkedid: null,
    originatedAt: new Date(originatedAt),
    answeredAt: null,
    bridgedAt: null,
    endedAt: new Date(endedAt),
    sent,
  });

  return {
    scheduleOpen: (now) => hoursOpen(campaign, now),
    queue,
    wrapUpMs: plan.wrapUpSec * 1000,
    lease: (runId) => ({
      id: campaign.id,
      runId,
      dialListId: campaign.dialListId,
      maxRetries: plan.maxRetries,
      numberTypes: plan.numberTypes,
      numberStrategy: plan.numberStrategy,
      timezone: campaign.timezone,
      memberWindow: windowed ? { timezone: campaign.timezone, start: campaign.dailyStartTime as string, end: campaign.dailyEndTime as string } : null,
    }),
    routes,
    setupProblem: setup,
    prepare: (server, runId, member, dialing, options = {}) => {
      const { agent, room } = options;
      const uniqueid = dialing.uniqueid ?? dialing.id;
      const unsent = { server, planSnapshot: plan, destinationSnapshot: destination, dialString: '', variables: {}, originate: null, uniqueid, otherUniqueid: null, trunkId: null };
      // The tick holds such a campaign (SETUP_INVALID) before leasing; a preview call goes to the agent, not the destination.
      if (!agent && setup !== null) return { ...unsent, problem: `Not dialed: ${setup}`, notNow: null };
      const takers = routesTaking(routes, member.number.number);
      const route = options.route ?? (room ? routeFor(room, takers) : (takers.find((taker) => taker.enabled) ?? (takers.length === 0 ? 'none' : 'full')));
      if (route === 'none') return { ...unsent, problem: `Not dialed: no trunk of plan "${plan.name}" takes the number ${member.number.number}`, notNow: null };
      if (route === 'full') return { ...unsent, problem: null, notNow: `every trunk that takes ${member.number.number} is full or disabled` };
      // A preview call goes to the agent's own endpoint: the dialer's Dial, not one a destination names.
      const delivered = agent ? { ...destination, type: 'APPLICATION' as const, application: 'Dial', data: agent } : destination;
      try {
        const target = usesAnswerContext(plan) ? throughAnswerContext(delivered, plan, recordingFileOf(campaign.id, uniqueid)) : delivered;
        const through = planThrough(plan, route);
        const prepared = prepareOriginate({ plan: through, destination: target, campaign, dialList: member.dialList, member, number: member.number, dialing: { ...dialing, runId } });
        const local = prepared.dialString.startsWith('Local/');
        return {
          ...unsent,
          dialString: prepared.dialString,
          variables: prepared.variables,
          originate: prepared.fields,
          problem: null,
          notNow: null,
          // A Local channel's ;2 half is the customer's leg: naming it too makes its events known from the first.
          otherUniqueid: local ? `${uniqueid};2` : null,
          trunkId: route.trunkId,
        };
      } catch (error) {
        if (!(error instanceof OriginateFieldError)) throw error;
        return { ...unsent, problem: `Not dialed: ${error.message}`, notNow: null, trunkId: route.trunkId };
      }
    },
    originate: (dialing) => ({
      action: 'Originate',
      ...dialing.originate,
      Async: true,
      ChannelId: dialing.uniqueid,
      OtherChannelId: dialing.otherUniqueid ?? undefined,
    }),
    result: (track, originatedAt, cancelled) => {
      const leg = track.legs[customerLeg(track)];
      const hangupCause = leg?.cause ?? null;
      const answered = track.answeredAt !== null;
      const dialResult = answered ? 4 : (track.originate?.reason ?? null);
      const machine = judgedMachine(track.amd, plan);
      const outcome = classifyOutcome({ dialResult, hangupCause, cancelled, machine, abandoned: answered && !machine && queue !== null && track.bridgedAt === null });
      return {
        outcome,
        dialResult: dialResult ?? 0,
        dialResultText: dialResultText(dialResult ?? 0),
        hangupCause,
        hangupCauseText: hangupCause === null ? null : (leg?.causeText ?? hangupCauseText(hangupCause)),
        amdStatus: track.amd?.status ?? null,
        amdCause: track.amd?.cause ?? null,
        messageLeft: machine && track.messageLeft,
        recordingFile: answered && plan.recordCalls ? recordingFileOf(campaign.id, track.uniqueid) : null,
        channel: track.channel,
        linkedid: track.linkedid,
        originatedAt: new Date(originatedAt),
        answeredAt: answered ? new Date(track.answeredAt as number) : null,
        bridgedAt: track.bridgedAt === null ? null : new Date(track.bridgedAt),
        endedAt: new Date(track.endedAt ?? originatedAt),
        sent: true,
      };
    },
    failed: (originatedAt, reason, sent, endedAt) => unanswered(originatedAt, reason, sent, endedAt),
    lost: (track, originatedAt, answeredAt, bridgedAt, endedAt) => {
      if (answeredAt === null) {
        const text = 'Unknown: the PBX took the call, and it ended unseen while no dialer followed it';
        return { ...unanswered(originatedAt, text, true, endedAt), channel: track.channel, linkedid: track.linkedid };
      }
      // Answered is known, and is what it is recorded as: never FAILED, and the member is not dialed again for it.
      const text = 'Answered; the call ended unseen while no dialer followed it, so its hangup cause is unknown';
      return {
        ...unanswered(originatedAt, text, true, endedAt),
        channel: track.channel,
        linkedid: track.linkedid,
        outcome: classifyOutcome({ dialResult: 4, hangupCause: null, abandoned: queue !== null && bridgedAt === null }),
        dialResult: 4,
        answeredAt: new Date(answeredAt),
        bridgedAt: bridgedAt === null ? null : new Date(bridgedAt),
      };
    },
    next: (result, numbers, attempt, facts) => memberNext(plan, result, numbers, attempt, facts),
  };
}
