import type { PrismaClient, Prisma } from '../generated/prisma/client.js';
import type { Role, Viewer } from '../auth/roles.js';
import type { Logger } from '../logger.js';

/** One mutation as it is recorded. */
export type AuditRecord = {
  viewer: Viewer | null;
  /** Who an anonymous caller said they were (the username of a login attempt). */
  claimedName?: string | null;
  clientAddress: string;
  mutation: string;
  arguments: Readonly<Record<string, unknown>>;
  result: string;
};

/** Longest text kept of one argument value, and most items kept of one list: enough to tell what was done. */
const MAX_TEXT = 200;
const MAX_ITEMS = 10;
const MAX_DEPTH = 4;
/** Arguments whose values are never recorded. */
const SECRET = /password|secret/i;

/**
 * An argument value as the audit log keeps it: secrets redacted, long text and lists cut short with their
 * size, files by name, dates as ISO text.
 */
export function recordedValue(value: unknown, key = '', depth = 0): Prisma.InputJsonValue | null {
  if (value === null || value === undefined) return null;
  if (SECRET.test(key)) return '[redacted]';
  if (typeof value === 'string') return value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}… (${value.length} characters)` : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  if (depth >= MAX_DEPTH) return '…';
  if (Array.isArray(value)) {
    const kept = value.slice(0, MAX_ITEMS).map((item) => recordedValue(item, key, depth + 1));
    return value.length > MAX_ITEMS ? [...kept, `… (${value.length} items)`] : kept;
  }
  if (typeof value === 'object') {
    if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
      const name = (value as { name?: unknown }).name;
      return typeof name === 'string' ? { file: name } : String(value);
    }
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, recordedValue(item, name, depth + 1)]));
  }
  return String(value);
}

function actorKind(viewer: Viewer | null): string | null {
  if (!viewer) return null;
  return viewer.kind === 'user' ? 'USER' : 'API_TOKEN';
}

/**
 * Every mutation, kept in the database: who ran it (user or API token, their name and role then), from
 * where, what with, when, and what it answered. A failure to record is logged, never the mutation's own.
 */
export class AuditLog {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly log: Logger,
  ) {}

  async record(record: AuditRecord): Promise<void> {
    const { viewer } = record;
    try {
      await this.prisma.auditEntry.create({
        data: {
          actorKind: actorKind(viewer),
          actorId: viewer?.id ?? null,
          actorName: viewer?.name ?? record.claimedName ?? 'anonymous',
          actorRole: (viewer?.role as Role | undefined) ?? null,
          clientAddress: record.clientAddress,
          mutation: record.mutation,
          arguments: recordedValue(record.arguments) ?? {},
          result: record.result,
        },
      });
    } catch (error) {
      this.log.error({ err: error, mutation: record.mutation, actor: viewer?.name }, 'could not write a mutation to the audit log');
    }
  }
}
