import { UNKNOWN_REQUESTER } from '../requesters.js';
import { CampaignStatus, ScheduleMode } from '../generated/prisma/enums.js';
import type { Prisma } from '../generated/prisma/client.js';
import { cloneCampaign, createCampaign, deleteCampaign, setCampaignBoost, setCampaignStatus, updateCampaign, type CampaignInput } from '../outbound/campaigns.js';
import { builder } from './builder.js';
import { likeLiteral, NEWEST_FIRST } from './filters.js';
import { localId, optionalLocalId } from './ids.js';
import { EDIT_ERRORS, GUARDED_ERRORS } from './errorSets.js';
import { connectionOf } from './connections.js';
import { PbxStatusRef } from './liveTypes.js';

export const CampaignStatusEnum = builder.enumType(CampaignStatus, {
  name: 'CampaignStatus',
  description: 'jade\'s campaign states: STARTING, PAUSING, STOPPING and FORCE_STOPPING last until the dialer has done what they say.',
});
const ScheduleModeEnum = builder.enumType(ScheduleMode, {
  name: 'ScheduleMode',
  description:
    'Both dial only within the campaign\'s hours, days and dates (when it sets any) and its calendar\'s (when it has one). MANUAL (the default) is started and stopped by hand: it never starts by surprise, and started outside its hours it waits for them (hold OUTSIDE_SCHEDULE). SCHEDULED is also started and stopped by the dialer as they open and close.',
});
const RequestedStatusEnum = builder.enumType('RequestedCampaignStatus', {
  values: ['RUNNING', 'PAUSED', 'STOPPED'] as const,
  description: 'What setCampaignStatus may ask for; the campaign passes through the matching transitional state.',
});

