import type { ActionSession, Handler } from './actionSession.js';
import { AgentLoginCall, type AgentLoginOriginate } from '../calls/agentLogin.js';
import { SpyCall } from '../calls/chanSpy.js';
import { parseCallerId } from '../model/channels.js';
import { SWITCHBOARD_ANSWER, answerContextCall, type AnswerContextCall } from '../calls/answerContext.js';
import { DESTINATIONS, DIALPLAN_CONTEXTS, customerBehaviour } from '../model/customers.js';
import { LocalCall } from '../calls/localCall.js';
import type { LocalOriginate } from '../calls/localPair.js';
import { applicationDestination, describeApplication, type OriginateApplication } from '../calls/originateApplication.js';
import { error, success } from '../protocol/responses.js';
import { originateVariables } from './variables.js';
import type { ClientAction } from '../protocol/wire.js';

const LOCAL_CHANNEL = /^Local\/([^@/]+)@([^/]+)(\/n)?$/i;

/**
 * Originate: queued at once, then played as the transcripts show. Simulated: Async, into the destinations above by
 * Context and Exten, or by Application and Data as applicationDestination knows them, or through switchboard-answer
 * to one of those as answerContextCall reads its variables; an Application wins over Context and Exten, as in
 * fast_originate.
 */
export const originate: Handler = (session, action) => {
  const channel = action.get('Channel');
  if (channel === '') return session.send(error(action, 'Channel not specified'));
  const local = LOCAL_CHANNEL.exec(channel);
  if (local?.[2] === 'agent-login' && action.has('Application')) return originateAgentLogin(session, action, local);
  const endpoint = /^PJSIP\/([^/-]+)$/i.exec(channel)?.[1];
  if (endpoint !== undefined && action.get('Application').toLowerCase() === 'chanspy' && action.get('Async').toLowerCase() === 'true') {
    session.send(success(action, 'Originate successfully queued'));
    const spy = new SpyCall(session.pbx, {
      endpoint,
      data: action.get('Data'),
      callerId: parseCallerId(action.get('CallerID')),
      channelId: action.get('ChannelId') || undefined,
      actionIdFields: action.idFields,
    });
    return void session.pbx.clock.after(0, () => spy.start());
  }
  const context = local?.[2] ?? '';
  const number = local?.[1] ?? '';
  const behaviour = context === 'customers' ? customerBehaviour(number) : undefined;
  const application: OriginateApplication | undefined = action.get('Application') === '' ? undefined : { name: action.get('Application'), data: action.get('Data') };
  const destination = application === undefined ? `${action.get('Context')},${action.get('Exten')}` : describeApplication(application);
  const variables = action.all('Variable').flatMap(originateVariables);
  const answerContext = application === undefined ? intoAnswerContext(action, variables) : undefined;
  const target = application === undefined ? (answerContext?.destination ?? DESTINATIONS.get(destination)) : applicationDestination(application);
  // Simulated: unknown technologies and missing contexts (both fail) and the customers the dialplan knows.
  const simulated = local === null || !DIALPLAN_CONTEXTS.has(context) || behaviour !== undefined;
  if (!simulated || target === undefined || action.get('Async').toLowerCase() !== 'true') {
    // Said plainly rather than faked: these cases are not modelled yet.
    return session.send(error(action, `Simulator: this Originate is not simulated yet (${channel} to ${destination})`));
  }
  session.send(success(action, 'Originate successfully queued'));
  const { pbx } = session;
  const callerId = parseCallerId(action.get('CallerID'));
  if (local === null) {
    // An unknown channel technology fails at once, with no channel ever created (originate-invalid-context).
    pbx.emit('OriginateResponse', 'call,all', [
      ...action.idFields,
      ['Response', 'Failure'],
      ['Channel', channel],
      ...(application === undefined
        ? ([['Context', action.get('Context')], ['Exten', action.get('Exten')]] as const)
        : ([['Application', application.name], ['Data', application.data]] as const)),
      ['Reason', '0'],
      ['Uniqueid', action.get('ChannelId') || '<unknown>'],
      ['CallerIDNum', callerId?.num ?? '<unknown>'],
      ['CallerIDName', callerId?.name ?? '<unknown>'],
    ]);
    return;
  }
  const timeoutText = action.get('Timeout');
  const request: LocalOriginate = {
    channel,
    number,
    context,
    optimize: local[3] === undefined,
    behaviour,
    destination: target,
    application,
    answerContext,
    timeoutMs: /^\d+$/.test(timeoutText) ? Number(timeoutText) : 30_000,
    callerId,
    variables,
    channelId: action.get('ChannelId') || undefined,
    otherChannelId: action.get('OtherChannelId') || undefined,
    actionIdFields: action.idFields,
  };
  // Async: the response goes out first, the channels a moment later.
  pbx.clock.after(0, () => new LocalCall(pbx, request).start());
};

/** An agent logging in (agents-login-queue): `Local/<agent>@agent-login/n` running `Application: Wait`. */
function originateAgentLogin(session: ActionSession, action: ClientAction, local: RegExpExecArray): void {
  const channel = action.get('Channel');
  const seconds = action.get('Data');
  if (action.get('Application').toLowerCase() !== 'wait' || !/^\d+$/.test(seconds) || action.get('Async').toLowerCase() !== 'true') {
    return session.send(error(action, `Simulator: this Originate is not simulated yet (${channel} to ${action.get('Application')}(${seconds}))`));
  }
  session.send(success(action, 'Originate successfully queued'));
  const request: AgentLoginOriginate = {
    channel,
    number: local[1] ?? '',
    context: 'agent-login',
    optimize: local[3] === undefined,
    callerId: parseCallerId(action.get('CallerID')),
    variables: action.all('Variable').flatMap(originateVariables),
    waitSeconds: Number(seconds),
    actionIdFields: action.idFields,
  };
  const { pbx } = session;
  pbx.clock.after(0, () => new AgentLoginCall(pbx, request).start());
}

/** `switchboard-answer,s,1` and what its SB_* variables ask for; undefined for any other place or what is not simulated. */
function intoAnswerContext(action: ClientAction, variables: readonly (readonly [string, string])[]): AnswerContextCall | undefined {
  const { context, exten } = SWITCHBOARD_ANSWER;
  const at = action.get('Context') === context && action.get('Exten') === exten && ['', '1'].includes(action.get('Priority'));
  return at ? answerContextCall(variables) : undefined;
}
