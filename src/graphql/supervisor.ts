import type { InputObjectRef } from '@pothos/core';
import { roleAtLeast } from '../auth/roles.js';
import { ForbiddenError, PbxRefusedError, PbxUnavailableError, ValidationError } from '../errors.js';
import { hangupChannel, parkCall, redirectChannel } from '../supervisor/channelCommands.js';
import { originateCall, spyModes, spyOnChannel, type OriginatedCall } from '../supervisor/originate.js';
import { logOffAgent, addQueueMember, pauseQueueMember, removeQueueMember } from '../supervisor/queueCommands.js';
import { ringEndpoint } from '../supervisor/ringEndpoint.js';
import type { CommandResult, Pbxs } from '../supervisor/send.js';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { ErrorInterface } from './errors.js';

/** Supervisor mutations: each one real AMI action on one PBX, answered with how the PBX took it. */

builder.objectType(PbxRefusedError, {
  name: 'PbxRefusedError',
  description: 'The PBX refused the action (e.g. "No such channel"); nothing changed.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    server: t.exposeString('server'),
    action: t.exposeString('action', { description: 'The AMI action, e.g. Hangup.' }),
    asteriskMessage: t.exposeString('asteriskMessage', { description: "Asterisk's reason, as it wrote it." }),
  }),
});

builder.objectType(PbxUnavailableError, {
  name: 'PbxUnavailableError',
  description: 'The PBX could not be asked (no AMI connection, or no worker answered in time). The action was not sent.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ server: t.exposeString('server') }),
});

const CommandResultRef = builder.objectRef<CommandResult>('PbxCommandResult').implement({
  description: 'The PBX took the action.',
  fields: (t) => ({
    server: t.exposeString('server'),
    action: t.exposeString('action', { description: 'The AMI action sent.' }),
    message: t.exposeString('message', { description: "Asterisk's answer, e.g. 'Channel Hungup'." }),
  }),
});

const OriginatedCallRef = builder.objectRef<OriginatedCall>('OriginatedCall').implement({
  description: 'A call Asterisk queued: its channels appear in channelEvents under these uniqueids.',
  fields: (t) => ({
    server: t.exposeString('server'),
    action: t.exposeString('action', { description: 'Originate.' }),
    message: t.exposeString('message', { description: "Asterisk's answer, e.g. 'Originate successfully queued'." }),
    uniqueid: t.exposeString('uniqueid', { description: 'The channel that rings the endpoint.' }),
    otherUniqueid: t.exposeString('otherUniqueid', { description: "The other half's, when the endpoint is a Local channel (;2)." }),
  }),
});

const SpyModeEnum = builder.enumType('SpyMode', {
  description: 'LISTEN hears both parties; WHISPER also talks to the spied channel alone; BARGE talks to both.',
  values: spyModes,
});

type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer Types> ? Types : never;

const commandErrors = { types: [ValidationError, ForbiddenError, PbxRefusedError, PbxUnavailableError] };
const serverArg = 'The PBX server, by the name live queries show.';

function pbxsOf(context: Context): Pbxs {
  return { actions: context.actions, servers: () => context.store.servers() };
}

/** The calling user's own endpoint; API tokens have none. */
async function ownEndpoint(context: Context): Promise<string | null> {
  if (context.viewer?.kind !== 'user') return null;
  const user = await context.prisma.user.findUnique({ where: { id: context.viewer.id }, select: { endpoint: true } });
  return user?.endpoint ?? null;
}

const HangupChannelInput = builder.inputType('HangupChannelInput', {
  fields: (t) => ({
    server: t.string({ required: true, description: serverArg }),
    channel: t.string({ required: true, description: 'The exact channel name (no patterns).' }),
    cause: t.int({ description: 'Q.850 cause, 1-127. Default 16 (normal clearing).' }),
  }),
});

const RedirectChannelInput = builder.inputType('RedirectChannelInput', {
  fields: (t) => ({
    server: t.string({ required: true, description: serverArg }),
    channel: t.string({ required: true }),
    context: t.string({ required: true }),
    exten: t.string({ required: true }),
    priority: t.int({ description: 'Default 1.' }),
    extraChannel: t.string({ description: 'The other party, moved to the same place at once.' }),
  }),
});

const OriginateCallInput = builder.inputType('OriginateCallInput', {
  fields: (t) => ({
    server: t.string({ required: true, description: serverArg }),
    endpoint: t.string({ description: "Rung first; the caller's own endpoint when absent." }),
    context: t.string({ description: 'Where the answered endpoint goes (outbound routing); with exten, instead of application.' }),
    exten: t.string({ description: 'The number (extension) to call.' }),
    priority: t.int({ description: 'Default 1.' }),
    application: t.string({
      description: 'Instead of context/exten: an application the answered endpoint runs, one DIALPLAN_APPLICATIONS allows (Wait keeps an agent logged in: endpoint Local/1001@agent-login/n).',
    }),
    data: t.string({ description: "The application's arguments, e.g. 28800 for Wait." }),
    callerId: t.string({ description: 'Shown on the endpoint, e.g. "Sales" <100>.' }),
    ringSec: t.int({ description: 'How long the endpoint rings. Default 30.' }),
    variables: t.field({ type: 'Variables', description: 'Channel variables, escaped as Asterisk reads them: commas and quotes arrive as written.' }),
  }),
});

