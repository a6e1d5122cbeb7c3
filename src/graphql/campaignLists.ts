import { campaignListProgress, pauseCampaignList, startCampaignList, type CampaignListProgress } from '../outbound/campaignLists.js';
import { builder } from './builder.js';
import { localId } from './ids.js';
import { EDIT_ERRORS } from './errorSets.js';

/** Lists a campaign calls after its own (WombatDialer's runlists): add, pause, start again, follow. */

const CampaignListRef = builder.objectRef<CampaignListProgress>('CampaignList').implement({
  description: 'A list a campaign calls after its own, in position order, with how far it has got.',
  fields: (t) => ({
    dialList: t.prismaField({ type: 'DialList', resolve: (_query, entry) => entry.dialList }),
    paused: t.exposeBoolean('paused', { description: 'No member is taken from it; the campaign does not end while it is paused.' }),
    position: t.exposeInt('position'),
    waiting: t.exposeInt('waiting', { description: 'Members still to be dialed (IDLE).' }),
    dialing: t.exposeInt('dialing', { description: 'Members being dialed or held for a preview agent.' }),
    finished: t.exposeInt('finished', { description: 'Members DONE or TERMINATED.' }),
  }),
});

builder.prismaObjectField('Campaign', 'lists', (t) =>
  t.field({
    type: [CampaignListRef],
    authScopes: { role: 'VIEWER' },
    description: 'The lists added to this campaign to call after its own dialList.',
    resolve: (campaign, _args, context) => campaignListProgress(context.prisma, campaign.id),
  }),
);

builder.mutationFields((t) => ({
  startCampaignList: t.field({
    type: [CampaignListRef],
    authScopes: { role: 'SUPERVISOR' },
    errors: EDIT_ERRORS,
    description: 'Adds a list for the campaign to call after the others (even while it runs), or lets a paused one be called again.',
    args: { campaignId: t.arg.id({ required: true }), dialListId: t.arg.id({ required: true }) },
    resolve: (_root, args, context) => startCampaignList(context.prisma, localId(args.campaignId, 'Campaign', 'campaignId'), localId(args.dialListId, 'DialList', 'dialListId')),
  }),
  pauseCampaignList: t.field({
    type: [CampaignListRef],
    authScopes: { role: 'SUPERVISOR' },
    errors: EDIT_ERRORS,
    description: 'Takes no more members from one of the campaign\'s added lists; its live calls go on.',
    args: { campaignId: t.arg.id({ required: true }), dialListId: t.arg.id({ required: true }) },
    resolve: (_root, args, context) => pauseCampaignList(context.prisma, localId(args.campaignId, 'Campaign', 'campaignId'), localId(args.dialListId, 'DialList', 'dialListId')),
  }),
}));
