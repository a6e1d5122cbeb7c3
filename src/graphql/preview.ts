import { dialReservedCall, reserveCall, skipDecisions, skipReservedCall, type Reservation } from '../dialer/preview.js';
import { builder } from './builder.js';
import { localId } from './ids.js';
import { GUARDED_ERRORS } from './errorSets.js';

/** PREVIEW campaigns: an agent reserves a member, sees it, then has it dialed or skips it (WombatDialer's calls). */

const ReservedCallRef = builder.objectRef<Reservation>('ReservedCall').implement({
  description: 'A member held for one agent: not dialed until dialReservedCall, released untried if left past reservedUntil.',
  fields: (t) => ({
    dialing: t.prismaField({ type: 'Dialing', resolve: (query, reservation, _args, context) => context.prisma.dialing.findUniqueOrThrow({ ...query, where: { id: reservation.dialingId } }) }),
    member: t.prismaField({ type: 'Member', resolve: (query, reservation, _args, context) => context.prisma.member.findUniqueOrThrow({ ...query, where: { id: reservation.memberId } }) }),
    number: t.exposeString('number', { description: 'The number that will be dialed.' }),
    numberSlot: t.exposeInt('numberSlot'),
    tryCount: t.exposeInt('tryCount', { description: "This call's try of the number." }),
    reservedUntil: t.expose('reservedUntil', { type: 'DateTime' }),
  }),
});

const SkipDecisionEnum = builder.enumType('SkipDecision', {
  description: 'RETRY: dial the member again after the retry delay; DONE: finished without a call; TERMINATED: never call it.',
  values: skipDecisions,
});

builder.mutationFields((t) => ({
  reserveCall: t.field({
    type: ReservedCallRef,
    nullable: true,
    authScopes: { role: 'SUPERVISOR' },
    errors: GUARDED_ERRORS,
    description: 'Reserves the next member of a RUNNING PREVIEW campaign for an agent; null when no member is dialable now.',
    args: { campaignId: t.arg.id({ required: true }), agent: t.arg.string({ required: true, description: "The agent's endpoint (e.g. PJSIP/2001): the answered call is put through to it." }) },
    resolve: (_root, args, context) => reserveCall(context.prisma, context.driver, localId(args.campaignId, 'Campaign'), args.agent),
  }),
  dialReservedCall: t.field({
    type: 'Boolean',
    authScopes: { role: 'SUPERVISOR' },
    errors: GUARDED_ERRORS,
    description: 'Dials a reserved call: the next dialer tick originates it.',
    args: { dialingId: t.arg.id({ required: true }) },
    resolve: async (_root, args, context) => {
      await dialReservedCall(context.prisma, localId(args.dialingId, 'Dialing'));
      return true;
    },
  }),
  skipReservedCall: t.field({
    type: 'Boolean',
    authScopes: { role: 'SUPERVISOR' },
    errors: GUARDED_ERRORS,
    description: 'Gives a reserved call back undialed; no try counts.',
    args: { dialingId: t.arg.id({ required: true }), status: t.arg({ type: SkipDecisionEnum, required: true }) },
    resolve: async (_root, args, context) => {
      await skipReservedCall(context.prisma, localId(args.dialingId, 'Dialing'), args.status);
      return true;
    },
  }),
}));
