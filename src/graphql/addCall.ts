import { addCall, cancelScheduledCall, scheduledCalls } from '../outbound/addCall.js';
import { builder } from './builder.js';
import { localId } from './ids.js';
import { EDIT_ERRORS, GUARDED_ERRORS, LOOKUP_ERRORS } from './errorSets.js';

/** Drip-feeding calls into a campaign (WombatDialer's addcall, uContact's scheduled calls). */

const AddCallInput = builder.inputType('AddCallInput', {
  fields: (t) => ({
    number: t.string({ required: true }),
    attributes: t.field({ type: 'Variables', description: 'Input attributes: the member\'s variables, channel variables of its calls.' }),
    inSec: t.int({ description: 'Due in this many seconds (WombatDialer schedule=15).' }),
    at: t.field({ type: 'DateTime', description: 'Due at this instant, not in the past. Neither: due now.' }),
    agent: t.string({ description: "A callback for this agent's endpoint (e.g. PJSIP/2001): in a PREVIEW campaign only their reserveCall gets it." }),
  }),
});

builder.queryField('scheduledCalls', (t) =>
  t.prismaField({
    type: ['Member'],
    authScopes: { role: 'VIEWER' },
    errors: LOOKUP_ERRORS,
    description: "A campaign's scheduled calls not dialed yet, soonest first; with dueBefore, only those due by then.",
    args: { campaignId: t.arg.id({ required: true }), dueBefore: t.arg({ type: 'DateTime' }) },
    resolve: (_query, _root, args, context) => scheduledCalls(context.prisma, localId(args.campaignId, 'Campaign', 'campaignId'), args.dueBefore ?? null),
  }),
);

builder.mutationFields((t) => ({
  addCall: t.prismaField({
    type: 'Member',
    authScopes: { role: 'SUPERVISOR' },
    errors: EDIT_ERRORS,
    description: "Adds one number to a campaign's list, dialed ahead of its other members once due: a running campaign calls it at its next tick.",
    args: { campaignId: t.arg.id({ required: true }), input: t.arg({ type: AddCallInput, required: true }) },
    resolve: (_query, _root, args, context) => addCall(context.prisma, localId(args.campaignId, 'Campaign', 'campaignId'), args.input),
  }),
  cancelScheduledCall: t.prismaField({
    type: 'Member',
    authScopes: { role: 'SUPERVISOR' },
    errors: GUARDED_ERRORS,
    description: 'Takes a scheduled call off the schedule before it is dialed: the member is kept, TERMINATED.',
    args: { memberId: t.arg.id({ required: true }) },
    resolve: (_query, _root, args, context) => cancelScheduledCall(context.prisma, localId(args.memberId, 'Member', 'memberId')),
  }),
}));
