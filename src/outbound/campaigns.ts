import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { Campaign, Destination, Plan, Prisma, PrismaClient, Trunk } from '../generated/prisma/client.js';
import type { ScheduleMode } from '../generated/prisma/enums.js';
import { softDeleteCampaigns } from './campaignRemoval.js';
import { queueOf } from './destinations.js';
import { nextCampaignStatus, type RequestedStatus } from './campaignStatus.js';
import { calendarDate, integer, Problems, text, timeOfDay, timezone, variables } from '../validate.js';

export type CampaignInput = {
  name?: string | null;
  detail?: string | null;
  planId?: string | null;
  destinationId?: string | null;
  dialListId?: string | null;
  variables?: Record<string, string> | null;
  nextCampaignId?: string | null;
  priority?: number | null;
  pbxServer?: string | null;
  scheduleMode?: ScheduleMode | null;
  timezone?: string | null;
  dailyStartTime?: string | null;
  dailyEndTime?: string | null;
  startDate?: string | null;
  endDate?: string | null;
  weekdays?: number[] | null;
  dates?: string[] | null;
  exceptDates?: string[] | null;
  /** A shared calendar it also keeps to; null takes it away. */
  calendarId?: string | null;
};

function checkSchedule(problems: Problems, input: CampaignInput, existing: Campaign | null) {
  const zone = timezone(problems, 'timezone', input.timezone);
  const dailyStartTime = timeOfDay(problems, 'dailyStartTime', input.dailyStartTime);
  const dailyEndTime = timeOfDay(problems, 'dailyEndTime', input.dailyEndTime);
  const start = dailyStartTime === undefined ? existing?.dailyStartTime : dailyStartTime;
  const end = dailyEndTime === undefined ? existing?.dailyEndTime : dailyEndTime;
  if (Boolean(start) !== Boolean(end)) problems.add('dailyStartTime', 'and dailyEndTime must be given together');
  else if (start && start === end) problems.add('dailyEndTime', 'must differ from dailyStartTime (an end before the start spans midnight)');
  const givenStartDate = calendarDate(problems, 'startDate', input.startDate);
  const givenEndDate = calendarDate(problems, 'endDate', input.endDate);
  const startDate = givenStartDate === undefined ? existing?.startDate : givenStartDate;
  const endDate = givenEndDate === undefined ? existing?.endDate : givenEndDate;
  if (startDate && endDate && startDate > endDate) problems.add('endDate', 'must not be before startDate');
  input.weekdays?.forEach((day, index) => integer(problems, `weekdays[${index}]`, day, { min: 0, max: 6 }));
  input.dates?.forEach((date, index) => calendarDate(problems, `dates[${index}]`, date));
  input.exceptDates?.forEach((date, index) => calendarDate(problems, `exceptDates[${index}]`, date));
  return { timezone: zone, dailyStartTime, dailyEndTime, startDate: givenStartDate, endDate: givenEndDate };
}

/** References must name live objects: a deleted plan cannot be given to a campaign. */
async function checkReferences(prisma: PrismaClient, input: CampaignInput, selfId: string | null): Promise<void> {
  const checks: [string, string | null | undefined, (id: string) => Promise<{ inUse: boolean } | null>][] = [
    ['Plan', input.planId, (id) => prisma.plan.findUnique({ where: { id }, select: { inUse: true } })],
    ['Destination', input.destinationId, (id) => prisma.destination.findUnique({ where: { id }, select: { inUse: true } })],
    ['DialList', input.dialListId, (id) => prisma.dialList.findUnique({ where: { id }, select: { inUse: true } })],
    ['Campaign', input.nextCampaignId, (id) => prisma.campaign.findUnique({ where: { id }, select: { inUse: true } })],
    ['Calendar', input.calendarId, (id) => prisma.calendar.findUnique({ where: { id }, select: { inUse: true } })],
  ];
  for (const [resource, id, find] of checks) {
    if (!id) continue;
    const found = await find(id);
    if (!found || !found.inUse) throw new NotFoundError(resource, id);
  }
  if (selfId && input.nextCampaignId === selfId) throw ValidationError.of('nextCampaignId', 'must not be the campaign itself');
}

