import { randomBytes } from 'node:crypto';

/**
 * A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Ids made here sort by creation, like
 * the ones Prisma makes for `@default(uuid(7))`, and index pages fill in order.
 */
export function uuid7(nowMs = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(nowMs, 0, 6);
  bytes.writeUInt8(((bytes.readUInt8(6) & 0x0f) | 0x70), 6);
  bytes.writeUInt8(((bytes.readUInt8(8) & 0x3f) | 0x80), 8);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
