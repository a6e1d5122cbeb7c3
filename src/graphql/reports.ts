import { encodeGlobalID } from '@pothos/plugin-relay';
import { ValidationError } from '../errors.js';
import type { DialingStatus, MemberStatus } from '../generated/prisma/enums.js';
import { attemptStats, type AttemptFigures, type CompletionCodeFigures, type GroupFigures, type OutcomeFigures, type AttemptStats } from '../reports/attemptStats.js';
import { campaignQueueStatus, type CampaignQueueStatus } from '../reports/campaignStatus.js';
import { queueSummaries, type AgentStateCounts, type QueueSummary } from '../reports/queueSummary.js';
import { DEFAULT_LATE_RESCHEDULE_SEC, recallInfo, type RecallInfo, type StatusCount } from '../reports/recallInfo.js';
import { CallOutcomeEnum, DialingStatusEnum } from './attempts.js';
import { topics } from '../bus/topics.js';
import { builder } from './builder.js';
import { changedItems } from './liveSnapshots.js';
import { localId } from './ids.js';
import { MemberStatusEnum } from './members.js';

const SERVER_DESCRIPTION = "Only this PBX server's; every server's when absent.";

/** Stats, recall info and wallboards (WombatDialer's reports/stats and recallinfo, uContact's queuesummary and campaignstatus). */

const AttemptFiguresRef = builder.interfaceRef<AttemptFigures>('AttemptFigures').implement({
  description: 'How many attempts and how long they took, summed in seconds: ring = originate to answer, wait = answer to bridge, talk = bridge (or answer) to hang-up.',
  fields: (t) => ({
    attempts: t.exposeInt('attempts'),
    answered: t.exposeInt('answered'),
    connected: t.exposeInt('connected', { description: 'Bridged to the destination (an agent).' }),
    totalSec: t.exposeFloat('totalSec', { description: 'Originate to hang-up.' }),
    ringSec: t.exposeFloat('ringSec', { description: 'Originate to answer, of the answered ones.' }),
    waitSec: t.exposeFloat('waitSec', { description: 'Answer to bridge: the customer waiting for an agent.' }),
    talkSec: t.exposeFloat('talkSec', { description: 'Bridge (or answer, when never bridged) to hang-up.' }),
    averageTalkSec: t.float({ nullable: true, description: 'talkSec over answered; null without answers.', resolve: (f) => (f.answered === 0 ? null : f.talkSec / f.answered) }),
  }),
});

const AttemptTotalsRef = builder.objectRef<AttemptFigures>('AttemptTotals').implement({ interfaces: [AttemptFiguresRef] });

const OutcomeFiguresRef = builder.objectRef<OutcomeFigures>('OutcomeFigures').implement({
  interfaces: [AttemptFiguresRef],
  fields: (t) => ({ outcome: t.field({ type: CallOutcomeEnum, resolve: (f) => f.outcome }) }),
});

const CompletionCodeFiguresRef = builder.objectRef<CompletionCodeFigures>('CompletionCodeFigures').implement({
  interfaces: [AttemptFiguresRef],
  fields: (t) => ({ completionCode: t.exposeString('completionCode', { nullable: true, description: 'Null: the attempts no completion code was set on.' }) }),
});

const GroupFiguresRef = builder.objectRef<GroupFigures>('OutcomeAndCompletionCodeFigures').implement({
  interfaces: [AttemptFiguresRef],
  fields: (t) => ({
    outcome: t.field({ type: CallOutcomeEnum, resolve: (f) => f.outcome }),
    completionCode: t.exposeString('completionCode', { nullable: true }),
  }),
});

const AttemptStatsRef = builder.objectRef<AttemptStats>('AttemptStats').implement({
  description: 'Attempts counted and timed by outcome and by completion code; every list adds up to total.',
  fields: (t) => ({
    total: t.field({ type: AttemptTotalsRef, resolve: (stats) => stats.total }),
    byOutcome: t.field({ type: [OutcomeFiguresRef], description: 'Most attempts first.', resolve: (stats) => stats.byOutcome }),
    byCompletionCode: t.field({ type: [CompletionCodeFiguresRef], description: 'Most attempts first.', resolve: (stats) => stats.byCompletionCode }),
    byOutcomeAndCompletionCode: t.field({ type: [GroupFiguresRef], description: 'Most attempts first.', resolve: (stats) => stats.byOutcomeAndCompletionCode }),
  }),
});

