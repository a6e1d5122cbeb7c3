import { encodeGlobalID } from '@pothos/plugin-relay';
import { campaignTopic } from '../bus/campaignProgress.js';
import { NotFoundError } from '../errors.js';
import { campaignProgress, type CampaignProgress } from '../outbound/campaignProgress.js';
import { builder } from './builder.js';
import { OutcomeCountRef } from './campaignRuns.js';
import { CampaignStatusEnum } from './campaigns.js';
import { localId } from './ids.js';

const CampaignProgressRef = builder.objectRef<CampaignProgress>('CampaignProgress').implement({
  description: "A campaign's status, its current run's attempts by outcome, its live dialings and the run's rates.",
  fields: (t) => ({
    campaignId: t.id({ resolve: (progress) => encodeGlobalID('Campaign', progress.campaignId) }),
    status: t.field({ type: CampaignStatusEnum, resolve: (progress) => progress.status }),
    runId: t.id({ nullable: true, resolve: (progress) => (progress.runId === null ? null : encodeGlobalID('CampaignRun', progress.runId)) }),
    attempts: t.exposeInt('attempts'),
    outcomes: t.field({ type: [OutcomeCountRef], resolve: (progress) => [...progress.outcomes] }),
    liveDialings: t.exposeInt('liveDialings'),
    answerRate: t.exposeFloat('answerRate', { nullable: true, description: 'Answered over attempts, 0-1.' }),
    abandonRate: t.exposeFloat('abandonRate', { nullable: true, description: 'Abandoned over answered, 0-1 (the silent-call rate).' }),
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
    description: "A campaign's progress: once as it is now, then after every dialer tick that changed it.",
    args: { campaignId: t.arg.id({ required: true }) },
    subscribe: async function* (_root, args, context) {
      const id = localId(args.campaignId, 'Campaign');
      // Listening before reading, so nothing published in between is missed.
      const updates = context.bus.subscribe(campaignTopic(id))[Symbol.asyncIterator]();
      const next = updates.next();
      try {
        const now = await campaignProgress(context.prisma, id);
        if (!now) throw new NotFoundError('Campaign', id);
        yield now;
        for (let result = await next; !result.done; result = await updates.next()) yield result.value;
      } finally {
        await updates.return?.();
      }
    },
    resolve: (progress) => progress,
  }),
);
