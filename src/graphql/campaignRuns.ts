import { outcomesOfRun, totalOf, type OutcomeCount } from '../outbound/campaignProgress.js';
import { CallOutcomeEnum } from './attempts.js';
import { builder } from './builder.js';

export const OutcomeCountRef = builder.objectRef<OutcomeCount>('OutcomeCount').implement({
  description: 'How many attempts ended one way.',
  fields: (t) => ({
    outcome: t.field({ type: CallOutcomeEnum, resolve: (count) => count.outcome }),
    count: t.exposeInt('count'),
  }),
});

builder.prismaNode('CampaignRun', {
  nullable: true,
  description: 'One start to stop of a campaign: its attempts, stats and reports group by it.',
  id: { field: 'id' },
  authScopes: { role: 'VIEWER' },
  fields: (t) => ({
    campaign: t.relation('campaign'),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    startedBy: t.exposeString('startedBy', { description: "A user's or API token's name, 'schedule', or 'after <campaign>'." }),
    stoppedAt: t.expose('stoppedAt', { type: 'DateTime', nullable: true, description: 'Null while it runs (or is paused).' }),
    stoppedBy: t.exposeString('stoppedBy', { nullable: true, description: "Who stopped it, 'schedule', or 'end of list'." }),
    attempts: t.int({
      description: 'Attempts recorded in this run.',
      resolve: async (run, _args, context) => totalOf(await outcomesOfRun(context.prisma, run.id), (outcome) => outcome.count),
    }),
    outcomes: t.field({
      type: [OutcomeCountRef],
      description: 'Attempts by outcome, most first.',
      resolve: (run, _args, context) => outcomesOfRun(context.prisma, run.id),
    }),
  }),
});
