import type { AmiAction, AmiActionOptions, AmiConnection } from '../ami/connection.js';
import { AmiActionError, AmiError, AmiInvalidActionError } from '../ami/errors.js';
import type { AmiMessage } from '../ami/message.js';
import { PbxRefusedError, PbxUnavailableError, ValidationError } from '../errors.js';

/**
 * Sends an AMI action to a PBX by its name, wherever its connection lives: in this process (the worker's
 * own) or in a worker process reached through Redis. Failures are the domain's: PbxRefusedError,
 * PbxUnavailableError, ValidationError (a field that would inject AMI); the action is never retried.
 */
export interface PbxActions {
  send(server: string, action: AmiAction, options?: AmiActionOptions): Promise<AmiMessage>;
  close(): Promise<void>;
}

/** The domain failure an AMI failure means to whoever asked for the action. */
export function pbxFailure(server: string, error: unknown): Error {
  if (error instanceof AmiActionError) return new PbxRefusedError(server, error.action, error.asteriskMessage);
  if (error instanceof AmiInvalidActionError) return ValidationError.of(error.field, error.message);
  if (error instanceof AmiError) return new PbxUnavailableError(server, error.message);
  return error instanceof Error ? error : new Error(String(error));
}

/** Actions through this process's own connections (the worker's, when one process plays every role). */
export function localPbxActions(connections: ReadonlyMap<string, AmiConnection>): PbxActions {
  return {
    async send(server, action, options) {
      const connection = connections.get(server);
      if (!connection) throw new PbxUnavailableError(server, `No AMI connection to ${server} in this process`);
      try {
        return await connection.action(action, options);
      } catch (error) {
        throw pbxFailure(server, error);
      }
    },
    close: async () => {},
  };
}
