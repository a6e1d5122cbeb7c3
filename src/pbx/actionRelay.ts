import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { assertSafeAction } from '../ami/guard.js';
import type { AmiMessage } from '../ami/message.js';
import { PbxRefusedError, PbxUnavailableError, ValidationError } from '../errors.js';
import type { Logger } from '../logger.js';
import { pbxFailure, type PbxActions } from './actions.js';
import { DEFAULT_ACTION_PREFIX, replyChannel, requestQueueKey, type ActionFailure, type ActionReply, type ActionRequest } from './actionQueue.js';

export type RelayOptions = {
  redisUrl: string;
  prefix?: string;
  log?: Logger;
  /** How long a request may wait for a worker to take it. Default 3 s. */
  pickUpMs?: number;
};

const DEFAULT_TIMEOUT_MS = 10_000;
/** Time for the answer to travel back once the worker's own action timeout has run out. */
const TRANSIT_MS = 1_000;

/**
 * Queues a request and keeps its queue for at least the request's pick-up time. Only ever lengthened: a
 * request with a short pick-up time must not expire the longer-lived ones queued before it.
 */
const QUEUE_REQUEST = `redis.call('RPUSH', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end`;

type Waiting = { server: string; resolve: (response: AmiMessage) => void; reject: (error: Error) => void; timer: NodeJS.Timeout };

/**
 * AMI actions for a process that holds no AMI connection (ROLE=api): each request is queued for the
 * PBX's worker in Redis and its answer comes back on this process's reply channel.
 */
export function relayPbxActions(options: RelayOptions): PbxActions {
  const prefix = options.prefix ?? DEFAULT_ACTION_PREFIX;
  const pickUpMs = options.pickUpMs ?? 3_000;
  const replyTo = replyChannel(prefix, randomUUID());
  const waiting = new Map<string, Waiting>();
  const client = (role: string) => {
    const redis = new Redis(options.redisUrl, { connectionName: `switchboard-actions-${role}` });
    redis.on('error', (error: Error) => options.log?.warn({ err: error, role }, 'action relay redis client error'));
    return redis;
  };
  const requests = client('requests');
  const replies = client('replies');
  replies.on('message', (_channel: string, text: string) => {
    const reply = JSON.parse(text) as ActionReply;
    const entry = waiting.get(reply.id);
    if (!entry) return;
    waiting.delete(reply.id);
    clearTimeout(entry.timer);
    if (reply.ok) entry.resolve(reply.response);
    else entry.reject(failureError(entry.server, reply.failure));
  });
  // Subscribed before the first request is queued, or its answer could come before anyone listens. A failed
  // subscription (Redis down at start) is tried again by the next request instead of left to reject unheard.
  let subscribed: Promise<unknown> | undefined;
  const subscribe = () => {
    subscribed ??= replies.subscribe(replyTo).catch((error: unknown) => {
      subscribed = undefined;
      throw error;
    });
    return subscribed;
  };
  subscribe().catch((error: unknown) => options.log?.warn({ err: error }, 'action relay could not subscribe to its replies yet'));

  return {
    async send(server, action, actionOptions) {
      try {
        assertSafeAction(action);
      } catch (error) {
        throw pbxFailure(server, error);
      }
      const timeoutMs = actionOptions?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const request: ActionRequest = { id: randomUUID(), replyTo, action, timeoutMs, pickUpBy: Date.now() + pickUpMs };
      // One timer from the start covers listening and queueing too: a Redis that holds them (paused, failing
      // over) must neither hang the caller nor leave an answer timing out with nobody awaiting it.
      return new Promise<AmiMessage>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(request.id);
          reject(new PbxUnavailableError(server, `No worker for ${server} answered ${action.action} within ${pickUpMs + timeoutMs} ms`));
        }, pickUpMs + timeoutMs + TRANSIT_MS);
        waiting.set(request.id, { server, resolve, reject, timer });
        const key = requestQueueKey(prefix, server);
        subscribe()
          .then(() => {
            // Given up on while Redis was away: never queued, so no worker runs what nobody waits for.
            if (!waiting.has(request.id)) return;
            // The queue lives only as long as a request in it could still be taken.
            return requests.eval(QUEUE_REQUEST, 1, key, JSON.stringify(request), pickUpMs);
          })
          .catch((error: unknown) => {
            if (!waiting.delete(request.id)) return;
            clearTimeout(timer);
            reject(new PbxUnavailableError(server, `Could not queue ${action.action} for a worker: ${(error as Error).message}`));
          });
      });
    },
    async close() {
      for (const [id, entry] of waiting) {
        clearTimeout(entry.timer);
        entry.reject(new PbxUnavailableError(entry.server, 'The action relay was closed before the answer came'));
        waiting.delete(id);
      }
      // Nothing is left to flush: whatever waited was just refused, and a Redis that is away would hold a QUIT.
      requests.disconnect();
      replies.disconnect();
    },
  };
}

function failureError(server: string, failure: ActionFailure): Error {
  switch (failure.kind) {
    case 'refused':
      return new PbxRefusedError(server, failure.action, failure.asteriskMessage);
    case 'unavailable':
      return new PbxUnavailableError(server, failure.message);
    case 'invalid':
      return ValidationError.of(failure.field, failure.message);
    case 'failed':
      return new Error(failure.message);
  }
}
