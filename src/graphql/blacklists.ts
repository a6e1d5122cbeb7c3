import { campaignBlacklists, cancelBlacklist, doNotCallListsOf, setBlacklistForAll, setCampaignBlacklist, type BlacklistCancellation } from '../outbound/blacklists.js';
import { builder } from './builder.js';
import { localId } from './ids.js';
import { EDIT_ERRORS, LOOKUP_ERRORS } from './errorSets.js';

/** Do-not-call lists: dial lists whose numbers a campaign never dials (WombatDialer's black-lists, uContact's DNC). */

const BlacklistCancellationRef = builder.objectRef<BlacklistCancellation>('BlacklistCancellation').implement({
  description: 'What cancelBlacklist did: entries with the numbers found on the list, and those it changed (the rest were cancelled before).',
  fields: (t) => ({ found: t.exposeInt('found'), updated: t.exposeInt('updated') }),
});

const DoNotCallCheckRef = builder.objectRef<{ campaignId: string; number: string; lists: Awaited<ReturnType<typeof doNotCallListsOf>> }>('DoNotCallCheck').implement({
  fields: (t) => ({
    number: t.exposeString('number'),
    blocked: t.boolean({ description: 'True when the campaign would never dial this number.', resolve: (check) => check.lists.length > 0 }),
    lists: t.prismaField({ type: ['DialList'], description: 'The do-not-call lists that hold it.', resolve: (_query, check) => check.lists }),
  }),
});

builder.prismaObjectField('Campaign', 'blacklists', (t) =>
  t.prismaField({
    type: ['DialList'],
    authScopes: { role: 'VIEWER' },
    description: "The do-not-call lists this campaign obeys: its own and those for every campaign (blacklistForAll).",
    resolve: (_query, campaign, _args, context) => campaignBlacklists(context.prisma, campaign.id),
  }),
);

builder.prismaObjectField('DialList', 'blacklistForAll', (t) => t.exposeBoolean('blacklistForAll', { description: 'A do-not-call list of every campaign.' }));

builder.queryField('doNotCall', (t) =>
  t.field({
    type: DoNotCallCheckRef,
    authScopes: { role: 'VIEWER' },
    errors: LOOKUP_ERRORS,
    description: 'Whether a campaign would dial a number, and which of its do-not-call lists block it.',
    args: { campaignId: t.arg.id({ required: true }), number: t.arg.string({ required: true }) },
    resolve: async (_root, args, context) => {
      const campaignId = localId(args.campaignId, 'Campaign', 'campaignId');
      return { campaignId, number: args.number, lists: await doNotCallListsOf(context.prisma, campaignId, args.number) };
    },
  }),
);

builder.mutationFields((t) => ({
  addCampaignBlacklist: t.prismaField({
    type: ['DialList'],
    authScopes: { role: 'SUPERVISOR' },
    errors: EDIT_ERRORS,
    description: "Makes a dial list a do-not-call list of the campaign, from its next lease on; returns the campaign's do-not-call lists. Add numbers to it with addMembers or importMembers.",
    args: { campaignId: t.arg.id({ required: true }), dialListId: t.arg.id({ required: true }) },
    resolve: (_query, _root, args, context) =>
      setCampaignBlacklist(context.prisma, localId(args.campaignId, 'Campaign', 'campaignId'), localId(args.dialListId, 'DialList', 'dialListId'), true),
  }),
  removeCampaignBlacklist: t.prismaField({
    type: ['DialList'],
    authScopes: { role: 'SUPERVISOR' },
    errors: EDIT_ERRORS,
    description: "Stops a dial list blocking the campaign's calls; returns the campaign's do-not-call lists.",
    args: { campaignId: t.arg.id({ required: true }), dialListId: t.arg.id({ required: true }) },
    resolve: (_query, _root, args, context) =>
      setCampaignBlacklist(context.prisma, localId(args.campaignId, 'Campaign', 'campaignId'), localId(args.dialListId, 'DialList', 'dialListId'), false),
  }),
  setDialListBlacklistForAll: t.prismaField({
    type: 'DialList',
    authScopes: { role: 'SUPERVISOR' },
    errors: EDIT_ERRORS,
    description: "True: every campaign's do-not-call list (uContact's `*`); false: only for campaigns it was added to.",
    args: { dialListId: t.arg.id({ required: true }), forAll: t.arg.boolean({ required: true }) },
    resolve: (_query, _root, args, context) => setBlacklistForAll(context.prisma, localId(args.dialListId, 'DialList', 'dialListId'), args.forAll),
  }),
  cancelBlacklist: t.field({
    type: BlacklistCancellationRef,
    authScopes: { role: 'SUPERVISOR' },
    errors: EDIT_ERRORS,
    description: "WombatDialer's cancelBlacklist: the list's entries with these numbers stop blocking them, marked with the reason (the time when none).",
    args: { dialListId: t.arg.id({ required: true }), numbers: t.arg.stringList({ required: true }), reason: t.arg.string() },
    resolve: (_root, args, context) => cancelBlacklist(context.prisma, localId(args.dialListId, 'DialList', 'dialListId'), args.numbers, args.reason ?? null),
  }),
}));
