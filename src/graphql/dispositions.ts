import { UNKNOWN_REQUESTER } from '../requesters.js';
import { createDisposition, dispositionsWhere } from '../outbound/dispositions.js';
import { builder } from './builder.js';
import { NEWEST_FIRST } from './filters.js';
import { optionalLocalId } from './ids.js';
import { GUARDED_ERRORS } from './errorSets.js';
import { connectionOf } from './connections.js';

/** uContact's call dispositions: what came of a call, up to three levels, with an optional callback. */

builder.prismaNode('Disposition', {
  nullable: true,
  description: 'What came of a call or a member, as an agent filed it (uContact DispositionCall).',
  id: { field: 'id' },
  authScopes: { role: 'VIEWER' },
  fields: (t) => ({
    campaign: t.relation('campaign'),
    member: t.relation('member', { nullable: true }),
    attempt: t.relation('attempt', { nullable: true }),
    level1: t.exposeString('level1'),
    level2: t.exposeString('level2', { nullable: true }),
    level3: t.exposeString('level3', { nullable: true }),
    data: t.expose('data', { type: 'JSON', description: 'Extra data (uContact d1, d2, ...).' }),
    comment: t.exposeString('comment', { nullable: true }),
    scheduledAt: t.expose('scheduledAt', { type: 'DateTime', nullable: true, description: 'The callback it scheduled.' }),
    createdBy: t.exposeString('createdBy'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const CreateDispositionInput = builder.inputType('CreateDispositionInput', {
  fields: (t) => ({
    attemptId: t.id({ description: 'The call (a CallAttempt); its campaign and member follow from it.' }),
    memberId: t.id({ description: 'Without attemptId: the member, with campaignId.' }),
    campaignId: t.id(),
    level1: t.string({ required: true }),
    level2: t.string(),
    level3: t.string({ description: 'Needs level2.' }),
    data: t.field({ type: 'Variables', description: 'Extra data, name -> text.' }),
    comment: t.string(),
    scheduledAt: t.field({ type: 'DateTime', description: 'A callback: the member is dialed again then. Must be in the future.' }),
  }),
});

const DispositionFilter = builder.inputType('DispositionFilter', {
  fields: (t) => ({
    campaignId: t.id({ required: false, description: "Only this campaign's dispositions." }),
    memberId: t.id({ required: false, description: "Only this member's dispositions." }),
  }),
});

const dispositionsOf = (filter: typeof DispositionFilter.$inferInput | null | undefined) =>
  dispositionsWhere({ campaignId: optionalLocalId(filter?.campaignId, 'Campaign', 'campaignId'), memberId: optionalLocalId(filter?.memberId, 'Member', 'memberId') });

builder.queryField('dispositions', (t) =>
  t.prismaConnection(
    {
      type: 'Disposition',
      cursor: 'id',
      authScopes: { role: 'VIEWER' },
      description: "A campaign's or a member's dispositions, newest first.",
      args: { filter: t.arg({ type: DispositionFilter }) },
      totalCount: (_connection, args, context) => context.prisma.disposition.count({ where: dispositionsOf(args.filter) }),
      resolve: (query, _root, args, context) => context.prisma.disposition.findMany({ ...query, where: dispositionsOf(args.filter), orderBy: NEWEST_FIRST }),
    },
    ...connectionOf('Disposition'),
  ),
);

builder.mutationField('createDisposition', (t) =>
  t.prismaField({
    type: 'Disposition',
    authScopes: { role: 'SUPERVISOR' },
    errors: GUARDED_ERRORS,
    description: 'Files what came of a call; with scheduledAt the member is called back then.',
    args: { input: t.arg({ type: CreateDispositionInput, required: true }) },
    resolve: (_query, _root, args, context) => {
      const { input } = args;
      return createDisposition(
        context.prisma,
        {
          ...input,
          attemptId: optionalLocalId(input.attemptId, 'CallAttempt', 'attemptId'),
          memberId: optionalLocalId(input.memberId, 'Member', 'memberId'),
          campaignId: optionalLocalId(input.campaignId, 'Campaign', 'campaignId'),
        },
        context.viewer?.name ?? UNKNOWN_REQUESTER,
      );
    },
  }),
);
