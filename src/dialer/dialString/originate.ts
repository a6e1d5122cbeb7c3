import type { Destination, Plan } from '../../generated/prisma/client.js';
import { assertFitsOriginateBuffer, assertLineFits, MAX_HEADER_LINES } from './amiLimits.js';
import { channelVariables, type VariableSources } from './channelVariables.js';
import { destinationTarget, type OriginateTarget } from './destinationTarget.js';
import { dialString } from './dialString.js';
import { OriginateFieldError } from './originateFieldError.js';
import { sipHeaderVariables } from './sipHeaders.js';
import { escapeVariableValue } from '../../ami/variableValue.js';

export type OriginateSources = VariableSources & {
  plan: Pick<Plan, 'techName' | 'trunkName' | 'dialStringTemplate' | 'dialTimeoutMs' | 'callerId' | 'codecs' | 'earlyMedia' | 'variables' | 'sipHeaders'>;
  destination: Pick<Destination, 'type' | 'context' | 'exten' | 'priority' | 'application' | 'data' | 'variables'>;
};

/** The Originate fields of a dialing (without Action, ActionID, Async, ChannelId and OtherChannelId). */
export type OriginateFields = OriginateTarget & {
  Channel: string;
  Timeout: number;
  CallerID?: string;
  Codecs?: string;
  /** Bridge to the destination on early media; Asterisk honours it for an extension target only. */
  Earlymedia?: 'true';
  /** Values escaped for the Variable header: send them as they are, one `Variable: NAME=value` line each. */
  Variable: Record<string, string>;
};

export type PreparedOriginate = {
  dialString: string;
  /** The channel variables as the channel will hold them (to keep on the Dialing). */
  variables: Record<string, string>;
  fields: OriginateFields;
};

// Lines of an Originate besides its variables: Action, ActionID, Channel, Context, Exten, Priority (or
// Application, Data), Timeout, CallerID, Codecs, Earlymedia, Async, ChannelId, OtherChannelId, and spare.
const OTHER_ORIGINATE_LINES = 16;

function escapedVariables(variables: Record<string, string>): Record<string, string> {
  const count = Object.keys(variables).length;
  if (count > MAX_HEADER_LINES - OTHER_ORIGINATE_LINES) {
    throw new OriginateFieldError('Variable', `the call has ${count} channel variables; one Originate carries at most ${MAX_HEADER_LINES - OTHER_ORIGINATE_LINES}: remove some`);
  }
  const escaped: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables)) {
    escaped[name] = escapeVariableValue(value);
    assertLineFits(`Variable.${name}`, 'Variable', `${name}=${escaped[name]}`);
  }
  return escaped;
}

/**
 * Everything the dialing's Originate needs, from its plan, destination, campaign, dial list, member,
 * number and the dialing itself; throws OriginateFieldError, naming the field, for anything Asterisk
 * would misread, cut or drop.
 */
export function prepareOriginate(sources: OriginateSources): PreparedOriginate {
  const { plan } = sources;
  const channel = dialString(plan, sources.number.number);
  const variables = channelVariables(sources);
  // Only a PJSIP channel takes PJSIP_HEADER; through a Local channel the dialplan has the variables to send itself.
  const headers = plan.sipHeaders && channel.toUpperCase().startsWith('PJSIP/') ? sipHeaderVariables(sources) : {};
  if (plan.callerId) assertFitsOriginateBuffer('CallerID', plan.callerId);
  // Codec names are plain words (outbound/plans.ts): the comma is the list separator Asterisk expects.
  const codecs = plan.codecs.join(',');
  const fields: OriginateFields = {
    Channel: channel,
    ...destinationTarget(sources.destination),
    Timeout: plan.dialTimeoutMs,
    ...(plan.callerId ? { CallerID: plan.callerId } : {}),
    ...(codecs === '' ? {} : { Codecs: codecs }),
    ...(plan.earlyMedia ? { Earlymedia: 'true' as const } : {}),
    Variable: escapedVariables({ ...variables, ...headers }),
  };
  return { dialString: channel, variables, fields };
}