function campaignData(input: CampaignInput, existing: Campaign | null) {
  const problems = new Problems();
  const creating = existing === null;
  const name = text(problems, 'name', input.name, { required: creating || input.name !== undefined, max: 100 });
  const detail = text(problems, 'detail', input.detail, { max: 1000 });
  if (creating) {
    if (!input.planId) problems.add('planId', 'is required');
    if (!input.destinationId) problems.add('destinationId', 'is required');
    if (!input.dialListId) problems.add('dialListId', 'is required');
  } else {
    for (const field of ['planId', 'destinationId', 'dialListId'] as const) {
      if (input[field] === null) problems.add(field, 'cannot be cleared');
    }
  }
  variables(problems, 'variables', input.variables ?? undefined);
  integer(problems, 'priority', input.priority, { min: -1000, max: 1000 });
  const pbxServer = text(problems, 'pbxServer', input.pbxServer, { max: 100 });
  const schedule = checkSchedule(problems, input, existing);
  problems.throwIfAny('campaign');
  return {
    name: name ?? undefined,
    detail,
    planId: input.planId ?? undefined,
    destinationId: input.destinationId ?? undefined,
    dialListId: input.dialListId ?? undefined,
    variables: input.variables ?? undefined,
    nextCampaignId: input.nextCampaignId,
    priority: input.priority ?? undefined,
    pbxServer,
    scheduleMode: input.scheduleMode ?? undefined,
    timezone: schedule.timezone ?? undefined,
    dailyStartTime: schedule.dailyStartTime,
    dailyEndTime: schedule.dailyEndTime,
    startDate: schedule.startDate,
    endDate: schedule.endDate,
    weekdays: input.weekdays ? [...new Set(input.weekdays)].sort() : undefined,
    dates: input.dates ?? undefined,
    exceptDates: input.exceptDates ?? undefined,
    calendarId: input.calendarId,
  } satisfies Prisma.CampaignUncheckedUpdateInput;
}

export async function createCampaign(prisma: PrismaClient, input: CampaignInput): Promise<Campaign> {
  const data = campaignData(input, null);
  await checkReferences(prisma, input, null);
  return prisma.campaign.create({
    data: { ...data, name: data.name ?? '', planId: data.planId ?? '', destinationId: data.destinationId ?? '', dialListId: data.dialListId ?? '' },
  });
}

/** A new STOPPED campaign with another's settings (plan, destination, list, schedule, variables), under a new name. */
export async function cloneCampaign(prisma: PrismaClient, id: string, name: string | null | undefined): Promise<Campaign> {
  const source = await findLiveCampaign(prisma, id);
  return createCampaign(prisma, {
    name: name ?? `${source.name} (copy)`,
    detail: source.detail,
    planId: source.planId,
    destinationId: source.destinationId,
    dialListId: source.dialListId,
    variables: source.variables as Record<string, string>,
    nextCampaignId: source.nextCampaignId,
    priority: source.priority,
    pbxServer: source.pbxServer,
    scheduleMode: source.scheduleMode,
    timezone: source.timezone,
    dailyStartTime: source.dailyStartTime,
    dailyEndTime: source.dailyEndTime,
    startDate: source.startDate,
    endDate: source.endDate,
    weekdays: source.weekdays,
    dates: source.dates,
    exceptDates: source.exceptDates,
    calendarId: source.calendarId,
  });
}

/** WombatDialer's boost: the pacing's calls scaled by percent, 0 (dial nothing new) to 500, from the next tick. */
export async function setCampaignBoost(prisma: PrismaClient, id: string, percent: number): Promise<Campaign> {
  if (!Number.isInteger(percent) || percent < 0 || percent > 500) throw ValidationError.of('percent', `must be a whole percentage from 0 to 500, got ${percent}`);
  await findLiveCampaign(prisma, id);
  return prisma.campaign.update({ where: { id }, data: { boostPercent: percent } });
}

export async function findLiveCampaign(prisma: PrismaClient, id: string): Promise<Campaign> {
  const campaign = await prisma.campaign.findUnique({ where: { id } });
  if (!campaign || !campaign.inUse) throw new NotFoundError('Campaign', id);
  return campaign;
}

export async function updateCampaign(prisma: PrismaClient, id: string, input: CampaignInput): Promise<Campaign> {
  const existing = await findLiveCampaign(prisma, id);
  const data = campaignData(input, existing);
  await checkReferences(prisma, input, id);
  return prisma.campaign.update({ where: { id }, data });
}

/**
 * Asks a campaign to start, pause or stop. The status moves to jade's transitional state; the dialer
 * completes it. Compare-and-set on the status, so two people's requests cannot cross unseen.
 */