const ParkCallInput = builder.inputType('ParkCallInput', {
  fields: (t) => ({
    server: t.string({ required: true, description: serverArg }),
    channel: t.string({ required: true }),
    parkingLot: t.string({ description: "The PBX's default lot when absent." }),
    timeoutSec: t.int({ description: "The lot's parking time when absent." }),
    timeoutChannel: t.string({ description: 'Called back when the parked call times out.' }),
  }),
});

const SpyOnChannelInput = builder.inputType('SpyOnChannelInput', {
  fields: (t) => ({
    server: t.string({ required: true, description: serverArg }),
    channel: t.string({ required: true, description: 'The channel to listen to, by its exact name.' }),
    mode: t.field({ type: SpyModeEnum, required: true }),
    endpoint: t.string({ description: "The supervisor's phone; their own when absent (another's needs ADMIN)." }),
  }),
});

const AddQueueMemberInput = builder.inputType('AddQueueMemberInput', {
  fields: (t) => ({
    server: t.string({ required: true, description: serverArg }),
    queue: t.string({ required: true }),
    interface: t.string({ required: true, description: 'As the queue dials it: PJSIP/2001, Local/1001@agent-request.' }),
    memberName: t.string(),
    penalty: t.int({ description: '0-1000; lower is offered calls first.' }),
    paused: t.boolean(),
    stateInterface: t.string({ description: 'The device whose state the queue follows (Agent:1001 for a Local member).' }),
  }),
});

const RemoveQueueMemberInput = builder.inputType('RemoveQueueMemberInput', {
  fields: (t) => ({
    server: t.string({ required: true, description: serverArg }),
    queue: t.string({ required: true }),
    interface: t.string({ required: true }),
  }),
});

const PauseQueueMemberInput = builder.inputType('PauseQueueMemberInput', {
  fields: (t) => ({
    server: t.string({ required: true, description: serverArg }),
    queue: t.string({ description: 'Every queue the interface is in when absent.' }),
    interface: t.string({ required: true }),
    paused: t.boolean({ required: true }),
    reason: t.string({ description: 'Why (lunch, training); shown with the member.' }),
  }),
});

const LogOffAgentInput = builder.inputType('LogOffAgentInput', {
  fields: (t) => ({
    server: t.string({ required: true, description: serverArg }),
    agent: t.string({ required: true, description: 'The agent id, as in agents.conf.' }),
    soft: t.boolean({ description: 'Wait for the call the agent is on to end. Default false.' }),
  }),
});

builder.mutationFields((t) => {
  const command = <Input extends object>(
    input: InputObjectRef<BuilderTypes, Input>,
    description: string,
    run: (pbxs: Pbxs, input: Input) => Promise<CommandResult>,
  ) =>
    t.field({
      type: CommandResultRef,
      authScopes: { role: 'SUPERVISOR' },
      errors: commandErrors,
      description,
      args: { input: t.arg({ type: input, required: true }) },
      // The ref ties Input to the input type's fields; TypeScript cannot follow Pothos' argument mapping generically.
      resolve: (_root, args, context) => run(pbxsOf(context), (args as { input: Input }).input),
    });
  return {
    hangupChannel: command(HangupChannelInput, 'Hangs up one channel (AMI Hangup).', hangupChannel),
    redirectChannel: command(RedirectChannelInput, 'Sends a channel, and optionally its peer, elsewhere in the dialplan (AMI Redirect).', redirectChannel),
    parkCall: command(ParkCallInput, 'Parks a channel in a parking lot (AMI Park).', parkCall),
    addQueueMember: command(AddQueueMemberInput, 'Adds a dynamic member to a queue (AMI QueueAdd).', addQueueMember),
    removeQueueMember: command(RemoveQueueMemberInput, 'Removes a dynamic member from a queue (AMI QueueRemove).', removeQueueMember),
    pauseQueueMember: command(PauseQueueMemberInput, 'Pauses or unpauses a queue member, with a reason (AMI QueuePause).', pauseQueueMember),
    logOffAgent: command(LogOffAgentInput, 'Logs an app_agent_pool agent off (AMI AgentLogoff).', logOffAgent),
    originateCall: t.field({
      type: OriginatedCallRef,
      authScopes: { role: 'SUPERVISOR' },
      errors: commandErrors,
      description: 'Click to call: rings an endpoint (yours by default), then connects it to context/exten (AMI Originate, async).',
      args: { input: t.arg({ type: OriginateCallInput, required: true }) },
      resolve: async (_root, args, context) => {
        const endpoint = ringEndpoint(args.input.endpoint, await ownEndpoint(context), true);
        return originateCall(pbxsOf(context), { ...args.input, endpoint, variables: args.input.variables }, context.applications);
      },
    }),
    spyOnChannel: t.field({
      type: OriginatedCallRef,
      authScopes: { role: 'SUPERVISOR' },
      errors: commandErrors,
      description: 'Rings your endpoint and, once answered, listens, whispers or barges into a channel (ChanSpy).',
      args: { input: t.arg({ type: SpyOnChannelInput, required: true }) },
      resolve: async (_root, args, context) => {
        const mayRingOthers = context.viewer !== null && roleAtLeast(context.viewer.role, 'ADMIN');
        const endpoint = ringEndpoint(args.input.endpoint, await ownEndpoint(context), mayRingOthers);
        return spyOnChannel(pbxsOf(context), { ...args.input, endpoint });
      },
    }),
  };
});
