import { topics } from '../bus/topics.js';
import { deviceStates, reachOf, type TrunkReach } from '../dialer/trunkReach.js';
import type { Trunk } from '../generated/prisma/client.js';
import { registrationOfEndpoint } from '../live/registrations.js';
import type { OutboundRegistration } from '../live/state.js';
import { createTrunk, deleteTrunk, updateTrunk } from '../outbound/trunks.js';
import type { Context } from './context.js';
import { changedItems } from './liveSnapshots.js';
import { builder } from './builder.js';
import { connectionOf } from './connections.js';
import { CREATE_ERRORS, EDIT_ERRORS, GUARDED_ERRORS } from './errorSets.js';
import { NamedFilter, namedWhere, NEWEST_FIRST } from './filters.js';
import { localId } from './ids.js';
import { OutboundRegistrationRef } from './liveTypes.js';

/** Trunks are the PBX's ways out: an ADMIN defines them, and a plan (SUPERVISOR) only picks among them. */

export const TrunkRef = builder.prismaNode('Trunk', {
  nullable: true,
  description: "A way out to the carriers, shared by the plans that route numbers to it (WombatDialer's trunk, Webitel's gateway).",
  id: { field: 'id' },
  authScopes: { role: 'VIEWER' },
  fields: (t) => ({
    name: t.exposeString('name'),
    detail: t.exposeString('detail', { nullable: true }),
    techName: t.exposeString('techName'),
    endpoint: t.exposeString('endpoint', { nullable: true, description: 'The endpoint its calls leave through: its channels (TECH/endpoint-...) count against maxChannels.' }),
    dialStringTemplate: t.exposeString('dialStringTemplate', { nullable: true, description: 'The Originate Channel, {number} replaced; null: TECH/{number}@endpoint.' }),
    maxChannels: t.exposeInt('maxChannels', { nullable: true, description: "Calls it carries at once, all its traffic counted (other campaigns', inbound); null: no limit." }),
    callerId: t.exposeString('callerId', { nullable: true, description: "Caller id of its calls, over the plan's." }),
    originatesPerSecond: t.exposeFloat('originatesPerSecond', { nullable: true, description: "Originates a second it is sent at most, within the PBX's own pace; null: no limit of its own." }),
    enabled: t.exposeBoolean('enabled', { description: 'A disabled trunk is passed over by every plan.' }),
    inUse: t.exposeBoolean('inUse'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    deletedAt: t.expose('deletedAt', { type: 'DateTime', nullable: true }),
  }),
});

type TrunkStatus = TrunkReach & { trunk: Trunk; server: string; registration: OutboundRegistration | null };

const TrunkStatusRef = builder.objectRef<TrunkStatus>('TrunkStatus').implement({
  description: "A trunk on one PBX: its endpoint, as its device state says (what the dialer routes by), and its outbound registration.",
  fields: (t) => ({
    trunk: t.field({ type: TrunkRef, resolve: (status) => status.trunk }),
    server: t.exposeString('server'),
    device: t.exposeString('device', { nullable: true, description: 'TECH/endpoint; null for a trunk dialed through a template without an endpoint.' }),
    deviceState: t.exposeString('state', { nullable: true, description: 'NOT_INUSE, INUSE, BUSY, UNAVAILABLE, INVALID...; null when the PBX never reported one.' }),
    reachable: t.exposeBoolean('reachable', {
      nullable: true,
      description: 'False when UNAVAILABLE (no contact answers its qualify) or INVALID (no such endpoint): the dialer routes around it, and a campaign whose every trunk is unreachable holds (TRUNKS_UNREACHABLE) until one is back. Null: not known.',
    }),
    registration: t.field({
      type: OutboundRegistrationRef,
      nullable: true,
      description:
        "Its PJSIP endpoint's outbound registration: the one whose endpoint option names it, else the one named as it; null when there is none. It is how the carrier reaches the PBX: the dialer's calls do not need it, so it does not change reachable.",
      resolve: (status) => status.registration,
    }),
  }),
});

/** The registration of a trunk's endpoint; only PJSIP (Asterisk's channel technology names ignore case) has them. */
function registrationOf(trunk: Trunk, registrations: readonly OutboundRegistration[]): OutboundRegistration | null {
  return trunk.endpoint !== null && trunk.techName.toUpperCase() === 'PJSIP' ? registrationOfEndpoint(registrations, trunk.endpoint) : null;
}

/** Each trunk's reach on each PBX the live state knows (`server`: that one only). */
async function trunkStatuses(context: Context, trunks: readonly Trunk[], server: string | null | undefined): Promise<TrunkStatus[]> {
  const servers = (await context.store.list('pbx', { server: server ?? undefined })).map((pbx) => pbx.server).sort();
  const statuses: TrunkStatus[] = [];
  for (const name of servers) {
    const [states, registrations] = await Promise.all([deviceStates(context.store, name), context.store.list('registration', { server: name })]);
    for (const trunk of trunks) statuses.push({ trunk, server: name, ...reachOf(trunk, states), registration: registrationOf(trunk, registrations) });
  }
  return statuses;
}

builder.prismaObjectField('Trunk', 'status', (t) =>
  t.field({
    type: [TrunkStatusRef],
    authScopes: { role: 'VIEWER' },
    description: 'Its endpoint on each PBX: device state, whether calls can be placed on it, and its outbound registration.',
    resolve: (trunk, _args, context) => trunkStatuses(context, [trunk], null),
  }),
);

builder.subscriptionField('trunkStatusEvents', (t) =>
  t.field({
    type: TrunkStatusRef,
    authScopes: { role: 'VIEWER' },
    description: "Every live trunk's status on each PBX as it is now, then each one again whenever it changes (its endpoint's device state or its registration), at most ten times a second.",
    args: { server: t.arg.string({ description: 'Only this PBX server.' }) },
    subscribe: (_root, args, context) =>
      changedItems({
        // A trunk added or changed shows with the next device or registration change: those are what move.
        sources: [context.bus.subscribe(topics.devices), context.bus.subscribe(topics.registrations)],
        read: async () => trunkStatuses(context, await context.prisma.trunk.findMany({ where: { inUse: true }, orderBy: { name: 'asc' } }), args.server),
        keyOf: (status) => `${status.server}\u0000${status.trunk.id}`,
        sameOf: ({ trunk, ...status }) => ({ ...status, trunk: trunk.id }),
      }),
    resolve: (status) => status,
  }),
);

builder.prismaObject('PlanTrunk', {
  description: "One of a plan's trunks: the numbers it takes, and its place in the order a failed call moves on in.",
  fields: (t) => ({
    position: t.exposeInt('position', { description: '0 first: a number goes to the first enabled trunk that takes it and has room.' }),
    trunk: t.relation('trunk'),
    numberPattern: t.exposeString('numberPattern', { nullable: true, description: 'A regular expression the number must match; null: every number.' }),
  }),
});

builder.prismaObjectField('Plan', 'trunks', (t) =>
  t.relation('trunks', {
    description: "The trunks it dials through, in order; empty: its own techName, trunkName and dialStringTemplate.",
    query: { orderBy: { position: 'asc' } },
  }),
);

function trunkInputType(name: string, creating: boolean) {
  return builder.inputType(name, {
    fields: (t) => ({
      name: t.string({ required: creating }),
      detail: t.string(),
      techName: t.string({ description: 'Channel technology of the endpoint, default PJSIP.' }),
      endpoint: t.string({ description: 'The endpoint (PJSIP endpoint, SIP peer) its calls leave through.' }),
      dialStringTemplate: t.string({ description: 'Overrides TECH/{number}@endpoint, e.g. Local/{number}@outbound: only {number} is replaced.' }),
      maxChannels: t.int({ description: 'Needs an endpoint to count other traffic on; without one only its own calls count.' }),
      callerId: t.string({ description: 'e.g. "Sales" <5550000>.' }),
      originatesPerSecond: t.float(),
      enabled: t.boolean({ description: 'Default true.' }),
    }),
  });
}

const CreateTrunkInput = trunkInputType('CreateTrunkInput', true);
const UpdateTrunkInput = trunkInputType('UpdateTrunkInput', false);

export const PlanTrunkInput = builder.inputType('PlanTrunkInput', {
  description: "One of a plan's trunks, in the order given.",
  fields: (t) => ({
    trunk: t.id({ required: true }),
    numberPattern: t.string({ description: 'A regular expression the number must match, e.g. ^9\\d{8}$; none: every number. Patterns that could take exponential time are refused.' }),
  }),
});

builder.queryField('trunks', (t) =>
  t.prismaConnection(
    {
      type: 'Trunk',
      cursor: 'id',
      authScopes: { role: 'VIEWER' },
      args: { filter: t.arg({ type: NamedFilter }) },
      totalCount: (_connection, args, context) => context.prisma.trunk.count({ where: namedWhere(args.filter) }),
      resolve: (query, _root, args, context) => context.prisma.trunk.findMany({ ...query, where: namedWhere(args.filter), orderBy: NEWEST_FIRST }),
    },
    ...connectionOf('Trunk'),
  ),
);

builder.mutationFields((t) => ({
  createTrunk: t.field({
    type: TrunkRef,
    authScopes: { role: 'ADMIN' },
    errors: CREATE_ERRORS,
    args: { input: t.arg({ type: CreateTrunkInput, required: true }) },
    resolve: (_root, args, context) => createTrunk(context.prisma, args.input),
  }),
  updateTrunk: t.field({
    type: TrunkRef,
    authScopes: { role: 'ADMIN' },
    errors: EDIT_ERRORS,
    description: 'Every plan routing to it dials by the change from its next call on.',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateTrunkInput, required: true }) },
    resolve: (_root, args, context) => updateTrunk(context.prisma, localId(args.id, 'Trunk'), args.input),
  }),
  deleteTrunk: t.field({
    type: TrunkRef,
    authScopes: { role: 'ADMIN' },
    errors: GUARDED_ERRORS,
    description: 'Soft-deletes a trunk. While live plans route to it this is a ConflictError naming them: take it out of them, or disable it.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, context) => deleteTrunk(context.prisma, localId(args.id, 'Trunk')),
  }),
}));
