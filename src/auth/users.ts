import { requesterNameProblem } from '../requesters.js';
import { isUniqueViolation, orNotFound } from '../db/errors.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { PrismaClient, User } from '../generated/prisma/client.js';
import { patterned, Problems, TECH_RESOURCE, text } from '../validate.js';
import type { Role } from './roles.js';
import { hashPassword } from './secrets.js';

export type UserInput = {
  username?: string | null;
  displayName?: string | null;
  endpoint?: string | null;
  role?: Role | null;
  password?: string | null;
  disabled?: boolean | null;
};

const USERNAME = /^[A-Za-z0-9._@-]{2,64}$/;
const MIN_PASSWORD = 10;

async function userData(input: UserInput, creating: boolean) {
  const problems = new Problems();
  if (creating || input.username !== undefined) {
    if (!input.username || !USERNAME.test(input.username)) {
      problems.add('username', 'must be 2-64 characters of letters, digits, and . _ @ -');
    } else {
      const reserved = requesterNameProblem(input.username);
      if (reserved) problems.add('username', reserved);
    }
  }
  const displayName = text(problems, 'displayName', input.displayName, { max: 100 });
  const endpoint = patterned(problems, 'endpoint', input.endpoint, TECH_RESOURCE, 'an endpoint as Asterisk dials it (TECH/resource, e.g. PJSIP/2001)');
  if (creating || input.password !== undefined) {
    if (!input.password || input.password.length < MIN_PASSWORD) {
      problems.add('password', `must be at least ${MIN_PASSWORD} characters`);
    } else if (input.password.length > 200) {
      problems.add('password', 'must be at most 200 characters');
    }
  }
  problems.throwIfAny('user');
  return {
    username: input.username ?? undefined,
    displayName,
    endpoint,
    role: input.role ?? undefined,
    disabled: input.disabled ?? undefined,
    passwordHash: input.password ? await hashPassword(input.password) : undefined,
  };
}

async function saving(work: () => Promise<User>, username: string | null | undefined): Promise<User> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(`The username ${username} is taken`);
    throw error;
  }
}

export async function createUser(prisma: PrismaClient, input: UserInput): Promise<User> {
  const data = await userData(input, true);
  return saving(
    () => prisma.user.create({ data: { ...data, username: data.username ?? '', passwordHash: data.passwordHash ?? '' } }),
    input.username,
  );
}

/** Updates a user; disabling one or changing the role takes effect on their very next request. */
export async function updateUser(prisma: PrismaClient, id: string, input: UserInput, actingUserId: string | null): Promise<User> {
  const existing = await prisma.user.findUnique({ where: { id } });
  if (!existing) throw new NotFoundError('User', id);
  if (actingUserId === id && (input.disabled === true || (input.role && input.role !== 'ADMIN'))) {
    throw ValidationError.of('role', 'an admin cannot disable or demote themselves (ask another admin)');
  }
  const data = await userData(input, false);
  return saving(
    () =>
      prisma.$transaction(async (tx) => {
        const user = await orNotFound(tx.user.update({ where: { id }, data }), 'User', id);
        // Disabling a user or changing their password ends their sessions: re-enabling must not revive them.
        if (input.disabled === true || input.password) {
          await tx.session.updateMany({ where: { userId: id, revokedAt: null }, data: { revokedAt: new Date() } });
        }
        return user;
      }),
    input.username,
  );
}
