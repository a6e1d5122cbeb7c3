import type { ApiToken, PrismaClient, Session, User } from '../generated/prisma/client.js';
import { AuthenticationError } from '../errors.js';
import type { Viewer } from './roles.js';
import { hashSecret, SESSION_PREFIX } from './secrets.js';

/** lastUsedAt is a convenience for people, not an audit log: write it at most this often. */
const LAST_USED_RESOLUTION_MS = 60_000;

function stale(lastUsedAt: Date | null, now: Date): boolean {
  return !lastUsedAt || now.getTime() - lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS;
}

/** Why a session no longer lets its holder in, or null while it does. */
export function sessionProblem(session: Session & { user: User }, now: Date): string | null {
  if (session.revokedAt) return 'This session has ended (logged out, or the user was disabled or given a new password): log in again';
  if (session.expiresAt <= now) return 'This session has expired: log in again';
  if (session.user.disabled) return `User ${session.user.username} is disabled`;
  return null;
}

/** Why an API token no longer lets its holder in, or null while it does. */
export function apiTokenProblem(token: ApiToken, now: Date): string | null {
  if (token.revokedAt) return `API token ${token.name} was revoked`;
  if (token.expiresAt && token.expiresAt <= now) return `API token ${token.name} has expired`;
  return null;
}

export function sessionViewer(session: Session & { user: User }): Viewer {
  return { kind: 'user', id: session.user.id, name: session.user.username, role: session.user.role, sessionId: session.id };
}

export function apiTokenViewer(token: ApiToken): Viewer {
  return { kind: 'apiToken', id: token.id, name: token.name, role: token.role, sessionId: null };
}

/**
 * Resolves a bearer secret to who is calling. Checked on every request, so a revoked token, an expired
 * one or a disabled user's session stops working at once.
 */
export async function authenticate(prisma: PrismaClient, secret: string, now = new Date()): Promise<Viewer> {
  const tokenHash = hashSecret(secret);
  if (secret.startsWith(SESSION_PREFIX)) {
    const session = await prisma.session.findUnique({ where: { tokenHash }, include: { user: true } });
    if (!session) throw new AuthenticationError('This session token is not valid');
    const problem = sessionProblem(session, now);
    if (problem) throw new AuthenticationError(problem);
    if (stale(session.lastUsedAt, now)) {
      // updateMany: a session pruned or deleted with its user meanwhile is simply not touched.
      await prisma.session.updateMany({ where: { id: session.id }, data: { lastUsedAt: now } });
    }
    return sessionViewer(session);
  }
  {
    // Any other secret is an API token: ours start with sbt_, an operator's ADMIN_TOKEN may not.
    const token = await prisma.apiToken.findUnique({ where: { tokenHash } });
    if (!token) throw new AuthenticationError('This API token is not valid');
    const problem = apiTokenProblem(token, now);
    if (problem) throw new AuthenticationError(problem);
    if (stale(token.lastUsedAt, now)) {
      await prisma.apiToken.updateMany({ where: { id: token.id }, data: { lastUsedAt: now } });
    }
    return apiTokenViewer(token);
  }
}

/** The bearer secret of an `Authorization: Bearer <secret>` header, if any. */
export function bearerSecret(header: string | null | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw new AuthenticationError('The Authorization header must be "Bearer <token>"');
  return match[1];
}