builder.prismaObjectField('Campaign', 'stats', (t) =>
  t.field({
    type: AttemptStatsRef,
    description: 'Its attempts, of every run or of one, optionally only those that ended in [endedAfter, endedBefore).',
    args: {
      runId: t.arg.id(),
      endedAfter: t.arg({ type: 'DateTime' }),
      endedBefore: t.arg({ type: 'DateTime' }),
    },
    resolve: (campaign, args, context) =>
      attemptStats(context.driver, {
        campaignId: campaign.id,
        runId: args.runId ? localId(args.runId, 'CampaignRun', 'runId') : null,
        from: args.endedAfter,
        to: args.endedBefore,
      }),
  }),
);

builder.prismaObjectField('CampaignRun', 'stats', (t) =>
  t.field({
    type: AttemptStatsRef,
    description: 'Its attempts by outcome and completion code, with durations.',
    resolve: (run, _args, context) => attemptStats(context.driver, { campaignId: run.campaignId, runId: run.id }),
  }),
);

const MemberStatusCountRef = builder.objectRef<StatusCount<MemberStatus>>('MemberStatusCount').implement({
  fields: (t) => ({ status: t.field({ type: MemberStatusEnum, resolve: (c) => c.status }), count: t.exposeInt('count') }),
});

const DialingStatusCountRef = builder.objectRef<StatusCount<DialingStatus>>('DialingStatusCount').implement({
  fields: (t) => ({ status: t.field({ type: DialingStatusEnum, resolve: (c) => c.status }), count: t.exposeInt('count') }),
});

const RecallInfoRef = builder.objectRef<RecallInfo>('RecallInfo').implement({
  description: "The campaign's calls waiting and coming back (WombatDialer's recallinfo), over every list it dials.",
  fields: (t) => ({
    membersByStatus: t.field({ type: [MemberStatusCountRef], resolve: (info) => info.membersByStatus }),
    readyNow: t.exposeInt('readyNow', { description: 'IDLE members due now with a number that has tries left: what the next ticks would dial.' }),
    dialingsByStatus: t.field({ type: [DialingStatusCountRef], description: 'Live calls by status.', resolve: (info) => info.dialingsByStatus }),
    reschedules: t.exposeInt('reschedules', { description: 'IDLE members with a retry or callback time set.' }),
    reschedulingSoon: t.exposeInt('reschedulingSoon', { description: 'Of those, due now or within lateRescheduleSec.' }),
    reschedulingLater: t.exposeInt('reschedulingLater', { description: 'Of those, due after lateRescheduleSec.' }),
    lateRescheduleSec: t.exposeInt('lateRescheduleSec'),
  }),
});

builder.prismaObjectField('Campaign', 'recallInfo', (t) =>
  t.field({
    type: RecallInfoRef,
    args: { lateRescheduleSec: t.arg.int({ defaultValue: DEFAULT_LATE_RESCHEDULE_SEC, description: 'What separates soon from later, in seconds (default 300).' }) },
    resolve: (campaign, args, context) => {
      const late = args.lateRescheduleSec ?? DEFAULT_LATE_RESCHEDULE_SEC;
      if (late < 0) throw ValidationError.of('lateRescheduleSec', 'must be 0 or more seconds');
      return recallInfo(context.driver, campaign.id, late);
    },
  }),
);

const AgentStateCountsRef = builder.objectRef<AgentStateCounts>('AgentStateCounts').implement({
  description:
    'A queue\'s members by what they are doing, each counted once, first match wins: logged off, on a call, ringing, in wrap-up, paused, idle. Agents of app_agent_pool are read from their agent.',
  fields: (t) => ({
    idle: t.exposeInt('idle', { description: 'Logged in, free, not paused: the next caller can go to them.' }),
    ringing: t.exposeInt('ringing', { description: 'Offered a call (an agent who acknowledges calls rings until it does).' }),
    onCall: t.exposeInt('onCall', { description: 'On a queue call, or their device taken by another call.' }),
    wrapUp: t.exposeInt('wrapUp', { description: 'In the wrap-up time after a call.' }),
    paused: t.exposeInt('paused', { description: 'Paused and doing none of the above.' }),
    loggedOff: t.exposeInt('loggedOff', { description: 'Their device unavailable or invalid.' }),
  }),
});

