/** Prisma reports a unique constraint violation as P2002, through either adapter. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
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
