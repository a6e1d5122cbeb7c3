import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** Bearer secrets carry their kind in a prefix, so the right table is looked up. */
export const SESSION_PREFIX = 'sbs_';
export const API_TOKEN_PREFIX = 'sbt_';

export function newSecret(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** Bearer secrets are 256 random bits, so one SHA-256 is enough; passwords get scrypt. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32 };

function derive(password: string, salt: Buffer, options: ScryptOptions & { keyLength: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, options.keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** `scrypt$N$r$p$salt$hash`, so the cost can rise later without breaking stored hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    keyLength: expected.length,
    maxmem: 64 * 1024 * 1024,
  });
  return timingSafeEqual(key, expected);
}
