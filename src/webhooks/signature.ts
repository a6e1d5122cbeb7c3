import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header each delivery carries: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
export const SIGNATURE_HEADER = 'Switchboard-Signature';

function digest(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The signature header's value for `body` sent at `timestamp` (unix seconds). */
export function signBody(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${digest(secret, timestamp, body)}`;
}

/**
 * What a receiver does with the header: true when it was made with `secret` over this very body, no more than
 * `toleranceSec` from `nowSec` (the timestamp is signed too, so an old delivery cannot be replayed as new).
 */
export function verifySignature(secret: string, header: string, body: string, options: { nowSec: number; toleranceSec?: number }): boolean {
  const parts = new Map(header.split(',').map((part) => part.split('=', 2) as [string, string]));
  const timestamp = Number(parts.get('t'));
  const given = parts.get('v1');
  if (!Number.isInteger(timestamp) || !given) return false;
  if (Math.abs(options.nowSec - timestamp) > (options.toleranceSec ?? 300)) return false;
  const expected = Buffer.from(digest(secret, timestamp, body), 'hex');
  const received = Buffer.from(given, 'hex');
  return received.length === expected.length && timingSafeEqual(received, expected);
}
