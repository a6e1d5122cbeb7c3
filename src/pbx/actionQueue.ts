import type { AmiAction } from '../ami/connection.js';
import type { AmiMessage } from '../ami/message.js';

/**
 * How API processes hand AMI actions to the worker that holds the PBX's connection: a Redis list per PBX
 * (one worker pops each request, so an action is sent once however many workers listen) and a pub/sub
 * channel per asking process for the answers.
 */

export const DEFAULT_ACTION_PREFIX = 'switchboard';

export const requestQueueKey = (prefix: string, server: string) => `${prefix}:pbx-actions:${server}`;
export const replyChannel = (prefix: string, process: string) => `${prefix}:pbx-replies:${process}`;

export type ActionRequest = {
  id: string;
  replyTo: string;
  action: AmiAction;
  timeoutMs: number;
  /** Epoch ms after which no worker may send it: the asker has given up (or is about to). */
  pickUpBy: number;
};

/** The failure, by kind, so the asker raises the same domain error the worker's own connection gave. */
export type ActionFailure =
  | { kind: 'refused'; action: string; asteriskMessage: string }
  | { kind: 'unavailable'; message: string }
  | { kind: 'invalid'; field: string; message: string }
  | { kind: 'failed'; message: string };

export type ActionReply = { id: string; ok: true; response: AmiMessage } | { id: string; ok: false; failure: ActionFailure };
