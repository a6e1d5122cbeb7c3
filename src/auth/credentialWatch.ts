import type { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import { apiTokenProblem, sessionProblem } from './authenticate.js';
import type { Role, Viewer } from './roles.js';

/** What a change concerns: one user (every session of theirs), one session, or one API token. */
export type CredentialSubject = { kind: 'user' | 'session' | 'apiToken'; id: string };

/** Why a watched credential stopped: revoked (do not come back with it), or its role changed (connect again). */
export type CredentialEnding = { revoked: boolean; reason: string };

/** How often every watched credential is checked again anyway: expiry, and any change whose message was lost. */
export const CREDENTIAL_RECHECK_MS = 5_000;

export type CredentialWatchOptions = {
  /** Changes announced by any process (the bus); followed while something is watched. */
  changes?: () => AsyncIterator<CredentialSubject>;
  recheckMs?: number;
  log?: Logger;
  now?: () => Date;
};

type Watched = { viewer: Viewer; end: (ending: CredentialEnding) => void };

function concerns(viewer: Viewer, subject: CredentialSubject): boolean {
  switch (subject.kind) {
    case 'user':
      return viewer.kind === 'user' && viewer.id === subject.id;
    case 'session':
      return viewer.sessionId === subject.id;
    case 'apiToken':
      return viewer.kind === 'apiToken' && viewer.id === subject.id;
  }
}

/**
 * Open connections (graphql-ws sockets, SSE streams) authenticate once but live for hours. Each watches its
 * credential here and is ended when it is revoked, logged out, expires, its user is disabled or deleted, or its
 * role changes: at once when a change is announced, and within recheckMs by a batched re-check otherwise.
 */
export class CredentialWatch {
  private readonly watched = new Set<Watched>();
  private readonly recheckMs: number;
  private timer: NodeJS.Timeout | undefined;
  private following: AsyncIterator<CredentialSubject> | undefined;
  private checking: Promise<void> | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly options: CredentialWatchOptions = {},
  ) {
    this.recheckMs = options.recheckMs ?? CREDENTIAL_RECHECK_MS;
  }

  /** Calls end once, when viewer's credential stops; the returned function stops watching. */
  watch(viewer: Viewer, end: (ending: CredentialEnding) => void): () => void {
    const entry: Watched = { viewer, end };
    this.watched.add(entry);
    if (this.watched.size === 1) this.begin();
    return () => {
      if (this.watched.delete(entry) && this.watched.size === 0) this.finish();
    };
  }

  /** Checks again, now, the watched credentials the change concerns. */
  async changed(subject: CredentialSubject): Promise<void> {
    await this.recheck([...this.watched].filter((entry) => concerns(entry.viewer, subject)));
  }

  /** Checks every watched credential again (one query per kind). */
  async recheckAll(): Promise<void> {
    // A slow database must not stack re-checks up.
    this.checking ??= this.recheck([...this.watched]).finally(() => (this.checking = undefined));
    await this.checking;
  }

  get size(): number {
    return this.watched.size;
  }

  private begin(): void {
    this.timer = setInterval(() => {
      this.recheckAll().catch((error: unknown) => this.options.log?.warn({ err: error }, 'could not re-check open connections\' credentials; trying again'));
    }, this.recheckMs);
    this.timer.unref();
    const changes = this.options.changes?.();
    if (!changes) return;
    this.following = changes;
    void this.follow(changes);
  }

  private finish(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    void this.following?.return?.();
    this.following = undefined;
  }

  private async follow(changes: AsyncIterator<CredentialSubject>): Promise<void> {
    try {
      for (let next = await changes.next(); !next.done; next = await changes.next()) {
        await this.changed(next.value).catch((error: unknown) => this.options.log?.warn({ err: error, subject: next.value }, 'could not re-check a changed credential; the periodic re-check will'));
      }
    } catch (error) {
      this.options.log?.warn({ err: error }, 'stopped hearing of credential changes; the periodic re-check goes on');
    }
  }

  private async recheck(entries: Watched[]): Promise<void> {
    if (entries.length === 0) return;
    const now = this.options.now?.() ?? new Date();
    const sessionIds = [...new Set(entries.flatMap((entry) => (entry.viewer.sessionId ? [entry.viewer.sessionId] : [])))];
    const tokenIds = [...new Set(entries.flatMap((entry) => (entry.viewer.kind === 'apiToken' ? [entry.viewer.id] : [])))];
    const [sessions, tokens] = await Promise.all([
      sessionIds.length === 0 ? [] : this.prisma.session.findMany({ where: { id: { in: sessionIds } }, include: { user: true } }),
      tokenIds.length === 0 ? [] : this.prisma.apiToken.findMany({ where: { id: { in: tokenIds } } }),
    ]);
    const current = new Map<string, { problem: string | null; role: Role }>();
    for (const session of sessions) current.set(session.id, { problem: sessionProblem(session, now), role: session.user.role });
    for (const token of tokens) current.set(token.id, { problem: apiTokenProblem(token, now), role: token.role });
    for (const entry of entries) {
      const ending = endingOf(entry.viewer, current.get(entry.viewer.sessionId ?? entry.viewer.id));
      // Unwatched meanwhile (the connection closed): nothing to end.
      if (ending && this.watched.delete(entry)) {
        if (this.watched.size === 0) this.finish();
        entry.end(ending);
      }
    }
  }
}

/** The ending of a connection opened as `viewer` whose credential now has `role`: null while it is the same. */
export function roleChange(viewer: Viewer, role: Role): CredentialEnding | null {
  return role === viewer.role ? null : { revoked: false, reason: `Your role is now ${role}: connect again` };
}

function endingOf(viewer: Viewer, current: { problem: string | null; role: Role } | undefined): CredentialEnding | null {
  if (!current) return { revoked: true, reason: viewer.kind === 'user' ? 'This session no longer exists: log in again' : `API token ${viewer.name} no longer exists` };
  if (current.problem) return { revoked: true, reason: current.problem };
  return roleChange(viewer, current.role);
}
