import { integer, Problems } from '../validate.js';
import { fields } from './fields.js';
import { sendCommand, type CommandResult, type Pbxs } from './send.js';

export type HangupInput = { server: string; channel: string; cause?: number | null };

/** Hangs up one channel, by its exact name (never a pattern), with a Q.850 cause (16, normal clearing, by default). */
export function hangupChannel(pbxs: Pbxs, input: HangupInput): Promise<CommandResult> {
  const problems = new Problems();
  const server = fields.server(problems, input.server);
  const channel = fields.channel(problems, 'channel', input.channel);
  integer(problems, 'cause', input.cause, { min: 1, max: 127 });
  return sendCommand(pbxs, problems, server, { action: 'Hangup', Channel: channel, Cause: input.cause ?? 16 });
}

export type RedirectInput = {
  server: string;
  channel: string;
  context: string;
  exten: string;
  priority?: number | null;
  /** The other party, moved to the same place at the same time (both legs of a bridge). */
  extraChannel?: string | null;
};

/** Sends a channel (and, with extraChannel, its peer) to another place in the dialplan. */
export function redirectChannel(pbxs: Pbxs, input: RedirectInput): Promise<CommandResult> {
  const problems = new Problems();
  const server = fields.server(problems, input.server);
  const channel = fields.channel(problems, 'channel', input.channel);
  const context = fields.context(problems, 'context', input.context);
  const exten = fields.exten(problems, 'exten', input.exten);
  integer(problems, 'priority', input.priority, { min: 1, max: 10_000 });
  const priority = input.priority ?? 1;
  const extraChannel = input.extraChannel == null ? undefined : fields.channel(problems, 'extraChannel', input.extraChannel);
  const extra = extraChannel ? { ExtraChannel: extraChannel, ExtraContext: context, ExtraExten: exten, ExtraPriority: priority } : {};
  return sendCommand(pbxs, problems, server, { action: 'Redirect', Channel: channel, Context: context, Exten: exten, Priority: priority, ...extra });
}

export type ParkInput = {
  server: string;
  channel: string;
  /** The lot; the PBX's default lot when absent. */
  parkingLot?: string | null;
  /** How long it may stay parked; the lot's parkingtime when absent. */
  timeoutSec?: number | null;
  /** Who is called back when it times out (usually the supervisor or agent who parked it). */
  timeoutChannel?: string | null;
};

/** Parks a channel (its bridge peer stays where it is), as the Park action of res_parking does. */
export function parkCall(pbxs: Pbxs, input: ParkInput): Promise<CommandResult> {
  const problems = new Problems();
  const server = fields.server(problems, input.server);
  const channel = fields.channel(problems, 'channel', input.channel);
  const lot = input.parkingLot == null ? undefined : fields.context(problems, 'parkingLot', input.parkingLot);
  integer(problems, 'timeoutSec', input.timeoutSec, { min: 1, max: 86_400 });
  const timeoutChannel = input.timeoutChannel == null ? undefined : fields.channel(problems, 'timeoutChannel', input.timeoutChannel);
  return sendCommand(pbxs, problems, server, {
    action: 'Park',
    Channel: channel,
    Parkinglot: lot,
    Timeout: input.timeoutSec == null ? undefined : input.timeoutSec * 1000,
    TimeoutChannel: timeoutChannel,
  });
}
