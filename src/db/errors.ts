import { NotFoundError } from '../errors.js';

function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

/** A unique constraint violation: P2002 from Prisma (through either adapter), 23505 from the SQL driver. */
export function isUniqueViolation(error: unknown): boolean {
  const code = codeOf(error);
  return code === 'P2002' || code === '23505';
}

/**
 * `write`, with the record it needs gone (Prisma's P2025: deleted between the find that checked it and this
 * update or delete) answered as NotFoundError, as if the find had come a moment later.
 */
export async function orNotFound<T>(write: Promise<T>, resource: string, id: string): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (codeOf(error) === 'P2025') throw new NotFoundError(resource, id);
    throw error;
  }
}

/** Socket errors of a server that is down or restarting, and PostgreSQL's own "starting up" and "shutting down" (57P01-57P03). */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', '57P01', '57P02', '57P03']);

/** The database could not be reached (down, restarting, out of reach): worth trying again, unlike a wrong password or schema. */
export function isUnreachable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
  // pg's own words for a connect that timed out or a connection cut mid-way.
  return typeof message === 'string' && /timeout exceeded when trying to connect|Connection terminated/.test(message);
}
