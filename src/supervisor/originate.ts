import { randomUUID } from 'node:crypto';
import { integer, Problems, text, variables as checkVariables } from '../validate.js';
import { checkApplication, type ApplicationPolicy } from '../outbound/applications.js';
import { escapeVariableValue } from '../ami/variableValue.js';
import { fields } from './fields.js';
import { sendCommand, type CommandResult, type Pbxs } from './send.js';

/** An originated call: the uniqueids Asterisk will give its channels, so its events can be followed from the first. */
export type OriginatedCall = CommandResult & {
  /** The channel that rings the endpoint. */
  uniqueid: string;
  /** The other leg's, when the endpoint is a Local channel (its ;2 half). */
  otherUniqueid: string;
};

export type OriginateCallInput = {
  server: string;
  /** Rung first (the agent's or supervisor's phone); once answered it goes to context/exten, or runs application. */
  endpoint: string;
  context?: string | null;
  exten?: string | null;
  priority?: number | null;
  /** Instead of context/exten: a dialplan application the answered endpoint runs (Wait keeps an agent's login leg up). */
  application?: string | null;
  data?: string | null;
  callerId?: string | null;
  /** How long the endpoint rings before the call is given up. Default 30. */
  ringSec?: number | null;
  variables?: Record<string, string> | null;
};

/**
 * Click to call: rings the endpoint and, once it answers, sends it to context/exten (the number to call,
 * through the dialplan's outbound routing), or has it run an application the allowlist names (logging an
 * agent in: endpoint Local/1001@agent-login/n running Wait). Asynchronous: the answer means Asterisk queued
 * it; the channels then appear in channelEvents under the returned uniqueids.
 */
export function originateCall(pbxs: Pbxs, input: OriginateCallInput, applications: ApplicationPolicy): Promise<OriginatedCall> {
  const problems = new Problems();
  const server = fields.server(problems, input.server);
  const endpoint = fields.endpoint(problems, 'endpoint', input.endpoint);
  const target = originateTarget(problems, input, applications);
  integer(problems, 'priority', input.priority, { min: 1, max: 10_000 });
  const callerId = fields.label(problems, 'callerId', input.callerId);
  integer(problems, 'ringSec', input.ringSec, { min: 1, max: 600 });
  const variables = input.variables ?? {};
  checkVariables(problems, 'variables', variables);
  return originate(pbxs, problems, server, {
    Channel: endpoint,
    ...target,
    CallerID: callerId ?? undefined,
    Timeout: (input.ringSec ?? 30) * 1000,
    // Escaped as the dialer's are, so a comma or a quote arrives as written instead of splitting the value.
    Variable: Object.keys(variables).length > 0 ? Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, escapeVariableValue(value)])) : undefined,
  });
}

/** Where the answered endpoint goes: context/exten/priority, or an allowed application with its data; exactly one. */
function originateTarget(problems: Problems, input: OriginateCallInput, applications: ApplicationPolicy): Record<string, string | number> {
  const hasApplication = input.application !== undefined && input.application !== null;
  const hasExtension = (input.context ?? null) !== null || (input.exten ?? null) !== null;
  if (hasApplication === hasExtension) {
    problems.add('application', 'give either context and exten, or application (and its data)');
    return {};
  }
  if (hasApplication) {
    const application = fields.application(problems, 'application', input.application as string);
    const data = text(problems, 'data', input.data, { max: 1000 }) ?? '';
    checkApplication(problems, applications, application, data);
    return { Application: application, Data: data };
  }
  return { Context: fields.context(problems, 'context', input.context ?? ''), Exten: fields.exten(problems, 'exten', input.exten ?? ''), Priority: input.priority ?? 1 };
}

export const spyModes = ['LISTEN', 'WHISPER', 'BARGE'] as const;
export type SpyMode = (typeof spyModes)[number];

// ChanSpy options: q without the beep and channel name announcement, E ends the spy when the spied channel
// hangs up; w lets the supervisor talk to the spied channel alone, B to both parties.
const SPY_OPTIONS: Record<SpyMode, string> = { LISTEN: 'qE', WHISPER: 'qEw', BARGE: 'qEB' };

export type SpyInput = { server: string; channel: string; mode: SpyMode; endpoint: string };

/** Rings the supervisor's endpoint and, once answered, listens to (whispers to, barges into) one channel through ChanSpy. */
export function spyOnChannel(pbxs: Pbxs, input: SpyInput): Promise<OriginatedCall> {
  const problems = new Problems();
  const server = fields.server(problems, input.server);
  const channel = fields.channel(problems, 'channel', input.channel);
  const endpoint = fields.endpoint(problems, 'endpoint', input.endpoint);
  return originate(pbxs, problems, server, {
    Channel: endpoint,
    Application: 'ChanSpy',
    // ChanSpy matches channels by name prefix: the whole name names this one channel.
    Data: `${channel},${SPY_OPTIONS[input.mode]}`,
    CallerID: `"${input.mode} ${channel}" <spy>`,
    Timeout: 30_000,
  });
}

async function originate(pbxs: Pbxs, problems: Problems, server: string, fieldsToSend: Record<string, string | number | Record<string, string> | undefined>): Promise<OriginatedCall> {
  const uniqueid = randomUUID();
  const otherUniqueid = randomUUID();
  const result = await sendCommand(pbxs, problems, server, {
    action: 'Originate',
    ...fieldsToSend,
    Async: true,
    ChannelId: uniqueid,
    OtherChannelId: otherUniqueid,
  });
  return { ...result, uniqueid, otherUniqueid };
}
