import type { ActionSession, Handler } from './actions.js';
import { AgentLoginCall, type AgentLoginOriginate } from './agentLogin.js';
import { SpyCall } from './chanSpy.js';
import { parseCallerId } from './channels.js';
import { DIALPLAN_CONTEXTS, customerBehaviour, type CustomerBehaviour, type Destination } from './customers.js';
import { LocalCall } from './localCall.js';
import { applicationDestination, describeApplication, type OriginateApplication } from './originateApplication.js';
import { error, success } from './responses.js';
import type { ClientAction, Fields } from './wire.js';

/**
 * An Originate of `Local/<number>@<context>` into `dest,echo`, `dest,park`, `dest,queue-sales` or
 * `dest-agents,queue-helpdesk`, or running `Application: Queue` or `Park` on ;1, as the action asked for it.
 */
export type LocalOriginate = {
  /** The Channel field as sent (OriginateResponse repeats it on failure). */
  channel: string;
  number: string;
  context: string;
  optimize: boolean;
  /** `undefined` for a context the dialplan lacks. */
  behaviour: CustomerBehaviour | undefined;
  /** Where the ;1 leg goes once the customer answers. */
  destination: Destination;
  /** Set when ;1 runs this application itself (Application and Data) rather than the dialplan at Context and Exten. */
  application: OriginateApplication | undefined;
  timeoutMs: number;
  callerId: { name: string; num: string } | undefined;
  variables: readonly (readonly [string, string])[];
  channelId: string | undefined;
  otherChannelId: string | undefined;
  actionIdFields: Fields;
};

/** `context,exten` of the destinations the simulator runs, by what the dialplan calls them. */
export const DESTINATIONS: ReadonlyMap<string, Destination> = new Map([
  ['dest,echo', 'echo'],
  ['dest,park', 'park'],
  ['dest,queue-sales', 'queue'],
  ['dest-agents,queue-helpdesk', 'helpdesk'],
]);

const LOCAL_CHANNEL = /^Local\/([^@/]+)@([^/]+)(\/n)?$/i;

/**
 * Originate: queued at once, then played as the transcripts show. Simulated: Async, into the destinations above by
 * Context and Exten, or by Application and Data as applicationDestination knows them; an Application wins over
 * Context and Exten, as in fast_originate.
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
    return void setImmediate(() => spy.start());
  }
  const context = local?.[2] ?? '';
  const number = local?.[1] ?? '';
  const behaviour = context === 'customers' ? customerBehaviour(number) : undefined;
  const application: OriginateApplication | undefined = action.get('Application') === '' ? undefined : { name: action.get('Application'), data: action.get('Data') };
  const destination = application === undefined ? `${action.get('Context')},${action.get('Exten')}` : describeApplication(application);
  const target = application === undefined ? DESTINATIONS.get(destination) : applicationDestination(application);
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
    timeoutMs: /^\d+$/.test(timeoutText) ? Number(timeoutText) : 30_000,
    callerId,
    variables: action.all('Variable').flatMap(splitVariables),
    channelId: action.get('ChannelId') || undefined,
    otherChannelId: action.get('OtherChannelId') || undefined,
    actionIdFields: action.idFields,
  };
  // Async: the response goes out first, the channels a moment later.
  setImmediate(() => new LocalCall(pbx, request).start());
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
    variables: action.all('Variable').flatMap(splitVariables),
    waitSeconds: Number(seconds),
    actionIdFields: action.idFields,
  };
  const { pbx } = session;
  setImmediate(() => new AgentLoginCall(pbx, request).start());
}

/** `A=1,B=2` into pairs, as Originate's Variable takes them. */
function splitVariables(text: string): [string, string][] {
  return text
    .split(',')
    .filter((pair) => pair.includes('='))
    .map((pair) => [pair.slice(0, pair.indexOf('=')).trim(), pair.slice(pair.indexOf('=') + 1)]);
}

