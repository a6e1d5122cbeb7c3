import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { SIGNATURE_HEADER, signBody } from './signature.js';
import type { ClaimedDelivery } from './queue.js';
import { addressAllowed, guardedLookup, literalAddress, type WebhookTargets } from './targets.js';

export type PostOutcome = { delivered: true; statusCode: number } | { delivered: false; statusCode: number | null; error: string };

/** Why a request failed, kept generic: a stored error must not tell a caller which private ports answer. */
function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  if ((error as NodeJS.ErrnoException | undefined)?.code === 'EWEBHOOKBLOCKED') return NOT_ALLOWED;
  return 'could not reach the receiver';
}

const NOT_ALLOWED = "the receiver's address is not allowed: webhooks only reach public receivers unless WEBHOOK_ALLOWED_NETWORKS allows it";

export type PostOptions = { timeoutMs: number; nowSec: number; targets: WebhookTargets };

/**
 * POSTs one delivery, signed, with its id as the idempotency key (a delivery may arrive twice: after a crash
 * between sending and marking it). Only a 2xx counts; redirects are not followed. The connection goes only to
 * an address the webhook targets allow, as resolved for this very connection.
 */
export async function postDelivery(delivery: ClaimedDelivery, options: PostOptions): Promise<PostOutcome> {
  const body = JSON.stringify(delivery.payload);
  const url = new URL(delivery.url);
  const literal = literalAddress(url.hostname);
  if (literal !== null && !addressAllowed(options.targets, literal)) return { delivered: false, statusCode: null, error: NOT_ALLOWED };
  const headers = {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'User-Agent': 'Switchboard-Webhooks',
    'Idempotency-Key': delivery.id,
    [SIGNATURE_HEADER]: signBody(delivery.secret, options.nowSec, body),
  };
  try {
    const statusCode = await post(url, headers, body, options);
    if (statusCode >= 200 && statusCode < 300) return { delivered: true, statusCode };
    return { delivered: false, statusCode, error: `the receiver answered HTTP ${statusCode}` };
  } catch (error) {
    return { delivered: false, statusCode: null, error: describeFailure(error, options.timeoutMs) };
  }
}

/** One POST, its answer's status once its body is read (and dropped); the whole exchange within timeoutMs. */
function post(url: URL, headers: Record<string, string | number>, body: string, options: PostOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, { method: 'POST', headers, lookup: guardedLookup(options.targets) }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', reject);
    });
    const timer = setTimeout(() => request.destroy(Object.assign(new Error('timed out'), { name: 'TimeoutError' })), options.timeoutMs);
    request.on('close', () => clearTimeout(timer));
    request.on('error', reject);
    request.end(body);
  });
}