export async function setCampaignStatus(
  prisma: PrismaClient,
  id: string,
  requested: RequestedStatus,
  force: boolean,
  /** Who asks (a user's or API token's name): kept for the campaign run it opens or closes. */
  requestedBy: string,
): Promise<Campaign> {
  return requestCampaignStatus(prisma, await findLiveCampaign(prisma, id), requested, force, requestedBy);
}

/**
 * setCampaignStatus for a campaign already read: it moves only if nobody has asked anything of it since
 * (same status, same statusRequestedBy), else ConflictError.
 */
export async function requestCampaignStatus(prisma: PrismaClient, campaign: Campaign, requested: RequestedStatus, force: boolean, requestedBy: string): Promise<Campaign> {
  const { id } = campaign;
  const status = nextCampaignStatus(campaign.status, requested, force);
  if (status === campaign.status) return campaign;
  if (status === 'STARTING') {
    const setup = await prisma.campaign.findUniqueOrThrow({ where: { id }, include: { plan: { include: { trunks: { include: { trunk: true } } } }, destination: true } });
    const problem = unpacedProblem(setup.plan, setup.destination);
    if (problem) throw ValidationError.of('maxConcurrentCalls', problem);
  }
  const { count } = await prisma.campaign.updateMany({
    where: { id, status: campaign.status, statusRequestedBy: campaign.statusRequestedBy, inUse: true },
    data: { status, statusRequestedBy: requestedBy },
  });
  if (count === 0) throw new ConflictError(`Campaign "${campaign.name}" changed while this request ran: read it again and retry`);
  return findLiveCampaign(prisma, id);
}

/**
 * Why a campaign with this plan and destination would place no call at all, whatever happens live: a
 * PROGRESSIVE or PREDICTIVE plan paces by a queue's free agents, and with no queue only the plan's or the
 * trunk's limit could bound it; a BROADCAST has no agents to pace by, whatever its destination, so only those
 * limits ever bound it. Without one it would dial without end, so it dials nothing (reported as
 * NO_CALL_LIMIT); refused at the start instead, where it can be fixed.
 */
export function unpacedProblem(
  plan: Pick<Plan, 'dialMode' | 'maxConcurrentCalls' | 'trunkMaxChannels' | 'trunkName' | 'name'> & { trunks: { trunk: Pick<Trunk, 'maxChannels'> }[] },
  destination: Pick<Destination, 'type' | 'application' | 'data' | 'name'>,
): string | null {
  if (plan.dialMode === 'PREVIEW' || plan.dialMode === 'NONE') return null;
  // Through trunks, only when every one of them has a limit: an unlimited one would take any number of calls.
  const trunksBound = plan.trunks.length > 0 ? plan.trunks.every(({ trunk }) => trunk.maxChannels !== null) : plan.trunkMaxChannels !== null && plan.trunkName !== null;
  const broadcast = plan.dialMode === 'BROADCAST';
  if ((!broadcast && queueOf(destination) !== null) || plan.maxConcurrentCalls !== null || trunksBound) return null;
  const unpaced = broadcast ? 'broadcasts, with no agents to pace by' : `dials ${plan.dialMode} into destination "${destination.name}", which has no queue to pace by`;
  return `plan "${plan.name}" ${unpaced}: set the plan's maxConcurrentCalls (or a trunk's limit, on each of its trunks), or nothing bounds how many calls it places`;
}

/**
 * Soft-deletes a campaign. A live campaign (not STOPPED) or one other campaigns chain to is refused
 * unless `force`: then a live one is force-stopped and the chains are cut.
 */
export async function deleteCampaign(prisma: PrismaClient, id: string, force: boolean): Promise<Campaign> {
  const campaign = await findLiveCampaign(prisma, id);
  const chained = await prisma.campaign.findMany({ where: { nextCampaignId: id, inUse: true }, select: { id: true, name: true } });
  if (!force) {
    if (campaign.status !== 'STOPPED') {
      throw new ConflictError(`Campaign "${campaign.name}" is ${campaign.status}: stop it first or pass force: true`);
    }
    if (chained.length > 0) {
      throw new ConflictError(
        `Campaign "${campaign.name}" is the next campaign of ${chained.map((c) => c.name).join(', ')}: change them first or pass force: true`,
        chained.map((c) => ({ typename: 'Campaign', id: c.id })),
      );
    }
  }
  return prisma.$transaction(async (tx) => {
    await softDeleteCampaigns(tx, [id], new Date());
    return tx.campaign.findUniqueOrThrow({ where: { id } });
  });
}
