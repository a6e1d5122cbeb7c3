import { CallOutcome, DialingStatus } from '../generated/prisma/enums.js';
import type { Prisma } from '../generated/prisma/client.js';
import { builder } from './builder.js';
import { localId } from './ids.js';
import { connectionOf } from './connections.js';

export const CallOutcomeEnum = builder.enumType(CallOutcome, { name: 'CallOutcome' });
export const DialingStatusEnum = builder.enumType(DialingStatus, {
  name: 'DialingStatus',
  description: 'Where a live attempt is, after jade\'s dialing status.',
});

builder.prismaNode('CallAttempt', {
  nullable: true,
  description: 'The permanent record of one attempt (jade outbound_result), with the plan and destination it used.',
  id: { field: 'id' },
  authScopes: { role: 'VIEWER' },
  fields: (t) => ({
    campaign: t.relation('campaign'),
    member: t.relation('member', { nullable: true, description: 'Null once the member was deleted.' }),
    numberSlot: t.exposeInt('numberSlot'),
    dialedNumber: t.exposeString('dialedNumber'),
    tryCount: t.exposeInt('tryCount'),
    dialString: t.exposeString('dialString'),
    channel: t.exposeString('channel', { nullable: true }),
    uniqueid: t.exposeString('uniqueid', { nullable: true }),
    linkedid: t.exposeString('linkedid', { nullable: true }),
    outcome: t.expose('outcome', { type: CallOutcomeEnum }),
    dialResult: t.exposeInt('dialResult', { description: 'OriginateResponse Reason, an AST_CONTROL code (jade res_dial).' }),
    dialResultText: t.exposeString('dialResultText'),
    hangupCause: t.exposeInt('hangupCause', { nullable: true, description: 'Q.850 cause from the customer\'s leg.' }),
    hangupCauseText: t.exposeString('hangupCauseText', { nullable: true }),
    amdStatus: t.exposeString('amdStatus', { nullable: true, description: "AMD's AMDSTATUS (HUMAN, MACHINE, NOTSURE, HANGUP) when the plan used AMD." }),
    amdCause: t.exposeString('amdCause', { nullable: true, description: "AMD's AMDCAUSE, e.g. TOOLONG-5000." }),
    messageLeft: t.exposeBoolean('messageLeft', { description: "A machine took the plan's whole machineMessage (the member is done)." }),
    recordingFile: t.exposeString('recordingFile', { nullable: true, description: 'The MixMonitor file, under the PBX monitor folder.' }),
    originatedAt: t.expose('originatedAt', { type: 'DateTime' }),
    answeredAt: t.expose('answeredAt', { type: 'DateTime', nullable: true }),
    bridgedAt: t.expose('bridgedAt', { type: 'DateTime', nullable: true }),
    endedAt: t.expose('endedAt', { type: 'DateTime' }),
    planSnapshot: t.expose('planSnapshot', { type: 'JSON' }),
    destinationSnapshot: t.expose('destinationSnapshot', { type: 'JSON' }),
    variables: t.expose('variables', { type: 'Variables' }),
    completionCode: t.exposeString('completionCode', { nullable: true, description: 'Set by a CALLSTATUS UserEvent or setCallStatus.' }),
    outputs: t.expose('outputs', { type: 'JSON', description: "Output attributes (WombatDialer's O_*)." }),
    rescheduleSec: t.exposeInt('rescheduleSec', { nullable: true, description: 'Seconds until the next try, as decided when it ended; null when not retried.' }),
    trunk: t.prismaField({
      type: 'Trunk',
      nullable: true,
      description: "The plan's trunk that carried the call (the last one tried); null: the plan's own trunkName.",
      resolve: (query, attempt, _args, context) => (attempt.trunkId ? context.prisma.trunk.findUnique({ ...query, where: { id: attempt.trunkId } }) : null),
    }),
    failedTrunks: t.prismaField({
      type: ['Trunk'],
      description: 'The trunks that failed the call first in this attempt (congestion, no channel, Originate refused), in the order tried.',
      resolve: async (query, attempt, _args, context) => inOrder(attempt.failedTrunkIds, await context.prisma.trunk.findMany({ ...query, where: { id: { in: attempt.failedTrunkIds } } })),
    }),
    rescheduleRule: t.prismaField({
      type: 'RescheduleRule',
      nullable: true,
      description: 'The reschedule rule that decided the retry, while it exists.',
      resolve: (query, attempt, _args, context) => (attempt.rescheduleRuleId ? context.prisma.rescheduleRule.findUnique({ ...query, where: { id: attempt.rescheduleRuleId } }) : null),
    }),
  }),
});