const QueueSummaryRef = builder.objectRef<QueueSummary>('QueueSummary').implement({
  description: "A queue as a wallboard shows it (uContact's queuesummary): agents counted from the live queue members, callers and Asterisk's figures.",
  fields: (t) => ({
    server: t.exposeString('server'),
    queue: t.exposeString('queue'),
    strategy: t.exposeString('strategy', { nullable: true }),
    loggedIn: t.exposeInt('loggedIn', { description: 'Members whose device is reachable.' }),
    available: t.exposeInt('available', { description: 'Logged in, not paused, idle: the next caller goes to one of these.' }),
    paused: t.exposeInt('paused'),
    busy: t.exposeInt('busy', { description: 'Logged in and on a call or ringing, paused or not.' }),
    callers: t.exposeInt('callers', { description: 'Callers waiting now.' }),
    holdSec: t.exposeInt('holdTime', { nullable: true, description: "Asterisk's average hold." }),
    talkSec: t.exposeInt('talkTime', { nullable: true, description: "Asterisk's average talk." }),
    longestHoldSec: t.exposeInt('longestHoldTime', { description: 'The caller waiting longest now.' }),
    longestHoldSince: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the caller waiting longest joined the queue, for a screen to count the wait up; null with nobody waiting.',
      resolve: (summary) => (summary.longestHoldSince === null ? null : new Date(summary.longestHoldSince)),
    }),
    serviceLevelSec: t.exposeInt('serviceLevel', { nullable: true, description: 'The service level threshold.' }),
    serviceLevelPerf: t.exposeFloat('serviceLevelPerf', { nullable: true, description: 'Percent answered within it (of answered calls).' }),
    serviceLevelPerf2: t.exposeFloat('serviceLevelPerf2', { nullable: true, description: 'Percent answered within it (abandoned ones counted too).' }),
    completed: t.exposeInt('completed', { nullable: true, description: 'Since the queue statistics were reset on the PBX.' }),
    abandoned: t.exposeInt('abandoned', { nullable: true, description: 'Since the queue statistics were reset on the PBX.' }),
    answeredToday: t.exposeInt('answeredToday', { description: "Calls answered since local midnight (the server's time zone, TZ), counted from the PBX's events as they came." }),
    abandonedToday: t.exposeInt('abandonedToday', { description: 'Callers who hung up waiting since local midnight, counted the same way.' }),
    agents: t.field({ type: AgentStateCountsRef, description: 'The members by state, as a wallboard counts them.', resolve: (summary) => summary.agents }),
  }),
});

builder.queryField('queueSummaries', (t) =>
  t.field({
    type: [QueueSummaryRef],
    authScopes: { role: 'VIEWER' },
    description: 'Every queue summarized, by server and name.',
    args: { server: t.arg.string({ description: SERVER_DESCRIPTION }) },
    resolve: (_root, args, context) => queueSummaries(context.store, args.server ?? undefined),
  }),
);

builder.subscriptionField('queueSummaryEvents', (t) =>
  t.field({
    type: QueueSummaryRef,
    authScopes: { role: 'VIEWER' },
    description:
      'Every queue summarized as it is now, then each queue again whenever its figures change (its members, its callers, its agents). Sent at most ten times a second, changes meanwhile together; the longest wait is counted up from longestHoldSince, not sent every second.',
    args: { server: t.arg.string({ description: SERVER_DESCRIPTION }) },
    subscribe: (_root, args, context) =>
      changedItems({
        sources: [context.bus.subscribe(topics.queues), context.bus.subscribe(topics.agents)],
        read: () => queueSummaries(context.store, args.server ?? undefined),
        keyOf: (summary) => `${summary.server}\u0000${summary.queue}`,
        sameOf: ({ longestHoldTime: _counted, ...rest }) => rest,
      }),
    resolve: (summary) => summary,
  }),
);

const CampaignQueueStatusRef = builder.objectRef<CampaignQueueStatus>('CampaignQueueStatus').implement({
  description: "A campaign as uContact's campaignstatus shows it: its queue's agents and callers, and its own calls in the current run.",
  fields: (t) => ({
    runId: t.id({ nullable: true, resolve: (status) => (status.runId === null ? null : encodeGlobalID('CampaignRun', status.runId)) }),
    queueName: t.exposeString('queueName', { nullable: true, description: 'Null when the destination is not a queue.' }),
    queue: t.field({ type: QueueSummaryRef, nullable: true, description: 'Null when no followed PBX has the queue.', resolve: (status) => status.queue }),
    attempts: t.exposeInt('attempts'),
    completed: t.exposeInt('completed', { description: 'Put through to an agent.' }),
    abandoned: t.exposeInt('abandoned', { description: 'Answered, hung up before an agent took it.' }),
    abandonRate: t.exposeFloat('abandonRate', { nullable: true, description: 'Abandoned over completed + abandoned, 0-1; null for a BROADCAST, which waits for no agent (Plan.abandonLimitApplies).' }),
    liveDialings: t.exposeInt('liveDialings'),
  }),
});

builder.prismaObjectField('Campaign', 'queueStatus', (t) =>
  t.field({
    type: CampaignQueueStatusRef,
    resolve: (campaign, _args, context) => campaignQueueStatus(context.prisma, context.store, campaign.id),
  }),
);