export const CampaignRef = builder.prismaNode('Campaign', {
  nullable: true,
  description: 'Why we call (jade campaign): a plan, a destination and a dial list, with a schedule.',
  id: { field: 'id' },
  authScopes: { role: 'VIEWER' },
  fields: (t) => ({
    name: t.exposeString('name'),
    detail: t.exposeString('detail', { nullable: true }),
    status: t.expose('status', { type: CampaignStatusEnum }),
    plan: t.relation('plan'),
    destination: t.relation('destination'),
    dialList: t.relation('dialList'),
    variables: t.expose('variables', { type: 'Variables' }),
    nextCampaign: t.relation('nextCampaign', { nullable: true, description: 'Started when this one ends its list.' }),
    priority: t.exposeInt('priority'),
    boostPercent: t.exposeInt('boostPercent', { description: "The pacing's calls scaled by this percentage (WombatDialer's boost), 0-500." }),
    pbxServer: t.exposeString('pbxServer', { nullable: true, description: 'The PBX server (by name) it dials through; the first connected one when null.' }),
    pbx: t.field({
      type: PbxStatusRef,
      nullable: true,
      description: 'The PBX it dials through (its pbxServer), as it says of itself; null when pbxServer is not set or no worker has heard from that PBX.',
      resolve: (campaign, _args, context) => (campaign.pbxServer === null ? null : context.store.get('pbx', campaign.pbxServer, campaign.pbxServer)),
    }),
    runs: t.relation('runs', { description: 'Each start to stop, newest first.', query: { orderBy: { startedAt: 'desc' } } }),
    scheduleMode: t.expose('scheduleMode', { type: ScheduleModeEnum }),
    timezone: t.exposeString('timezone', { description: 'IANA zone the schedule is read in.' }),
    dailyStartTime: t.exposeString('dailyStartTime', { nullable: true, description: 'HH:MM:SS; an end before the start spans midnight.' }),
    dailyEndTime: t.exposeString('dailyEndTime', { nullable: true }),
    startDate: t.exposeString('startDate', { nullable: true, description: 'YYYY-MM-DD, inclusive.' }),
    endDate: t.exposeString('endDate', { nullable: true }),
    weekdays: t.exposeIntList('weekdays', { description: '0 = Sunday .. 6 = Saturday; empty means every day.' }),
    dates: t.exposeStringList('dates', { description: 'Dates it runs on besides the range.' }),
    exceptDates: t.exposeStringList('exceptDates', { description: 'Dates it never runs on.' }),
    calendar: t.relation('calendar', {
      nullable: true,
      description: 'Shared opening hours, holidays and exception dates it also keeps to: it dials only while both its schedule and the calendar are open.',
    }),
    inUse: t.exposeBoolean('inUse'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    deletedAt: t.expose('deletedAt', { type: 'DateTime', nullable: true }),
  }),
});

function campaignInputType(name: string, creating: boolean) {
  return builder.inputType(name, {
    fields: (t) => ({
      name: t.string({ required: creating }),
      detail: t.string(),
      planId: t.id({ required: creating }),
      destinationId: t.id({ required: creating }),
      dialListId: t.id({ required: creating }),
      variables: t.field({ type: 'Variables' }),
      nextCampaignId: t.id(),
      priority: t.int(),
      pbxServer: t.string({ description: 'The PBX server (by name) to dial through; the first connected one when absent.' }),
      scheduleMode: t.field({ type: ScheduleModeEnum }),
      timezone: t.string({ description: 'IANA zone, default UTC.' }),
      dailyStartTime: t.string({ description: 'HH:MM or HH:MM:SS.' }),
      dailyEndTime: t.string(),
      startDate: t.string({ description: 'YYYY-MM-DD.' }),
      endDate: t.string(),
      weekdays: t.intList(),
      dates: t.stringList(),
      exceptDates: t.stringList(),
      calendarId: t.id({ description: 'A shared calendar it also keeps to; null takes it away.' }),
    }),
  });
}

const CreateCampaignInput = campaignInputType('CreateCampaignInput', true);
const UpdateCampaignInput = campaignInputType('UpdateCampaignInput', false);

type CampaignArgs = { planId?: string | null; destinationId?: string | null; dialListId?: string | null; nextCampaignId?: string | null; calendarId?: string | null };

/** Global ids in an input become database ids, each checked to be of the right type. */
function campaignInput<T extends CampaignArgs>(input: T): CampaignInput {
  return {
    ...input,
    planId: optionalLocalId(input.planId, 'Plan', 'planId'),
    destinationId: optionalLocalId(input.destinationId, 'Destination', 'destinationId'),
    dialListId: optionalLocalId(input.dialListId, 'DialList', 'dialListId'),
    nextCampaignId: optionalLocalId(input.nextCampaignId, 'Campaign', 'nextCampaignId'),
    calendarId: optionalLocalId(input.calendarId, 'Calendar', 'calendarId'),
  };
}

const CampaignFilter = builder.inputType('CampaignFilter', {
  fields: (t) => ({
    name: t.string({ required: false, description: 'Part of the name, any case.' }),
    status: t.field({ type: [CampaignStatusEnum], required: false }),
    planId: t.id({ required: false }),
    destinationId: t.id({ required: false }),
    dialListId: t.id({ required: false }),
    calendarId: t.id({ required: false }),
    includeDeleted: t.boolean({ required: false }),
  }),
});

function campaignsWhere(filter: typeof CampaignFilter.$inferInput | null | undefined): Prisma.CampaignWhereInput {
  return {
    ...(filter?.includeDeleted ? {} : { inUse: true }),
    ...(filter?.name ? { name: { contains: likeLiteral(filter.name), mode: 'insensitive' } } : {}),
    ...(filter?.status ? { status: { in: filter.status } } : {}),
    ...(filter?.planId ? { planId: localId(filter.planId, 'Plan', 'planId') } : {}),
    ...(filter?.destinationId ? { destinationId: localId(filter.destinationId, 'Destination', 'destinationId') } : {}),
    ...(filter?.dialListId ? { dialListId: localId(filter.dialListId, 'DialList', 'dialListId') } : {}),
    ...(filter?.calendarId ? { calendarId: localId(filter.calendarId, 'Calendar', 'calendarId') } : {}),
  };
}

builder.queryFields((t) => ({
  campaigns: t.prismaConnection(
    {
      type: 'Campaign',
      cursor: 'id',
      authScopes: { role: 'VIEWER' },
      args: { filter: t.arg({ type: CampaignFilter }) },
      totalCount: (_connection, args, context) => context.prisma.campaign.count({ where: campaignsWhere(args.filter) }),
      resolve: (query, _root, args, context) => context.prisma.campaign.findMany({ ...query, where: campaignsWhere(args.filter), orderBy: NEWEST_FIRST }),
    },
    ...connectionOf('Campaign'),
  ),
  campaign: t.prismaField({
    type: 'Campaign',
    nullable: true,
    authScopes: { role: 'VIEWER' },
    description: 'One campaign, deleted ones included (inUse false); null when the id names none.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, context) =>
      context.prisma.campaign.findUnique({ ...query, where: { id: localId(args.id, 'Campaign') } }),
  }),
}));

builder.mutationFields((t) => ({
  createCampaign: t.field({
    type: CampaignRef,
    authScopes: { role: 'SUPERVISOR' },
    errors: EDIT_ERRORS,
    description: 'Creates a STOPPED campaign; its plan, destination and dial list must exist and not be deleted.',
    args: { input: t.arg({ type: CreateCampaignInput, required: true }) },
    resolve: (_root, args, context) => createCampaign(context.prisma, campaignInput(args.input)),
  }),
  updateCampaign: t.field({
    type: CampaignRef,
    authScopes: { role: 'SUPERVISOR' },
    errors: EDIT_ERRORS,
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateCampaignInput, required: true }) },
    resolve: (_root, args, context) =>
      updateCampaign(context.prisma, localId(args.id, 'Campaign'), campaignInput(args.input)),
  }),
  cloneCampaign: t.field({
    type: CampaignRef,
    authScopes: { role: 'SUPERVISOR' },
    errors: EDIT_ERRORS,
    description: "A new STOPPED campaign with this one's settings; its name is given or '<name> (copy)'.",
    args: { id: t.arg.id({ required: true }), name: t.arg.string() },
    resolve: (_root, args, context) => cloneCampaign(context.prisma, localId(args.id, 'Campaign'), args.name),
  }),
  setCampaignStatus: t.field({
    type: CampaignRef,
    authScopes: { role: 'SUPERVISOR' },
    errors: GUARDED_ERRORS,
    description: 'Start (RUNNING), pause (PAUSED) or stop (STOPPED; with force, live calls are hung up).',
    args: {
      id: t.arg.id({ required: true }),
      status: t.arg({ type: RequestedStatusEnum, required: true }),
      force: t.arg.boolean({ defaultValue: false }),
    },
    resolve: (_root, args, context) =>
      setCampaignStatus(context.prisma, localId(args.id, 'Campaign'), args.status, args.force ?? false, context.viewer?.name ?? UNKNOWN_REQUESTER),
  }),
  setCampaignBoost: t.field({
    type: CampaignRef,
    authScopes: { role: 'SUPERVISOR' },
    errors: EDIT_ERRORS,
    description: "Scales a campaign's pacing by percent (0-500; 100 as paced), from the dialer's next tick, within the plan's and trunk's limits.",
    args: { id: t.arg.id({ required: true }), percent: t.arg.int({ required: true }) },
    resolve: (_root, args, context) => setCampaignBoost(context.prisma, localId(args.id, 'Campaign'), args.percent),
  }),
  deleteCampaign: t.field({
    type: CampaignRef,
    authScopes: { role: 'SUPERVISOR' },
    errors: GUARDED_ERRORS,
    description: 'Soft-deletes a campaign. A live one, or one other campaigns chain to, is a ConflictError unless force.',
    args: { id: t.arg.id({ required: true }), force: t.arg.boolean({ defaultValue: false }) },
    resolve: (_root, args, context) => deleteCampaign(context.prisma, localId(args.id, 'Campaign'), args.force ?? false),
  }),
}));
