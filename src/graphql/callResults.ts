import { encodeGlobalID } from '@pothos/plugin-relay';
import { ConflictError, ForbiddenError, NotFoundError, PbxRefusedError, PbxUnavailableError, ValidationError } from '../errors.js';
import { callResultOf, changeCallResult, dialingToHangUp, hangUpFailed, type CallResult, type CallResultChange, type ChangedCall } from '../outbound/callResults.js';
import { settleMember, terminateMember } from '../outbound/memberResult.js';
import { hangupChannel } from '../supervisor/channelCommands.js';
import type { CommandResult } from '../supervisor/send.js';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { localId } from './ids.js';
import { MemberRef } from './members.js';
import { EDIT_ERRORS, GUARDED_ERRORS } from './errorSets.js';

/** Steering a call and its member from outside: WombatDialer's extstatus and attributes, Webitel's call result, hanging up one dialing. */

const CallResultRef = builder.objectRef<ChangedCall & CallResult>('CallResult').implement({
  description: "A call's completion code and output attributes, on the live dialing or, once finished, on its attempt (same id).",
  fields: (t) => ({
    dialingId: t.id({ description: 'The Dialing while live; the CallAttempt once finished.', resolve: (call) => encodeGlobalID(call.finished ? 'CallAttempt' : 'Dialing', call.dialingId) }),
    finished: t.exposeBoolean('finished', { description: 'True when the call had ended: the change fired no reschedule rule.' }),
    completionCode: t.exposeString('completionCode', { nullable: true }),
    outputs: t.field({ type: 'JSON', description: "Output attributes (WombatDialer's O_*), names in lower case.", resolve: (call) => call.outputs }),
  }),
});

const DialingHangupRef = builder.objectRef<CommandResult>('DialingHangup').implement({
  description: 'The PBX took the Hangup of the dialing\'s channel; the attempt is recorded when its events arrive.',
  fields: (t) => ({
    server: t.exposeString('server'),
    message: t.exposeString('message', { description: "Asterisk's answer, e.g. 'Channel Hungup'." }),
  }),
});

/** A Dialing's id, or the CallAttempt's it became (the same database id). */
function dialingOrAttemptId(globalId: string): string {
  try {
    return localId(globalId, 'Dialing', 'dialingId');
  } catch {
    return localId(globalId, 'CallAttempt', 'dialingId');
  }
}

async function changed(context: Context, dialingId: string, change: CallResultChange): Promise<ChangedCall & CallResult> {
  const id = dialingOrAttemptId(dialingId);
  await changeCallResult(context.prisma, id, change);
  return callResultOf(context.prisma, id);
}

const dialingIdArg = 'The dialing (WombatDialer\'s wombatid): a live Dialing or, with the same id, the CallAttempt it became.';

const MemberResultInput = builder.inputType('MemberResultInput', {
  fields: (t) => ({
    success: t.boolean({ required: true, description: 'True: reached, stop calling the member. False: go on dialing it.' }),
    resetRetries: t.boolean({ description: "Clear every number's tries: dialing starts over." }),
    nextAfterSec: t.int({ description: 'Seconds until the next try; the retry delay of the plan that last dialed it when absent.' }),
    nextCommunication: t.string({ description: 'The number dialed next, by slot (1-8) or number; a new number is added. It goes first.' }),
    stopCommunications: t.stringList({ description: 'Numbers never dialed again, by slot or number.' }),
    stopAllCommunications: t.boolean({ description: "Every number but nextCommunication is never dialed again (Webitel's \"all\")." }),
    description: t.string({ description: 'Free text kept on the member.' }),
  }),
});

builder.mutationFields((t) => ({
  setCallStatus: t.field({
    type: CallResultRef,
    authScopes: { role: 'SUPERVISOR' },
    errors: EDIT_ERRORS,
    description: "Sets a call's completion code, as a CALLSTATUS UserEvent does (the last one wins). On a finished call no reschedule rule fires.",
    args: { dialingId: t.arg.id({ required: true, description: dialingIdArg }), status: t.arg.string({ required: true }) },
    resolve: (_root, args, context) => changed(context, args.dialingId, { kind: 'status', code: args.status }),
  }),
  setCallAttribute: t.field({
    type: CallResultRef,
    authScopes: { role: 'SUPERVISOR' },
    errors: EDIT_ERRORS,
    description: 'Sets (or replaces) an output attribute, as an ATTRIBUTE UserEvent does. Names are kept in lower case.',
    args: { dialingId: t.arg.id({ required: true, description: dialingIdArg }), name: t.arg.string({ required: true }), value: t.arg.string({ required: true }) },
    resolve: (_root, args, context) => changed(context, args.dialingId, { kind: 'attribute', name: args.name, value: args.value }),
  }),
  appendCallAttribute: t.field({
    type: CallResultRef,
    authScopes: { role: 'SUPERVISOR' },
    errors: EDIT_ERRORS,
    description: "Appends to an output attribute (creating it), as an ATTR_APPEND UserEvent does.",
    args: { dialingId: t.arg.id({ required: true, description: dialingIdArg }), name: t.arg.string({ required: true }), value: t.arg.string({ required: true }) },
    resolve: (_root, args, context) => changed(context, args.dialingId, { kind: 'append', name: args.name, value: args.value }),
  }),
  clearCallAttributes: t.field({
    type: CallResultRef,
    authScopes: { role: 'SUPERVISOR' },
    errors: EDIT_ERRORS,
    description: 'Removes every output attribute (never the input ones), as an ATTR_CLEAR UserEvent does.',
    args: { dialingId: t.arg.id({ required: true, description: dialingIdArg }) },
    resolve: (_root, args, context) => changed(context, args.dialingId, { kind: 'clear' }),
  }),
  hangupDialing: t.field({
    type: DialingHangupRef,
    authScopes: { role: 'SUPERVISOR' },
    errors: { types: [ValidationError, NotFoundError, ConflictError, ForbiddenError, PbxRefusedError, PbxUnavailableError] },
    description: 'Ends one live dialing (AMI Hangup of its channel). Hung up before an answer, it is recorded CANCELLED and uses no try.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, context) => {
      const id = localId(args.id, 'Dialing');
      const { server, channel, status } = await dialingToHangUp(context.prisma, id);
      // The dialing's own server is the one to ask, followed by a worker or not: PbxUnavailableError says when it cannot be.
      return hangupChannel({ actions: context.actions, servers: async () => [server] }, { server, channel }).catch(async (error: unknown) => {
        await hangUpFailed(context.prisma, id, status);
        throw error;
      });
    },
  }),
  settleMember: t.field({
    type: MemberRef,
    authScopes: { role: 'SUPERVISOR' },
    errors: GUARDED_ERRORS,
    description: "Settles the member's call result (Webitel's): how its call went and what comes next. Ends its wait for a result (the plan's waitForResult); two results for one member are applied one after the other.",
    args: { memberId: t.arg.id({ required: true }), input: t.arg({ type: MemberResultInput, required: true }) },
    resolve: (_root, args, context) => settleMember(context.prisma, localId(args.memberId, 'Member', 'memberId'), args.input),
  }),
  terminateMember: t.field({
    type: MemberRef,
    authScopes: { role: 'SUPERVISOR' },
    errors: EDIT_ERRORS,
    description: 'Never dials the member again, keeping it and its history (status TERMINATED). A live call of it goes on to its end.',
    args: { memberId: t.arg.id({ required: true }) },
    resolve: (_root, args, context) => terminateMember(context.prisma, localId(args.memberId, 'Member', 'memberId')),
  }),
}));
