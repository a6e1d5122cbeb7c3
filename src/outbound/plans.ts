import { NotFoundError, ValidationError } from '../errors.js';
import type { Plan, Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { DialListEndAction, DialMode, NumberStrategy } from '../generated/prisma/enums.js';
import { deleteUsedByCampaigns } from './campaignRemoval.js';
import { dialStringTemplateProblem, endpointNameProblem } from './dialStringRules.js';
import { numberPatternProblem } from './numberPattern.js';
import { numberTypeRows, type NumberTypeRow, type PlanNumberTypeInput } from './numberTypeInput.js';
import { soundFilesProblem } from './soundFiles.js';
import { decimal, integer, Problems, TECH_NAME, text, variables } from '../validate.js';

export const NUMBER_SLOTS = 8;

export type PlanInput = {
  name?: string | null;
  detail?: string | null;
  dialMode?: DialMode | null;
  techName?: string | null;
  trunkName?: string | null;
  dialStringTemplate?: string | null;
  dialTimeoutMs?: number | null;
  retryDelaySec?: number | null;
  maxRetries?: number[] | null;
  callerId?: string | null;
  serviceLevel?: number | null;
  earlyMedia?: boolean | null;
  codecs?: string[] | null;
  variables?: Record<string, string> | null;
  dialListEndAction?: DialListEndAction | null;
  numberStrategy?: NumberStrategy | null;
  maxConcurrentCalls?: number | null;
  trunkMaxChannels?: number | null;
  targetAbandonPercent?: number | null;
  maxAbandonPercent?: number | null;
  warmUpAttempts?: number | null;
  amd?: AmdInput | null;
  retryMachine?: boolean | null;
  machineMessage?: string | null;
  recordCalls?: boolean | null;
  sipHeaders?: boolean | null;
  wrapUpSec?: number | null;
  minTalkSec?: number | null;
  retryAbandoned?: boolean | null;
  waitForResult?: boolean | null;
  waitForResultSec?: number | null;
  trunks?: PlanTrunkInput[] | null;
  /** Replaces the plan's number types when given; null or empty: none. */
  numberTypes?: PlanNumberTypeInput[] | null;
};

/** One of a plan's trunks, in the order given: the numbers it takes (a regular expression; none: all). */
export type PlanTrunkInput = { trunkId: string; numberPattern?: string | null };

/** More would be a routing table, not a plan's way out. */
const MAX_TRUNKS = 16;

/** A plan's answering-machine detection, Asterisk's AMD() settings by amd.conf's names. */
export type AmdInput = {
  enabled?: boolean | null;
  initialSilenceMs?: number | null;
  greetingMs?: number | null;
  afterGreetingSilenceMs?: number | null;
  totalAnalysisTimeMs?: number | null;
  minWordLengthMs?: number | null;
  betweenWordsSilenceMs?: number | null;
  maximumNumberOfWords?: number | null;
  silenceThreshold?: number | null;
  maximumWordLengthMs?: number | null;
  allowNotSure?: boolean | null;
};

/** Each AMD setting's column: the plan keeps them flat, prefixed amd. */
export const AMD_COLUMNS = {
  enabled: 'amdEnabled',
  initialSilenceMs: 'amdInitialSilenceMs',
  greetingMs: 'amdGreetingMs',
  afterGreetingSilenceMs: 'amdAfterGreetingSilenceMs',
  totalAnalysisTimeMs: 'amdTotalAnalysisTimeMs',
  minWordLengthMs: 'amdMinWordLengthMs',
  betweenWordsSilenceMs: 'amdBetweenWordsSilenceMs',
  maximumNumberOfWords: 'amdMaximumNumberOfWords',
  silenceThreshold: 'amdSilenceThreshold',
  maximumWordLengthMs: 'amdMaximumWordLengthMs',
  allowNotSure: 'amdAllowNotSure',
} as const satisfies Record<keyof AmdInput, keyof Plan>;

const AMD_MS_FIELDS = ['initialSilenceMs', 'greetingMs', 'afterGreetingSilenceMs', 'totalAnalysisTimeMs', 'minWordLengthMs', 'betweenWordsSilenceMs', 'maximumWordLengthMs'] as const;

/** The plan columns the AMD settings given set; a null puts one back to its default (left out). */
function amdColumns(amd: AmdInput | null | undefined): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  for (const [name, column] of Object.entries(AMD_COLUMNS)) {
    const value = amd?.[name as keyof AmdInput];
    if (value !== undefined && value !== null) columns[column] = value;
  }
  return columns;
}

