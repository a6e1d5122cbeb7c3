import { createRescheduleRule, deleteRescheduleRule, moveRescheduleRule, rescheduleRulesOf, updateRescheduleRule } from '../outbound/rescheduleRules.js';
import { CallOutcomeEnum } from './attempts.js';
import { builder } from './builder.js';
import { localId } from './ids.js';
import { EDIT_ERRORS } from './errorSets.js';

/** A campaign's reschedule rules (WombatDialer's campaign/reschedule), with move up and down. */

builder.prismaNode('RescheduleRule', {
  nullable: true,
  description: 'Checked in order when an attempt ends, before the plan\'s retry: the first that matches decides whether and when the member is dialed again.',
  id: { field: 'id' },
  authScopes: { role: 'VIEWER' },
  fields: (t) => ({
    campaign: t.relation('campaign'),
    position: t.exposeInt('position', { description: 'Lower is checked first.' }),
    outcome: t.expose('outcome', { type: CallOutcomeEnum, nullable: true, description: 'Matches this outcome; any when null.' }),
    completionCode: t.exposeString('completionCode', { nullable: true, description: 'Matches this completion code in any case; any when null.' }),
    maxAttempts: t.exposeInt('maxAttempts', { description: 'How many times it reschedules one member; then the member is done.' }),
    retryAfterSec: t.exposeInt('retryAfterSec'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

function ruleInputType(name: string, creating: boolean) {
  return builder.inputType(name, {
    fields: (t) => ({
      outcome: t.field({ type: CallOutcomeEnum, description: 'Null matches any outcome.' }),
      completionCode: t.string({ description: 'Null matches any completion code (or none).' }),
      maxAttempts: t.int({ required: creating, description: '0-1000.' }),
      retryAfterSec: t.int({ required: creating }),
    }),
  });
}

const CreateRescheduleRuleInput = ruleInputType('CreateRescheduleRuleInput', true);
const UpdateRescheduleRuleInput = ruleInputType('UpdateRescheduleRuleInput', false);

const MoveDirectionEnum = builder.enumType('MoveDirection', { values: ['UP', 'DOWN'] as const, description: 'UP: checked earlier; DOWN: later.' });

builder.queryField('rescheduleRules', (t) =>
  t.prismaField({
    type: ['RescheduleRule'],
    authScopes: { role: 'VIEWER' },
    description: "A campaign's reschedule rules in the order they are checked.",
    args: { campaignId: t.arg.id({ required: true }) },
    resolve: (_query, _root, args, context) => rescheduleRulesOf(context.prisma, localId(args.campaignId, 'Campaign', 'campaignId')),
  }),
);

builder.mutationFields((t) => ({
  createRescheduleRule: t.prismaField({
    type: 'RescheduleRule',
    authScopes: { role: 'ADMIN' },
    errors: EDIT_ERRORS,
    description: "Adds a rule after the campaign's last one.",
    args: { campaignId: t.arg.id({ required: true }), input: t.arg({ type: CreateRescheduleRuleInput, required: true }) },
    resolve: (_query, _root, args, context) => createRescheduleRule(context.prisma, localId(args.campaignId, 'Campaign', 'campaignId'), args.input),
  }),
  updateRescheduleRule: t.prismaField({
    type: 'RescheduleRule',
    authScopes: { role: 'ADMIN' },
    errors: EDIT_ERRORS,
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateRescheduleRuleInput, required: true }) },
    resolve: (_query, _root, args, context) => updateRescheduleRule(context.prisma, localId(args.id, 'RescheduleRule'), args.input),
  }),
  deleteRescheduleRule: t.prismaField({
    type: 'RescheduleRule',
    authScopes: { role: 'ADMIN' },
    errors: EDIT_ERRORS,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_query, _root, args, context) => deleteRescheduleRule(context.prisma, localId(args.id, 'RescheduleRule')),
  }),
  moveRescheduleRule: t.prismaField({
    type: 'RescheduleRule',
    authScopes: { role: 'ADMIN' },
    errors: EDIT_ERRORS,
    description: 'Swaps a rule with the one above (UP) or below (DOWN); at either end it stays where it is.',
    args: { id: t.arg.id({ required: true }), direction: t.arg({ type: MoveDirectionEnum, required: true }) },
    resolve: (_query, _root, args, context) => moveRescheduleRule(context.prisma, localId(args.id, 'RescheduleRule'), args.direction),
  }),
}));
