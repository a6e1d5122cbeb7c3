import { Redis } from 'ioredis';
import type { AmiConnection } from '../ami/connection.js';
import { PbxRefusedError, PbxUnavailableError, ValidationError } from '../errors.js';
import type { Logger } from '../logger.js';
import { localPbxActions } from './actions.js';
import { DEFAULT_ACTION_PREFIX, requestQueueKey, type ActionFailure, type ActionReply, type ActionRequest } from './actionQueue.js';

export type ActionServerOptions = {
  redisUrl: string;
  prefix?: string;
  connections: ReadonlyMap<string, AmiConnection>;
  log: Logger;
};

export type ActionServer = { close(): Promise<void> };

/** How long one BLPOP blocks before it is sent again (close does not wait for it: it disconnects). */
const POLL_SECONDS = 5;

/**
 * The worker's side of the action relay: takes the requests queued for its PBXs and sends each through
 * the PBX's connection, answering on the asker's channel. A request past its pick-up time is dropped
 * unsent: its asker has been told the PBX was unavailable.
 */
export function servePbxActions(options: ActionServerOptions): ActionServer {
  const prefix = options.prefix ?? DEFAULT_ACTION_PREFIX;
  const { log } = options;
  const actions = localPbxActions(options.connections);
  const keys = [...options.connections.keys()].map((server) => requestQueueKey(prefix, server));
  const client = (role: string) => {
    const redis = new Redis(options.redisUrl, { connectionName: `switchboard-action-server-${role}` });
    redis.on('error', (error: Error) => log.warn({ err: error, role }, 'action server redis client error'));
    return redis;
  };
  const queue = client('queue');
  const replies = client('replies');
  const serverOfKey = new Map([...options.connections.keys()].map((server) => [requestQueueKey(prefix, server), server]));
  let closing = false;

  async function answer(server: string, request: ActionRequest): Promise<void> {
    let reply: ActionReply;
    try {
      const response = await actions.send(server, request.action, { timeoutMs: request.timeoutMs });
      reply = { id: request.id, ok: true, response };
    } catch (error) {
      reply = { id: request.id, ok: false, failure: failureOf(error) };
    }
    await replies.publish(request.replyTo, JSON.stringify(reply));
  }

  async function loop(): Promise<void> {
    while (!closing) {
      let popped: [string, string] | null;
      try {
        popped = await queue.blpop(...keys, POLL_SECONDS);
      } catch (error) {
        if (closing) return;
        log.warn({ err: error }, 'action server could not read its queue');
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        continue;
      }
      if (!popped) continue;
      const [key, text] = popped;
      const server = serverOfKey.get(key) as string;
      const request = JSON.parse(text) as ActionRequest;
      if (Date.now() > request.pickUpBy) {
        log.info({ server, action: request.action.action }, 'dropped an AMI action request its asker gave up on');
        continue;
      }
      answer(server, request).catch((error: unknown) => log.warn({ err: error, server }, 'could not answer an AMI action request'));
    }
  }

  const running = keys.length > 0 ? loop() : Promise.resolve();
  return {
    async close() {
      closing = true;
      // Ends the blocked BLPOP at once; a request Redis handed out just then is never sent, and its asker
      // is told the PBX was unavailable when its time runs out.
      queue.disconnect();
      await running;
      await replies.quit().catch(() => undefined);
    },
  };
}

function failureOf(error: unknown): ActionFailure {
  if (error instanceof PbxRefusedError) return { kind: 'refused', action: error.action, asteriskMessage: error.asteriskMessage };
  if (error instanceof PbxUnavailableError) return { kind: 'unavailable', message: error.message };
  if (error instanceof ValidationError) return { kind: 'invalid', field: error.problems[0]?.field ?? 'action', message: error.problems[0]?.message ?? error.message };
  return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
}
