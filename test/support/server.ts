import type { Server } from 'node:http';
import { startApi } from '../../src/api.js';
import { createApiToken } from '../../src/auth/apiTokens.js';
import type { CredentialWatch } from '../../src/auth/credentialWatch.js';
import type { Role } from '../../src/auth/roles.js';
import { checkHealth } from '../../src/health.js';
import { createBus, type LiveBus } from '../../src/bus/bus.js';
import type { BodyLimits } from '../../src/graphql/bodyLimits.js';
import { localPbxActions, type PbxActions } from '../../src/pbx/actions.js';
import type { LiveStore } from '../../src/live/store.js';
import { MemoryLiveStore } from '../../src/live/storeMemory.js';
import { createLogger, type Logger } from '../../src/logger.js';
import type { TestDatabase } from './database.js';

export type GraphQLResponse<T = Record<string, unknown>> = {
  status: number;
  data: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
};

export type TestServer = {
  url: string;
  /** The Node HTTP server itself, for a test that cuts its connections. */
  server: Server;
  /** The same endpoint for graphql-ws: ws://host:port/graphql. */
  wsUrl: string;
  database: TestDatabase;
  tokens: Record<Role, string>;
  /** The open connections' credentials the server watches. */
  credentials: CredentialWatch;
  /** POSTs one operation; `token` null sends no Authorization header. */
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string | null,
  ): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
};

/** The real HTTP server on a free port over `database`, with one API token per role. */
export async function startTestServer(
  database: TestDatabase,
  options: { sessionTtlMs?: number; store?: LiveStore; bus?: LiveBus; actions?: PbxActions; credentialRecheckMs?: number; bodyLimits?: BodyLimits; log?: Logger } = {},
): Promise<TestServer> {
  const tokens = {} as Record<Role, string>;
  for (const role of ['ADMIN', 'SUPERVISOR', 'VIEWER'] as const) {
    tokens[role] = (await createApiToken(database.prisma, { name: `test ${role}`, role })).secret;
  }
  const health = () => checkHealth([{ name: 'database', run: () => database.driver.withConnection((c) => c.query('SELECT 1')) }]);
  const api = await startApi({
    prisma: database.prisma,
    driver: database.driver,
    log: options.log ?? createLogger((process.env.TEST_LOG_LEVEL ?? 'silent') as 'silent'),
    sessionTtlMs: options.sessionTtlMs ?? 3_600_000,
    health,
    store: options.store ?? new MemoryLiveStore(),
    bus: options.bus ?? createBus(),
    actions: options.actions ?? localPbxActions(new Map()),
    credentialRecheckMs: options.credentialRecheckMs,
    bodyLimits: options.bodyLimits,
    port: 0,
    host: '127.0.0.1',
  });
  return {
    url: api.url,
    server: api.server,
    wsUrl: api.wsUrl,
    database,
    tokens,
    credentials: api.credentials,
    async graphql(query, variables, token = tokens.ADMIN) {
      const response = await fetch(api.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as Omit<GraphQLResponse, 'status'>;
      return { status: response.status, ...body } as GraphQLResponse<never>;
    },
    close: () => api.close(),
  };
}
