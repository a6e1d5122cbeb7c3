import { SIGNATURE_HEADER, signBody } from './signature.js';
import type { ClaimedDelivery } from './queue.js';

export type PostOutcome = { delivered: true; statusCode: number } | { delivered: false; statusCode: number | null; error: string };

const MAX_ERROR_LENGTH = 500;

/** Why a request failed, the way an operator reads it: the socket error's code (ECONNREFUSED...) and message. */
function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  const cause = error instanceof Error ? (error.cause as NodeJS.ErrnoException | undefined) : undefined;
  const text = cause?.code ? `${cause.code}: ${cause.message}` : error instanceof Error ? error.message : String(error);
  return text.slice(0, MAX_ERROR_LENGTH);
}

/**
 * POSTs one delivery, signed, with its id as the idempotency key (a delivery may arrive twice: after a crash
 * between sending and marking it). Only a 2xx counts; redirects are not followed.
 */
export async function postDelivery(delivery: ClaimedDelivery, options: { timeoutMs: number; nowSec: number }): Promise<PostOutcome> {
  const body = JSON.stringify(delivery.payload);
  try {
    const response = await fetch(delivery.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'Switchboard-Webhooks',
        'Idempotency-Key': delivery.id,
        [SIGNATURE_HEADER]: signBody(delivery.secret, options.nowSec, body),
      },
      body,
    });
    await response.body?.cancel();
    if (response.status >= 200 && response.status < 300) return { delivered: true, statusCode: response.status };
    return { delivered: false, statusCode: response.status, error: `the receiver answered HTTP ${response.status}` };
  } catch (error) {
    return { delivered: false, statusCode: null, error: describeFailure(error, options.timeoutMs) };
  }
}
