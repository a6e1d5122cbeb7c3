import { MemberStatus } from '../generated/prisma/enums.js';
import { likeLiteral } from './filters.js';
import type { Prisma } from '../generated/prisma/client.js';
import { builder } from './builder.js';
import { localId } from './ids.js';
import { MemberNumberInput } from './memberIntake.js';
import { deleteMember, updateMember } from '../outbound/members/edit.js';
import { GUARDED_ERRORS } from './errorSets.js';

export const MemberStatusEnum = builder.enumType(MemberStatus, {
  name: 'MemberStatus',
  description: 'IDLE waits to be dialed, DIALING has a live call, RESERVED is held for a preview agent, DONE is finished, TERMINATED was stopped by hand.',
});

builder.prismaObject('MemberNumber', {
  description: 'One of a member\'s numbers, in slot 1..8, with its own tries and last result (jade number_N, trycnt_N).',
  authScopes: { role: 'VIEWER' },
  fields: (t) => ({
    slot: t.exposeInt('slot'),
    number: t.exposeString('number', { description: 'What is dialed: the number as given, without the separators people write.' }),
    normalized: t.string({
      description: 'The same number in E.164 (+351912345678) when it is a valid phone number (written internationally, or in its list\'s country), else as number: what do-not-call lists and dedupe compare.',
      resolve: (number) => number.normalized ?? number.number,
    }),
    type: t.exposeString('type', { nullable: true, description: 'e.g. mobile, home.' }),
    priority: t.exposeInt('priority', { description: 'Higher is tried first.' }),
    tryCount: t.exposeInt('tryCount'),
    lastDialAt: t.expose('lastDialAt', { type: 'DateTime', nullable: true }),
    lastHangupAt: t.expose('lastHangupAt', { type: 'DateTime', nullable: true }),
    lastDialResult: t.exposeInt('lastDialResult', { nullable: true }),
    lastHangupCause: t.exposeInt('lastHangupCause', { nullable: true }),
    stopped: t.exposeBoolean('stopped', {
      description: 'Never dialed again: stopped by settleMember, or a number that does not exist (UNALLOCATED). On a do-not-call list: no longer blocking (cancelBlacklist).',
    }),
  }),
});

