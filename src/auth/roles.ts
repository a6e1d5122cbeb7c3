import { Role } from '../generated/prisma/enums.js';

export { Role };

const rank: Record<Role, number> = { VIEWER: 1, SUPERVISOR: 2, ADMIN: 3 };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && value in rank;
}

/** Roles nest: an ADMIN may do all a SUPERVISOR may, who may do all a VIEWER may. */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return rank[role] >= rank[needed];
}

/** Who is calling: a logged-in user or an API token. */
export type Viewer = {
  kind: 'user' | 'apiToken';
  /** The user's or the token's id. */
  id: string;
  name: string;
  role: Role;
  /** The session the user's token opened, for logout. */
  sessionId: string | null;
};