/** Checks a plan input (all of it on create, what is given on update) and returns Prisma data. */
function planData(input: PlanInput, existing: Plan | null): { data: Prisma.PlanUncheckedCreateInput; routes: PlanRoute[] | undefined; numberTypes: NumberTypeRow[] | undefined } {
  const problems = new Problems();
  const name = text(problems, 'name', input.name, { required: !existing || input.name !== undefined, max: 100 });
  const detail = text(problems, 'detail', input.detail, { max: 1000 });
  const techName = text(problems, 'techName', input.techName, { max: 40 });
  if (techName && !TECH_NAME.test(techName)) problems.add('techName', 'must be a channel technology such as PJSIP, SIP or Local');
  const trunkName = text(problems, 'trunkName', input.trunkName, { max: 100 });
  const trunkNameProblem = trunkName ? endpointNameProblem(trunkName) : null;
  if (trunkNameProblem) problems.add('trunkName', trunkNameProblem);
  const dialStringTemplate = text(problems, 'dialStringTemplate', input.dialStringTemplate, { max: 200 });
  const templateProblem = dialStringTemplate ? dialStringTemplateProblem(dialStringTemplate, ['{tech}', '{trunk}']) : null;
  if (templateProblem) problems.add('dialStringTemplate', templateProblem);
  const callerId = text(problems, 'callerId', input.callerId, { max: 100 });
  integer(problems, 'dialTimeoutMs', input.dialTimeoutMs, { min: 1000, max: 600_000 });
  integer(problems, 'retryDelaySec', input.retryDelaySec, { min: 0, max: 30 * 86_400 });
  if (input.maxRetries) {
    if (input.maxRetries.length !== NUMBER_SLOTS) problems.add('maxRetries', `must give ${NUMBER_SLOTS} values, one per number slot`);
    input.maxRetries.forEach((value, slot) => integer(problems, `maxRetries[${slot}]`, value, { min: 0, max: 1000 }));
  }
  integer(problems, 'serviceLevel', input.serviceLevel, { min: -1000, max: 1000 });
  input.codecs?.forEach((codec, index) => {
    if (!/^[a-z0-9_]{1,20}$/i.test(codec)) problems.add(`codecs[${index}]`, 'must be a codec name such as ulaw or g722');
  });
  variables(problems, 'variables', input.variables ?? undefined);
  integer(problems, 'maxConcurrentCalls', input.maxConcurrentCalls, { min: 1, max: 100_000 });
  integer(problems, 'trunkMaxChannels', input.trunkMaxChannels, { min: 1, max: 100_000 });
  const trunkMaxChannels = input.trunkMaxChannels === undefined ? existing?.trunkMaxChannels : input.trunkMaxChannels;
  if (trunkMaxChannels != null && !(input.trunkName === undefined ? existing?.trunkName : trunkName)) {
    problems.add('trunkMaxChannels', 'needs the trunkName whose channels it counts');
  }
  decimal(problems, 'targetAbandonPercent', input.targetAbandonPercent, { min: 0, max: 100 });
  decimal(problems, 'maxAbandonPercent', input.maxAbandonPercent, { min: 0, max: 100 });
  const target = input.targetAbandonPercent ?? existing?.targetAbandonPercent;
  const max = input.maxAbandonPercent ?? existing?.maxAbandonPercent;
  if (target !== undefined && max !== undefined && target > max) {
    problems.add('targetAbandonPercent', `must not exceed maxAbandonPercent (${max})`);
  }
  integer(problems, 'warmUpAttempts', input.warmUpAttempts, { min: 0, max: 1_000_000 });
  for (const field of AMD_MS_FIELDS) integer(problems, `amd.${field}`, input.amd?.[field], { min: 0, max: 60_000 });
  integer(problems, 'amd.maximumNumberOfWords', input.amd?.maximumNumberOfWords, { min: 1, max: 100 });
  integer(problems, 'amd.silenceThreshold', input.amd?.silenceThreshold, { min: 0, max: 32_767 });
  const machineMessage = text(problems, 'machineMessage', input.machineMessage, { max: 200 });
  const messageProblem = machineMessage ? soundFilesProblem(machineMessage) : null;
  if (messageProblem) problems.add('machineMessage', messageProblem);
  const amdEnabled = input.amd?.enabled ?? existing?.amdEnabled ?? false;
  if ((input.machineMessage === undefined ? existing?.machineMessage : machineMessage) && !amdEnabled) {
    problems.add('machineMessage', 'needs amd.enabled: only AMD tells a machine from a person');
  }
  integer(problems, 'wrapUpSec', input.wrapUpSec, { min: 0, max: 3600 });
  integer(problems, 'minTalkSec', input.minTalkSec, { min: 0, max: 3600 });
  integer(problems, 'waitForResultSec', input.waitForResultSec, { min: 1, max: 7 * 86_400 });
  const { amd, trunks, numberTypes: givenTypes, ...flat } = input;
  const routes = trunkRoutes(problems, trunks, input, existing);
  const numberTypes = numberTypeRows(problems, givenTypes);
  problems.throwIfAny('plan');

  // A null for a field with a default means "back to the default" on update, so it is left out.
  const data: Record<string, unknown> = {
    ...withoutNulls(flat),
    ...amdColumns(amd),
    name: name ?? undefined,
    detail,
    techName: techName ?? undefined,
    trunkName,
    dialStringTemplate,
    callerId,
    machineMessage,
    maxConcurrentCalls: input.maxConcurrentCalls,
    trunkMaxChannels: input.trunkMaxChannels,
  };
  return { data: data as Prisma.PlanUncheckedCreateInput, routes, numberTypes };
}