export const MemberRef = builder.prismaNode('Member', {
  nullable: true,
  description: 'One customer of a dial list (jade dl entry), with up to 8 numbers.',
  id: { field: 'id' },
  authScopes: { role: 'VIEWER' },
  fields: (t) => ({
    dialList: t.relation('dialList'),
    name: t.exposeString('name', { nullable: true }),
    detail: t.exposeString('detail', { nullable: true }),
    externalKey: t.exposeString('externalKey', { nullable: true, description: 'The caller\'s own key, unique in the list (jade ukey).' }),
    email: t.exposeString('email', { nullable: true }),
    variables: t.expose('variables', { type: 'Variables' }),
    priority: t.exposeInt('priority', { description: 'Higher is dialed first.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    timezone: t.exposeString('timezone', { nullable: true }),
    status: t.expose('status', { type: MemberStatusEnum }),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime', nullable: true }),
    agent: t.exposeString('agent', { nullable: true, description: 'The agent this member is for (uContact agentphone).' }),
    numbers: t.relation('numbers', { query: { orderBy: { slot: 'asc' } } }),
    lastDialAt: t.expose('lastDialAt', { type: 'DateTime', nullable: true }),
    lastHangupAt: t.expose('lastHangupAt', { type: 'DateTime', nullable: true }),
    lastDialResult: t.exposeInt('lastDialResult', { nullable: true, description: 'AST_CONTROL code (jade res_dial).' }),
    lastDialResultText: t.exposeString('lastDialResultText', { nullable: true }),
    lastHangupCause: t.exposeInt('lastHangupCause', { nullable: true, description: 'Q.850 cause (jade res_hangup).' }),
    lastHangupCauseText: t.exposeString('lastHangupCauseText', { nullable: true }),
    scheduledAt: t.expose('scheduledAt', { type: 'DateTime', nullable: true, description: 'A scheduled call (addCall, a callback) due then, dialed ahead of the list.' }),
    resultDueAt: t.expose('resultDueAt', { type: 'DateTime', nullable: true, description: "Waiting for settleMember until then (the plan's waitForResult)." }),
    resultDescription: t.exposeString('resultDescription', { nullable: true, description: 'What settleMember last said.' }),
    blacklistCancelledAt: t.expose('blacklistCancelledAt', { type: 'DateTime', nullable: true, description: 'On a do-not-call list: when this entry stopped blocking its numbers (cancelBlacklist).' }),
    blacklistCancelReason: t.exposeString('blacklistCancelReason', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const MemberFilter = builder.inputType('MemberFilter', {
  fields: (t) => ({
    dialListId: t.id({ required: false, description: 'Only this dial list\'s members.' }),
    status: t.field({ type: [MemberStatusEnum], required: false }),
    name: t.string({ required: false, description: 'Part of the name, any case.' }),
    number: t.string({ required: false, description: 'One of its numbers, exactly.' }),
    externalKey: t.string({ required: false }),
  }),
});

/**
 * Members as a list: the members query and a dial list's own members share it. A connection asked with
 * totalCount carries it, or a function that counts.
 */
export const MemberConnection = builder.connectionObject(
  {
    type: MemberRef,
    name: 'MemberConnection',
    fields: (t) => ({
      totalCount: t.int({
        resolve: (connection) => {
          const { totalCount } = connection as { totalCount?: number | (() => number | Promise<number>) };
          if (totalCount === undefined) throw new Error('a MemberConnection field must count its members (totalCount)');
          return typeof totalCount === 'function' ? totalCount() : totalCount;
        },
      }),
    }),
  },
  { name: 'MemberEdge' },
);

function membersWhere(filter: typeof MemberFilter.$inferInput | null | undefined): Prisma.MemberWhereInput {
  return {
    dialList: { inUse: true },
    ...(filter?.dialListId ? { dialListId: localId(filter.dialListId, 'DialList', 'dialListId') } : {}),
    ...(filter?.status ? { status: { in: filter.status } } : {}),
    ...(filter?.name ? { name: { contains: likeLiteral(filter.name), mode: 'insensitive' } } : {}),
    ...(filter?.number ? { numbers: { some: { number: filter.number } } } : {}),
    ...(filter?.externalKey ? { externalKey: filter.externalKey } : {}),
  };
}

builder.queryField('members', (t) =>
  t.prismaConnection(
    {
      type: 'Member',
      cursor: 'id',
      authScopes: { role: 'VIEWER' },
      description: 'Members of live dial lists, oldest first (the order they were added).',
      args: { filter: t.arg({ type: MemberFilter }) },
      // Counted when asked: a whole list of millions is a long count (DialList.memberCount is kept instead).
      totalCount: (_connection, args, context) => context.prisma.member.count({ where: membersWhere(args.filter) }),
      resolve: (query, _root, args, context) => context.prisma.member.findMany({ ...query, where: membersWhere(args.filter), orderBy: { id: 'asc' } }),
    },
    MemberConnection,
  ),
);

const SettableStatusEnum = builder.enumType('SettableMemberStatus', {
  values: ['IDLE', 'DONE', 'TERMINATED'] as const,
  description: 'IDLE to dial again, DONE or TERMINATED to stop dialing.',
});

const UpdateMemberInput = builder.inputType('UpdateMemberInput', {
  fields: (t) => ({
    name: t.string(),
    detail: t.string(),
    externalKey: t.string(),
    email: t.string(),
    variables: t.field({ type: 'Variables' }),
    priority: t.int(),
    expiresAt: t.field({ type: 'DateTime' }),
    timezone: t.string(),
    agent: t.string(),
    numbers: t.field({ type: [MemberNumberInput], description: 'Replaces every number; one that stays in its slot keeps its tries.' }),
    status: t.field({ type: SettableStatusEnum }),
    nextAttemptAt: t.field({ type: 'DateTime', description: 'Not dialed before this instant.' }),
    resetTries: t.boolean({ description: 'Every number back to 0 tries, its last result forgotten.' }),
  }),
});

builder.mutationFields((t) => ({
  updateMember: t.field({
    type: MemberRef,
    authScopes: { role: 'SUPERVISOR' },
    errors: GUARDED_ERRORS,
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateMemberInput, required: true }) },
    resolve: (_root, args, context) => updateMember(context.prisma, localId(args.id, 'Member'), args.input),
  }),
  deleteMember: t.field({
    type: MemberRef,
    authScopes: { role: 'SUPERVISOR' },
    errors: GUARDED_ERRORS,
    description: 'Removes a member; its call attempts keep their record. One being dialed only with force.',
    args: { id: t.arg.id({ required: true }), force: t.arg.boolean({ defaultValue: false }) },
    resolve: (_root, args, context) => deleteMember(context.prisma, localId(args.id, 'Member'), args.force ?? false),
  }),
}));
