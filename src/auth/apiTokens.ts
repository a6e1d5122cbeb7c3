import type { ApiToken, PrismaClient } from '../generated/prisma/client.js';
import { NotFoundError } from '../errors.js';
import { requesterNameProblem } from '../requesters.js';
import { Problems, text } from '../validate.js';
import type { Role } from './roles.js';
import { API_TOKEN_PREFIX, hashSecret, newSecret } from './secrets.js';

export type CreatedApiToken = { token: ApiToken; secret: string };

/** How many characters of a secret are kept in clear, to tell tokens apart in a list. */
const VISIBLE_PREFIX_LENGTH = API_TOKEN_PREFIX.length + 6;

/** Creates a token; its secret is returned here once and stored only as a hash. */
export async function createApiToken(
  prisma: PrismaClient,
  input: { name: string; role: Role; expiresAt?: Date | null; createdById?: string | null; secret?: string },
  now = new Date(),
): Promise<CreatedApiToken> {
  const problems = new Problems();
  // Its name is who the token's requests are logged and recorded as: one line, and never one of the dialer's own.
  const name = text(problems, 'name', input.name, { max: 100, required: true }) ?? '';
  const reserved = requesterNameProblem(name);
  if (reserved) problems.add('name', reserved);
  if (input.expiresAt && input.expiresAt <= now) problems.add('expiresAt', 'must be in the future');
  problems.throwIfAny('apiToken');
  const secret = input.secret ?? newSecret(API_TOKEN_PREFIX);
  const token = await prisma.apiToken.create({
    data: {
      name,
      role: input.role,
      tokenHash: hashSecret(secret),
      prefix: secret.slice(0, VISIBLE_PREFIX_LENGTH),
      expiresAt: input.expiresAt ?? null,
      createdById: input.createdById ?? null,
    },
  });
  return { token, secret };
}

/** Revokes a token; requests with it fail from the next one on. */
export async function revokeApiToken(prisma: PrismaClient, id: string, now = new Date()): Promise<ApiToken> {
  const token = await prisma.apiToken.findUnique({ where: { id } });
  if (!token) throw new NotFoundError('ApiToken', id);
  if (token.revokedAt) return token;
  return prisma.apiToken.update({ where: { id }, data: { revokedAt: now } });
}
