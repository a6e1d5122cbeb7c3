import { encodeGlobalID } from '@pothos/plugin-relay';
import { campaignTopic, everyCampaignTopic } from '../bus/campaignTopics.js';
import { NotFoundError } from '../errors.js';
import { HoldReason } from '../generated/prisma/enums.js';
import { campaignProgress, listProgress, memberProgress, type CampaignHold, type CampaignProgress, type MemberProgress } from '../outbound/campaignProgress.js';
import { builder } from './builder.js';
import { OutcomeCountRef } from './campaignRuns.js';
import { CampaignStatusEnum } from './campaigns.js';
import { localId } from './ids.js';

const HoldReasonEnum = builder.enumType(HoldReason, {
  name: 'HoldReason',
  description: 'Why a running campaign places no call now.',
  values: {
    ENGINE_STOPPED: { description: 'The dialer engine is stopped (stopDialerEngine): nothing new is placed anywhere.' },
    OUTSIDE_SCHEDULE: { description: 'Outside its hours or days, or its calendar closed (detail says which: a holiday by name); nextAt is when both open (null when they never will).' },
    PBX_UNAVAILABLE: { description: 'Its PBX is not connected.' },
    NO_CALL_LIMIT: { description: 'Its destination has no queue to pace by, and its plan sets no maxConcurrentCalls nor trunk capacity: set one.' },
    CALL_LIMIT: { description: "The plan's maxConcurrentCalls are all up." },
    TRUNK_FULL: { description: "Every channel of the plan's trunks is taken." },
    TRUNKS_UNREACHABLE: { description: "Every trunk of its plan is unreachable on its PBX (the endpoint's device state UNAVAILABLE or INVALID): it dials again by itself once one is back." },
    SETUP_INVALID: {
      description:
        'Its plan, trunks or destination hold what the dialer will not send (detail says which: an application DIALPLAN_APPLICATIONS no longer allows, a dial string naming an address or a URI, a machine message Playback would misread): no member is leased, and no try spent, until it is fixed.',
    },
    NO_AGENTS: { description: 'No agent of its queue is logged in and unpaused.' },
    NO_FREE_SEAT: { description: "Its queue's free agents already have a call ringing for them." },
    ABANDON_LIMIT: { description: "PREDICTIVE over the plan's maximum abandon rate: it waits for free agents." },
    BOOSTED_TO_ZERO: { description: 'Its boost is 0%.' },
    NO_DUE_MEMBER: { description: 'No member can be dialed now: nextAt is when the next falls due (null when none will).' },
    PREVIEW: { description: 'Agents place its calls (PREVIEW: reserveCall), or its dial mode is NONE.' },
    NO_DIALER: { description: 'No dialer process is running.' },
  },
});

const CampaignHoldRef = builder.objectRef<CampaignHold>('CampaignHold').implement({
  description: 'Why a running campaign places no call now, as its dialers see it.',
  fields: (t) => ({
    reason: t.field({ type: HoldReasonEnum, resolve: (hold) => hold.reason }),
    detail: t.exposeString('detail', { description: 'In words, with the figures behind it.' }),
    nextAt: t.expose('nextAt', { type: 'DateTime', nullable: true, description: 'When it may place calls again, when known.' }),
    since: t.expose('since', { type: 'DateTime' }),
  }),
});

export const MemberProgressRef = builder.objectRef<MemberProgress>('MemberProgress').implement({
  description: "Members by where they are: a campaign's (over its own list and the lists added for it to call) or one list's.",
  fields: (t) => ({
    waiting: t.exposeInt('waiting', { description: 'IDLE: to be dialed, now or at their next try.' }),
    dialing: t.exposeInt('dialing', { description: 'DIALING or RESERVED for a preview agent.' }),
    finished: t.exposeInt('finished', { description: 'DONE or TERMINATED.' }),
  }),
});

