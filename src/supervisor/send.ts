import type { AmiAction } from '../ami/connection.js';
import { field } from '../ami/message.js';
import { ValidationError } from '../errors.js';
import type { PbxActions } from '../pbx/actions.js';
import type { Problems } from '../validate.js';

/** What a supervisor command needs: a way to the PBXs, and which PBXs there are. */
export type Pbxs = {
  actions: PbxActions;
  /** The PBX servers the live state knows (the worker's names for them). */
  servers(): Promise<string[]>;
};

/** How the PBX took a command: Asterisk's own Message (e.g. "Channel Hungup", "Redirect successful"). */
export type CommandResult = { server: string; action: string; message: string };

/**
 * Sends one checked command: every input problem first (one ValidationError naming them all), then an
 * unknown server, then the PBX's own answer (PbxRefusedError, PbxUnavailableError).
 */
export async function sendCommand(pbxs: Pbxs, problems: Problems, server: string, action: AmiAction): Promise<CommandResult> {
  problems.throwIfAny(`${action.action} command`);
  const known = await pbxs.servers();
  if (!known.includes(server)) {
    const names = known.length > 0 ? known.join(', ') : 'none yet';
    throw ValidationError.of('server', `no PBX server named ${server} is followed (followed: ${names})`);
  }
  const response = await pbxs.actions.send(server, action);
  return { server, action: action.action, message: field(response, 'message') };
}