type PlanRoute = { position: number; trunkId: string; numberPattern: string | null };

/**
 * The plan's trunks as given (undefined: left as they are). With trunks, the plan's own way out (trunkName,
 * dialStringTemplate, trunkMaxChannels) must be empty: a plan dials one way or the other, never both.
 */
function trunkRoutes(problems: Problems, given: PlanTrunkInput[] | null | undefined, input: PlanInput, existing: Plan | null): PlanRoute[] | undefined {
  if (given === undefined) return undefined;
  const trunks = given ?? [];
  if (trunks.length > MAX_TRUNKS) problems.add('trunks', `must list at most ${MAX_TRUNKS} trunks`);
  const routes = trunks.map((trunk, position) => {
    const numberPattern = text(problems, `trunks[${position}].numberPattern`, trunk.numberPattern, { max: 200 }) ?? null;
    const problem = numberPattern === null ? null : numberPatternProblem(numberPattern);
    if (problem) problems.add(`trunks[${position}].numberPattern`, problem);
    return { position, trunkId: trunk.trunkId, numberPattern };
  });
  if (routes.length > 0) {
    for (const field of ['trunkName', 'dialStringTemplate', 'trunkMaxChannels'] as const) {
      const value = input[field] === undefined ? existing?.[field] : input[field];
      if (value !== null && value !== undefined) problems.add(field, 'must be empty on a plan that dials through trunks: set it on the trunk');
    }
  }
  return routes;
}

/** Every trunk a plan routes to must be a live one. */
async function checkTrunks(prisma: Prisma.TransactionClient, routes: PlanRoute[]): Promise<void> {
  const ids = [...new Set(routes.map((route) => route.trunkId))];
  const live = new Set((await prisma.trunk.findMany({ where: { id: { in: ids }, inUse: true }, select: { id: true } })).map((trunk) => trunk.id));
  const missing = ids.find((id) => !live.has(id));
  if (missing !== undefined) throw new NotFoundError('Trunk', missing);
}

/** Replaces the plan's number types with these, their windows with them. */
async function writeNumberTypes(tx: Prisma.TransactionClient, planId: string, types: NumberTypeRow[]): Promise<void> {
  // Their windows go with them (ON DELETE CASCADE).
  await tx.planNumberType.deleteMany({ where: { planId } });
  for (const { windows, ...type } of types) {
    await tx.planNumberType.create({ data: { ...type, planId, windows: { createMany: { data: windows } } } });
  }
}

function withoutNulls<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null)) as Partial<T>;
}

export async function createPlan(prisma: PrismaClient, input: PlanInput): Promise<Plan> {
  const { data, routes, numberTypes } = planData(input, null);
  return prisma.$transaction(async (tx) => {
    if (routes) await checkTrunks(tx, routes);
    const plan = await tx.plan.create({ data: routes ? { ...data, trunks: { createMany: { data: routes } } } : data });
    if (numberTypes) await writeNumberTypes(tx, plan.id, numberTypes);
    return plan;
  });
}

export async function findLivePlan(prisma: PrismaClient, id: string): Promise<Plan> {
  const plan = await prisma.plan.findUnique({ where: { id } });
  if (!plan || !plan.inUse) throw new NotFoundError('Plan', id);
  return plan;
}

export async function updatePlan(prisma: PrismaClient, id: string, input: PlanInput): Promise<Plan> {
  const existing = await findLivePlan(prisma, id);
  if (input.name === null) throw ValidationError.of('name', 'cannot be cleared');
  const { data, routes, numberTypes } = planData(input, existing);
  return prisma.$transaction(async (tx) => {
    if (routes) {
      await checkTrunks(tx, routes);
      await tx.planTrunk.deleteMany({ where: { planId: id } });
      await tx.planTrunk.createMany({ data: routes.map((route) => ({ ...route, planId: id })) });
    }
    if (numberTypes) await writeNumberTypes(tx, id, numberTypes);
    // Set by hand: a change to its number types alone is a change of the plan too.
    return tx.plan.update({ where: { id }, data: numberTypes ? { ...data, updatedAt: new Date() } : data });
  });
}

/** Soft-deletes a plan; with campaigns still using it, only with `force`, which deletes them too. */
export async function deletePlan(prisma: PrismaClient, id: string, force: boolean): Promise<Plan> {
  const plan = await findLivePlan(prisma, id);
  return deleteUsedByCampaigns(prisma, `Plan "${plan.name}"`, { planId: id }, force, (tx, now) =>
    tx.plan.update({ where: { id }, data: { inUse: false, deletedAt: now } }),
  );
}