const CampaignProgressRef = builder.objectRef<CampaignProgress>('CampaignProgress').implement({
  description: "A campaign's status, its current run's attempts by outcome, its live dialings and the run's rates.",
  fields: (t) => ({
    campaignId: t.id({ resolve: (progress) => encodeGlobalID('Campaign', progress.campaignId) }),
    campaign: t.prismaField({
      type: 'Campaign',
      nullable: true,
      description: 'The campaign itself; null once deleted.',
      resolve: (query, progress, _args, context) => context.prisma.campaign.findUnique({ ...query, where: { id: progress.campaignId } }),
    }),
    members: t.field({
      type: MemberProgressRef,
      description: 'Its members by where they are now, counted when asked for.',
      resolve: (progress, _args, context) => memberProgress(context.prisma, progress.campaignId),
    }),
    status: t.field({ type: CampaignStatusEnum, resolve: (progress) => progress.status }),
    runId: t.id({ nullable: true, resolve: (progress) => (progress.runId === null ? null : encodeGlobalID('CampaignRun', progress.runId)) }),
    attempts: t.exposeInt('attempts'),
    outcomes: t.field({ type: [OutcomeCountRef], resolve: (progress) => [...progress.outcomes] }),
    liveDialings: t.exposeInt('liveDialings'),
    answerRate: t.exposeFloat('answerRate', { nullable: true, description: 'Answered over attempts, 0-1.' }),
    abandonRate: t.exposeFloat('abandonRate', { nullable: true, description: 'Abandoned over answered, 0-1 (the silent-call rate); null for a BROADCAST, which waits for no agent (Plan.abandonLimitApplies).' }),
    hold: t.field({
      type: CampaignHoldRef,
      nullable: true,
      description: 'Why it places no call now, while RUNNING; null while it places calls, or is not running.',
      resolve: (progress) => progress.hold,
    }),
    at: t.field({ type: 'DateTime', resolve: (progress) => new Date(progress.at) }),
  }),
});

builder.prismaObjectField('Campaign', 'progress', (t) =>
  t.field({
    type: CampaignProgressRef,
    nullable: true,
    description: 'Its progress now (campaignEvents streams it).',
    resolve: (campaign, _args, context) => campaignProgress(context.prisma, campaign.id),
  }),
);

builder.subscriptionField('campaignEvents', (t) =>
  t.field({
    type: CampaignProgressRef,
    authScopes: { role: 'VIEWER' },
    description:
      "A campaign's progress: once as it is now, then after every dialer tick that changed it. Without campaignId, every campaign's: first each one that is not STOPPED, then each change of any (one that stops is sent once more, STOPPED).",
    args: { campaignId: t.arg.id({ description: 'The campaign to follow; every campaign when absent.' }) },
    subscribe: async function* (_root, args, context) {
      const id = args.campaignId == null ? null : localId(args.campaignId, 'Campaign');
      // Listening before reading, so nothing published in between is missed.
      const updates = context.bus.subscribe(id === null ? everyCampaignTopic : campaignTopic(id))[Symbol.asyncIterator]();
      const next = updates.next();
      try {
        const ids = id !== null ? [id] : (await context.prisma.campaign.findMany({ where: { inUse: true, status: { not: 'STOPPED' } }, select: { id: true }, orderBy: { name: 'asc' } })).map((campaign) => campaign.id);
        for (const campaignId of ids) {
          const now = await campaignProgress(context.prisma, campaignId);
          if (now) yield now;
          else if (id !== null) throw new NotFoundError('Campaign', id);
        }
        for (let result = await next; !result.done; result = await updates.next()) yield result.value;
      } finally {
        await updates.return?.();
      }
    },
    resolve: (progress) => progress,
  }),
);

builder.prismaObjectField('DialList', 'progress', (t) =>
  t.field({
    type: MemberProgressRef,
    authScopes: { role: 'VIEWER' },
    description: "Its members by where they are now (WombatDialer's list progress), counted when asked for: with Campaign.dialList and Campaign.lists, how far a running campaign has got through each list.",
    resolve: (list, _args, context) => listProgress(context.prisma, list.id),
  }),
);
