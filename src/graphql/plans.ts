import { DialListEndAction, DialMode, NumberStrategy } from '../generated/prisma/enums.js';
import type { Plan } from '../generated/prisma/client.js';
import { AMD_COLUMNS, createPlan, deletePlan, updatePlan } from '../outbound/plans.js';
import { builder } from './builder.js';
import { NamedFilter, namedWhere, NEWEST_FIRST } from './filters.js';
import { localId } from './ids.js';
import { EDIT_ERRORS, GUARDED_ERRORS } from './errorSets.js';
import { connectionOf } from './connections.js';
import { PlanTrunkInput } from './trunks.js';

const DialModeEnum = builder.enumType(DialMode, {
  name: 'DialMode',
  description:
    "How members are dialed: PREDICTIVE over-dials to keep agents busy, PROGRESSIVE one call per free seat, PREVIEW lets an agent see the member first, BROADCAST (agentless) fills the plan's and its trunks' limits with calls that each run the destination (a message, an IVR), NONE dials nothing.",
  values: {
    PREDICTIVE: { description: "Over-dials by the agents about to free, within the plan's maximum abandon rate." },
    PROGRESSIVE: { description: 'One call per free seat of the destination queue.' },
    PREVIEW: { description: 'An agent reserves a member, sees it, then dials it.' },
    BROADCAST: {
      description:
        "Agentless: as many calls as maxConcurrentCalls and the trunks' maxChannels leave room for, at the trunks' and the PBX's originate pace; no abandon rule (no agent is waited for: a caller it puts in a queue is never counted abandoned). With amd.enabled and a machineMessage, a machine is left the message, as in any mode.",
    },
    NONE: { description: 'Places no call by itself.' },
  },
});
const DialListEndActionEnum = builder.enumType(DialListEndAction, {
  name: 'DialListEndAction',
  description: 'What a campaign does when its list has no one left to dial (jade dl_end_handle).',
});

const NumberStrategyEnum = builder.enumType(NumberStrategy, {
  name: 'NumberStrategy',
  description: "Which of a member's numbers is dialed next: BY_PRIORITY moves on to the least-tried number, TOP_DOWN uses the first number's tries up before the next.",
});

