import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PrismaClient } from '../generated/prisma/client.js';
import { createApiToken } from './apiTokens.js';
import { hashSecret } from './secrets.js';

export const BOOTSTRAP_TOKEN_NAME = 'bootstrap admin';

export type BootstrapResult =
  /** ADMIN_TOKEN is registered and usable. */
  | { kind: 'configured' }
  | { kind: 'existing' }
  /** A new token: shown to the operator once, and kept in `file`. */
  | { kind: 'generated'; secret: string; file: string };

/**
 * Makes sure someone can administer the server: ADMIN_TOKEN when set, else a generated token when no
 * working admin credential exists (a first start, or every admin locked out).
 */
export async function ensureAdminAccess(
  prisma: PrismaClient,
  options: { adminToken: string | undefined; dataDir: string },
  now = new Date(),
): Promise<BootstrapResult> {
  if (options.adminToken) {
    const existing = await prisma.apiToken.findUnique({ where: { tokenHash: hashSecret(options.adminToken) } });
    if (!existing) {
      await createApiToken(prisma, { name: BOOTSTRAP_TOKEN_NAME, role: 'ADMIN', secret: options.adminToken }, now);
      return { kind: 'configured' };
    }
    // A revoked ADMIN_TOKEN stays revoked; if it was the last way in, a new token is generated below.
    if (!existing.revokedAt) return { kind: 'configured' };
  }
  const [adminTokens, adminUsers] = await Promise.all([
    prisma.apiToken.count({
      where: { role: 'ADMIN', revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    }),
    prisma.user.count({ where: { role: 'ADMIN', disabled: false } }),
  ]);
  if (adminTokens + adminUsers > 0) return { kind: 'existing' };
  const { secret } = await createApiToken(prisma, { name: BOOTSTRAP_TOKEN_NAME, role: 'ADMIN' }, now);
  await mkdir(options.dataDir, { recursive: true });
  const file = join(options.dataDir, 'admin-token');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return { kind: 'generated', secret, file };
}
