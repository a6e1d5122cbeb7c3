import type { PrismaClient, User } from '../generated/prisma/client.js';
import { AuthenticationError } from '../errors.js';
import { hashSecret, newSecret, SESSION_PREFIX, verifyPassword } from './secrets.js';

const UNKNOWN_USER_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export type LoginResult = { token: string; expiresAt: Date; user: User; sessionId: string };

/** Checks a user's password and opens a session; wrong credentials and disabled users are refused. */
export async function login(
  prisma: PrismaClient,
  username: string,
  password: string,
  ttlMs: number,
  now = new Date(),
): Promise<LoginResult> {
  const user = await prisma.user.findUnique({ where: { username } });
  // An unknown user costs the same scrypt as a known one, so timing does not tell which names exist.
  const valid = await verifyPassword(password, user?.passwordHash ?? UNKNOWN_USER_HASH);
  if (!user || !valid) throw new AuthenticationError('Invalid username or password');
  if (user.disabled) throw new AuthenticationError(`User ${username} is disabled`);
  const token = newSecret(SESSION_PREFIX);
  const expiresAt = new Date(now.getTime() + ttlMs);
  const [session] = await prisma.$transaction([
    prisma.session.create({ data: { userId: user.id, tokenHash: hashSecret(token), expiresAt } }),
    prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: now } }),
  ]);
  return { token, expiresAt, user, sessionId: session.id };
}

/** Ends a session at once. */
export async function logout(prisma: PrismaClient, sessionId: string, now = new Date()): Promise<void> {
  await prisma.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: now } });
}