export const PlanRef = builder.prismaNode('Plan', {
  nullable: true,
  description: 'How and when to dial (jade plan): trunk, pacing, retries, caller id, AMD.',
  id: { field: 'id' },
  authScopes: { role: 'VIEWER' },
  fields: (t) => ({
    name: t.exposeString('name'),
    detail: t.exposeString('detail', { nullable: true }),
    dialMode: t.expose('dialMode', { type: DialModeEnum }),
    techName: t.exposeString('techName'),
    trunkName: t.exposeString('trunkName', { nullable: true }),
    dialStringTemplate: t.exposeString('dialStringTemplate', { nullable: true }),
    dialTimeoutMs: t.exposeInt('dialTimeoutMs'),
    retryDelaySec: t.exposeInt('retryDelaySec'),
    maxRetries: t.exposeIntList('maxRetries', { description: 'Max tries of number slots 1..8.' }),
    callerId: t.exposeString('callerId', { nullable: true }),
    serviceLevel: t.exposeInt('serviceLevel'),
    earlyMedia: t.exposeBoolean('earlyMedia'),
    codecs: t.exposeStringList('codecs'),
    variables: t.expose('variables', { type: 'Variables' }),
    dialListEndAction: t.expose('dialListEndAction', { type: DialListEndActionEnum }),
    numberStrategy: t.expose('numberStrategy', { type: NumberStrategyEnum }),
    maxConcurrentCalls: t.exposeInt('maxConcurrentCalls', { nullable: true }),
    trunkMaxChannels: t.exposeInt('trunkMaxChannels', {
      nullable: true,
      description: "Channels the trunk carries at once, counting all its traffic as the live state shows it; null: no limit.",
    }),
    targetAbandonPercent: t.exposeFloat('targetAbandonPercent'),
    maxAbandonPercent: t.exposeFloat('maxAbandonPercent'),
    warmUpAttempts: t.exposeInt('warmUpAttempts'),
    amd: t.field({ type: AmdSettingsRef, description: 'Answering-machine detection on answered calls.', resolve: (plan) => plan }),
    retryMachine: t.exposeBoolean('retryMachine', { description: 'Dial a member again after AMD judged its answer a machine (not when it took the whole machineMessage).' }),
    machineMessage: t.exposeString('machineMessage', {
      nullable: true,
      description: 'Sound files (a&b, no extension) played to an answering machine after its beep, AMD having judged it one; null: a machine is hung up on.',
    }),
    abandonLimitApplies: t.boolean({
      description:
        "Whether maxAbandonPercent bounds its pacing: PREDICTIVE only. PROGRESSIVE and PREVIEW place a call only for a free agent, and a BROADCAST waits for no agent, so none of their answered calls is abandoned.",
      resolve: (plan) => plan.dialMode === 'PREDICTIVE',
    }),
    recordCalls: t.exposeBoolean('recordCalls', { description: 'Record answered calls with MixMonitor (the README gives the dialplan).' }),
    sipHeaders: t.exposeBoolean('sipHeaders', {
      description: "Send the member's and its list's variables as X-<name> SIP headers (PJSIP_HEADER) on calls through PJSIP trunks (jade's UUI delivery); through a Local channel the dialplan has them as channel variables.",
    }),
    wrapUpSec: t.exposeInt('wrapUpSec'),
    minTalkSec: t.exposeInt('minTalkSec', { description: 'An answered call counts as a success only with this much talk (Webitel minBillSec); shorter ones are retried.' }),
    retryAbandoned: t.exposeBoolean('retryAbandoned', { description: 'Dial a member again after its answered call got no agent (Webitel retryAbandoned).' }),
    waitForResult: t.exposeBoolean('waitForResult', { description: 'After a connected call the member waits for settleMember before it is dialed again (Webitel waitForResultStatus).' }),
    waitForResultSec: t.exposeInt('waitForResultSec', { description: "How long a member waits for its result; then the plan's own retry stands." }),
    inUse: t.exposeBoolean('inUse', { description: 'False once deleted (jade in_use).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    deletedAt: t.expose('deletedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.prismaObject('PlanNumberType', {
  description: "A type of member number (MemberNumber.type) the plan dials by its own rules (Webitel communication types): its tries instead of the slot's, its priority before the number's own, its hours.",
  authScopes: { role: 'VIEWER' },
  fields: (t) => ({
    code: t.exposeString('code', { description: "The member numbers' type it applies to (mobile, home, or a code)." }),
    name: t.exposeString('name'),
    maxTries: t.exposeInt('maxTries', { description: "Tries of each number of this type, instead of its slot's maxRetries." }),
    priority: t.exposeInt('priority', { description: "Higher is tried first, before the number's own priority; numbers of no type the plan defines count as 0." }),
    windows: t.relation('windows', {
      description: "When its numbers are called, in the member's time zone (else the campaign's); none: at any time. Outside them the member's other numbers are tried.",
      query: { orderBy: { start: 'asc' } },
    }),
  }),
});

builder.prismaObject('PlanNumberTypeWindow', {
  description: 'A weekly window a number type is called in.',
  authScopes: { role: 'VIEWER' },
  fields: (t) => ({
    weekdays: t.exposeIntList('weekdays', { description: '0 = Sunday .. 6 = Saturday, as a campaign counts them; empty means every day.' }),
    start: t.exposeString('start', { description: 'HH:MM, 24 h.' }),
    end: t.exposeString('end', { description: 'HH:MM, or 24:00; before start, the window crosses midnight into the next day.' }),
  }),
});

builder.prismaObjectField('Plan', 'numberTypes', (t) =>
  t.relation('numberTypes', { description: 'Its rules for numbers of these types, by code; other numbers follow their slot.', query: { orderBy: { code: 'asc' } } }),
);

const PlanNumberTypeWindowInput = builder.inputType('PlanNumberTypeWindowInput', {
  fields: (t) => ({
    weekdays: t.intList({ description: '0 = Sunday .. 6 = Saturday; empty or left out: every day.' }),
    start: t.string({ required: true, description: 'HH:MM, 24 h.' }),
    end: t.string({ required: true, description: 'HH:MM, or 24:00; before start, it ends the next day (22:00-02:00).' }),
  }),
});

const PlanNumberTypeInput = builder.inputType('PlanNumberTypeInput', {
  fields: (t) => ({
    code: t.string({ required: true, description: "The member numbers' type it applies to; each code once." }),
    name: t.string({ required: true }),
    maxTries: t.int({ required: true }),
    priority: t.int({ description: 'Default 0.' }),
    windows: t.field({ type: [PlanNumberTypeWindowInput], description: 'None: at any time.' }),
  }),
});

type AmdColumns = Pick<Plan, (typeof AMD_COLUMNS)[keyof typeof AMD_COLUMNS]>;

const AmdSettingsRef = builder.objectRef<AmdColumns>('AmdSettings').implement({
  description: "Asterisk's AMD() settings for a plan's answered calls, by amd.conf's names.",
  fields: (t) => ({
    enabled: t.exposeBoolean(AMD_COLUMNS.enabled),
    initialSilenceMs: t.exposeInt(AMD_COLUMNS.initialSilenceMs),
    greetingMs: t.exposeInt(AMD_COLUMNS.greetingMs),
    afterGreetingSilenceMs: t.exposeInt(AMD_COLUMNS.afterGreetingSilenceMs),
    totalAnalysisTimeMs: t.exposeInt(AMD_COLUMNS.totalAnalysisTimeMs),
    minWordLengthMs: t.exposeInt(AMD_COLUMNS.minWordLengthMs),
    betweenWordsSilenceMs: t.exposeInt(AMD_COLUMNS.betweenWordsSilenceMs),
    maximumNumberOfWords: t.exposeInt(AMD_COLUMNS.maximumNumberOfWords),
    silenceThreshold: t.exposeInt(AMD_COLUMNS.silenceThreshold),
    maximumWordLengthMs: t.exposeInt(AMD_COLUMNS.maximumWordLengthMs),
    allowNotSure: t.exposeBoolean(AMD_COLUMNS.allowNotSure, { description: 'A NOTSURE verdict goes to the destination as a person would.' }),
  }),
});

const AmdSettingsInput = builder.inputType('AmdSettingsInput', {
  description: 'What is left out, or null, keeps its value (its default on create).',
  fields: (t) => ({
    enabled: t.boolean(),
    initialSilenceMs: t.int(),
    greetingMs: t.int(),
    afterGreetingSilenceMs: t.int(),
    totalAnalysisTimeMs: t.int(),
    minWordLengthMs: t.int(),
    betweenWordsSilenceMs: t.int(),
    maximumNumberOfWords: t.int(),
    silenceThreshold: t.int(),
    maximumWordLengthMs: t.int(),
    allowNotSure: t.boolean(),
  }),
});

function planInputType(name: string, creating: boolean) {
  return builder.inputType(name, {
    fields: (t) => ({
      name: t.string({ required: creating }),
      detail: t.string(),
      dialMode: t.field({ type: DialModeEnum, description: 'Default PROGRESSIVE.' }),
      techName: t.string({ description: 'Channel technology, default PJSIP.' }),
      trunkName: t.string({ description: 'Trunk (endpoint) dialed through: tech/number@trunk.' }),
      dialStringTemplate: t.string({ description: 'Overrides tech/trunk, e.g. Local/{number}@customers.' }),
      dialTimeoutMs: t.int({ description: 'Ringing timeout, default 30000.' }),
      retryDelaySec: t.int({ description: 'Seconds before a member is tried again, default 60.' }),
      maxRetries: t.intList({ description: 'Eight values, max tries of number slots 1..8 (default 5 each).' }),
      callerId: t.string({ description: 'e.g. "Sales" <5550000>.' }),
      serviceLevel: t.int({ description: 'Added to the available-call formula (jade service_level), default 0.' }),
      earlyMedia: t.boolean(),
      codecs: t.stringList(),
      variables: t.field({ type: 'Variables' }),
      dialListEndAction: t.field({ type: DialListEndActionEnum, description: 'Default STOP_CAMPAIGN, as jade.' }),
      numberStrategy: t.field({ type: NumberStrategyEnum, description: 'Default BY_PRIORITY.' }),
      maxConcurrentCalls: t.int(),
      trunkMaxChannels: t.int({ description: 'Needs trunkName: live channels named TECH/trunkName-... count against it. Null: no limit.' }),
      targetAbandonPercent: t.float({ description: 'Percent, default 2.5.' }),
      maxAbandonPercent: t.float({ description: 'Percent, default 3.' }),
      warmUpAttempts: t.int({ description: 'Finished attempts before prediction starts, default 150.' }),
      amd: t.field({ type: AmdSettingsInput, description: 'Answering-machine detection.' }),
      retryMachine: t.boolean({ description: 'Default false: a machine answer finishes the member.' }),
      machineMessage: t.string({ description: 'Needs amd.enabled. Sound files under the PBX\'s sounds folder, several joined by "&" (custom/offer&vm-goodbye). Null: none.' }),
      recordCalls: t.boolean({ description: 'Default false.' }),
      sipHeaders: t.boolean({ description: 'Default false.' }),
      wrapUpSec: t.int(),
      minTalkSec: t.int({ description: 'Default 0: any answered call is a success.' }),
      retryAbandoned: t.boolean({ description: 'Default false.' }),
      waitForResult: t.boolean({ description: 'Default false.' }),
      waitForResultSec: t.int({ description: 'Default 300.' }),
      trunks: t.field({ type: [PlanTrunkInput], description: 'The trunks it dials through, in the order a call fails over in; replaces those it had. Empty: its own techName and trunkName.' }),
      numberTypes: t.field({ type: [PlanNumberTypeInput], description: 'Its rules per number type; replaces those it had. Empty: every number follows its slot.' }),
    }),
  });
}

const CreatePlanInput = planInputType('CreatePlanInput', true);

/** The API's input as the domain takes it: trunks named by their global ids. */
function planInput<T extends { trunks?: readonly { trunk: string | number; numberPattern?: string | null }[] | null }>(input: T) {
  const { trunks, ...rest } = input;
  if (trunks === undefined) return rest;
  return { ...rest, trunks: trunks === null ? null : trunks.map((trunk, index) => ({ trunkId: localId(String(trunk.trunk), 'Trunk', `trunks[${index}].trunk`), numberPattern: trunk.numberPattern })) };
}
const UpdatePlanInput = planInputType('UpdatePlanInput', false);

builder.queryField('plans', (t) =>
  t.prismaConnection(
    {
      type: 'Plan',
      cursor: 'id',
      authScopes: { role: 'VIEWER' },
      args: { filter: t.arg({ type: NamedFilter }) },
      totalCount: (_connection, args, context) => context.prisma.plan.count({ where: namedWhere(args.filter) }),
      resolve: (query, _root, args, context) =>
        context.prisma.plan.findMany({ ...query, where: namedWhere(args.filter), orderBy: NEWEST_FIRST }),
    },
    ...connectionOf('Plan'),
  ),
);

builder.mutationFields((t) => ({
  createPlan: t.field({
    type: PlanRef,
    authScopes: { role: 'SUPERVISOR' },
    errors: EDIT_ERRORS,
    description: 'Creates a plan; the trunks it names must exist and not be deleted.',
    args: { input: t.arg({ type: CreatePlanInput, required: true }) },
    resolve: (_root, args, context) => createPlan(context.prisma, planInput(args.input)),
  }),
  updatePlan: t.field({
    type: PlanRef,
    authScopes: { role: 'SUPERVISOR' },
    errors: EDIT_ERRORS,
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdatePlanInput, required: true }) },
    resolve: (_root, args, context) => updatePlan(context.prisma, localId(args.id, 'Plan'), planInput(args.input)),
  }),
  deletePlan: t.field({
    type: PlanRef,
    authScopes: { role: 'SUPERVISOR' },
    errors: GUARDED_ERRORS,
    description: 'Soft-deletes a plan. While live campaigns use it this is a ConflictError, unless force, which deletes them too.',
    args: { id: t.arg.id({ required: true }), force: t.arg.boolean({ defaultValue: false }) },
    resolve: (_root, args, context) => deletePlan(context.prisma, localId(args.id, 'Plan'), args.force ?? false),
  }),
}));