builder.prismaNode('Dialing', {
  nullable: true,
  description: 'One live attempt (jade dialing); it becomes a CallAttempt when it ends.',
  id: { field: 'id' },
  authScopes: { role: 'VIEWER' },
  fields: (t) => ({
    campaign: t.relation('campaign'),
    member: t.relation('member'),
    numberSlot: t.exposeInt('numberSlot'),
    dialedNumber: t.exposeString('dialedNumber'),
    tryCount: t.exposeInt('tryCount'),
    status: t.expose('status', { type: DialingStatusEnum }),
    dialString: t.exposeString('dialString'),
    channel: t.exposeString('channel', { nullable: true }),
    uniqueid: t.exposeString('uniqueid', { nullable: true }),
    trunk: t.prismaField({
      type: 'Trunk',
      nullable: true,
      description: "The plan's trunk the call is placed through now; null: the plan's own trunkName.",
      resolve: (query, dialing, _args, context) => (dialing.trunkId ? context.prisma.trunk.findUnique({ ...query, where: { id: dialing.trunkId } }) : null),
    }),
    originatedAt: t.expose('originatedAt', { type: 'DateTime', nullable: true }),
    answeredAt: t.expose('answeredAt', { type: 'DateTime', nullable: true }),
    completionCode: t.exposeString('completionCode', { nullable: true }),
    outputs: t.expose('outputs', { type: 'JSON' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

/** Rows found by id, in the order of `ids`. */
function inOrder<T extends { id: string }>(ids: readonly string[], rows: readonly T[]): T[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

const CallAttemptFilter = builder.inputType('CallAttemptFilter', {
  fields: (t) => ({
    campaignId: t.id({ required: false }),
    memberId: t.id({ required: false }),
    dialListId: t.id({ required: false }),
    runId: t.id({ required: false }),
    outcome: t.field({ type: [CallOutcomeEnum], required: false }),
    completionCode: t.stringList({ required: false, description: 'Any of these completion codes (CALLSTATUS); an empty string matches attempts without one.' }),
    endedAfter: t.field({ type: 'DateTime', required: false }),
    endedBefore: t.field({ type: 'DateTime', required: false }),
  }),
});

function completionCodeWhere(codes: readonly string[]): Prisma.CallAttemptWhereInput {
  const set = codes.filter((code) => code !== '');
  const without = codes.length > set.length ? [{ completionCode: null }] : [];
  return { OR: [{ completionCode: { in: set } }, ...without] };
}

function callAttemptsWhere(filter: typeof CallAttemptFilter.$inferInput | null | undefined): Prisma.CallAttemptWhereInput {
  return {
    ...(filter?.campaignId ? { campaignId: localId(filter.campaignId, 'Campaign', 'campaignId') } : {}),
    ...(filter?.memberId ? { memberId: localId(filter.memberId, 'Member', 'memberId') } : {}),
    ...(filter?.dialListId ? { dialListId: localId(filter.dialListId, 'DialList', 'dialListId') } : {}),
    ...(filter?.runId ? { runId: localId(filter.runId, 'CampaignRun', 'runId') } : {}),
    ...(filter?.outcome ? { outcome: { in: filter.outcome } } : {}),
    ...(filter?.completionCode ? completionCodeWhere(filter.completionCode) : {}),
    ...(filter?.endedAfter || filter?.endedBefore
      ? { endedAt: { ...(filter.endedAfter ? { gte: filter.endedAfter } : {}), ...(filter.endedBefore ? { lt: filter.endedBefore } : {}) } }
      : {}),
  };
}

builder.queryField('callAttempts', (t) =>
  t.prismaConnection(
    {
      type: 'CallAttempt',
      cursor: 'id',
      authScopes: { role: 'VIEWER' },
      description: 'Finished attempts, the most recently finished first.',
      args: { filter: t.arg({ type: CallAttemptFilter }) },
      totalCount: (_connection, args, context) => context.prisma.callAttempt.count({ where: callAttemptsWhere(args.filter) }),
      // Recorded as each ends: the order they finished in, not their ids'.
      resolve: (query, _root, args, context) =>
        context.prisma.callAttempt.findMany({ ...query, where: callAttemptsWhere(args.filter), orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
    },
    ...connectionOf('CallAttempt'),
  ),
);

const DialingFilter = builder.inputType('DialingFilter', {
  fields: (t) => ({
    campaignId: t.id({ required: false, description: 'Only this campaign\'s live attempts.' }),
  }),
});

function dialingsWhere(filter: typeof DialingFilter.$inferInput | null | undefined): Prisma.DialingWhereInput {
  return filter?.campaignId ? { campaignId: localId(filter.campaignId, 'Campaign', 'campaignId') } : {};
}

builder.queryField('dialings', (t) =>
  t.prismaConnection(
    {
      type: 'Dialing',
      cursor: 'id',
      authScopes: { role: 'VIEWER' },
      description: 'Live attempts, oldest first.',
      args: { filter: t.arg({ type: DialingFilter }) },
      totalCount: (_connection, args, context) => context.prisma.dialing.count({ where: dialingsWhere(args.filter) }),
      resolve: (query, _root, args, context) => context.prisma.dialing.findMany({ ...query, where: dialingsWhere(args.filter), orderBy: { id: 'asc' } }),
    },
    ...connectionOf('Dialing'),
  ),
);
