import { resolve } from 'node:path';
import { z } from 'zod';
import { SESSION_PREFIX } from './auth/secrets.js';
import { webhookTargets as webhookTargetsOf, WebhookTargetsError, type WebhookTargets } from './webhooks/targets.js';
import { ApplicationPolicyError, applicationPolicy, DEFAULT_APPLICATIONS, type ApplicationPolicy } from './outbound/applications.js';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * What a process does: `api` serves GraphQL, `worker` follows the PBXs (ingest, and the AMI actions the API
 * asks for), `dialer` runs campaigns, `all` everything, as one process on the embedded default.
 */
export const roles = ['all', 'api', 'worker', 'dialer'] as const;
export type ProcessRole = (typeof roles)[number];

const optionalUrl = (protocols: string[], example: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === '' ? undefined : value))
    .refine((value) => value === undefined || protocols.some((p) => value.startsWith(`${p}://`)), {
      message: `must look like ${example}`,
    });

/** A comma-separated list, each item trimmed; absent or empty: none. */
const commaList = z
  .string()
  .optional()
  .transform((value) => value?.split(',').map((item) => item.trim()).filter((item) => item !== '') ?? []);

/** A comma-separated list of names (applications, hosts); absent or empty: undefined, the default. */
const nameList = commaList
  .transform((names) => (names.length === 0 ? undefined : names))
  .refine((names) => names === undefined || names.every((name) => /^[A-Za-z0-9_.-]+$/.test(name)), { message: 'must be names separated by commas' });

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: optionalUrl(['postgresql', 'postgres'], 'postgresql://user:password@host:5432/database'),
  REDIS_URL: optionalUrl(['redis', 'rediss'], 'redis://host:6379'),
  AMI_URL: optionalUrl(['ami'], 'ami://user:secret@host:5038'),
  ADMIN_TOKEN: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === '' ? undefined : value))
    .refine((value) => value === undefined || value.length >= 24, { message: 'must be at least 24 characters' })
    .refine((value) => value === undefined || /^\S+$/.test(value), { message: 'must not contain spaces (it is sent as a Bearer token)' })
    .refine((value) => value === undefined || !value.startsWith(SESSION_PREFIX), {
      message: `must not start with ${SESSION_PREFIX}, which marks session tokens`,
    }),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  ROLE: z.enum(roles).default('all'),
  CALL_LOG_MINUTES: z.coerce.number().positive().default(10),
  AUDIT_LOG_DAYS: z.coerce.number().positive().default(180),
  SESSION_HISTORY_DAYS: z.coerce.number().positive().default(30),
  WEBHOOK_DELIVERY_DAYS: z.coerce.number().positive().default(30),
  DIALING_LOST_HOURS: z.coerce.number().positive().default(24),
  SHUTDOWN_SECONDS: z.coerce.number().positive().max(3600).default(30),
  AMI_KEEPALIVE_SECONDS: z.coerce.number().min(1).max(300).optional(),
  GRAPHIQL: z.enum(['true', 'false']).optional(),
  DIALPLAN_APPLICATIONS: nameList,
  WEBHOOK_ALLOWED_NETWORKS: commaList,
  AGI_HOSTS: nameList,
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  amiUrl: string | undefined;
  adminToken: string | undefined;
  logLevel: (typeof logLevels)[number];
  sessionTtlMs: number;
  role: ProcessRole;
  /** How long the events of the dialer's calls are kept after their last one (a call that ends unfollowed is recorded from them). */
  callLogMs: number;
  /** How long audit log entries are kept. */
  auditLogMs: number;
  /** How long a login session is kept once it has ended (expired or revoked). */
  sessionHistoryMs: number;
  /** How long a webhook notification is kept once its receiver took it. */
  webhookDeliveryMs: number;
  /** A live dialing with no end after this long is recorded as lost. */
  dialingLostMs: number;
  /** How long a stop on SIGTERM may take before the process exits anyway. */
  shutdownMs: number;
  /** How often each AMI connection Pings its PBX, and how long an unanswered Ping waits before dropping it; the connection's defaults when absent. */
  amiKeepaliveMs: number | undefined;
  /** The dialplan applications destinations may name (DIALPLAN_APPLICATIONS, AGI_HOSTS). */
  applications: ApplicationPolicy;
  /** The non-public networks webhook receivers may be on (WEBHOOK_ALLOWED_NETWORKS); none by default. */
  webhookTargets: WebhookTargets;
  /** Serve GraphiQL to browsers: on by default on the embedded default, off with DATABASE_URL, GRAPHIQL either way. */
  graphiql: boolean;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the environment once; a wrong value names the variable. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new ConfigError(`Invalid environment: ${problems.join('; ')}`);
  }
  const env = parsed.data;
  let applications: ApplicationPolicy;
  try {
    applications = applicationPolicy(env.DIALPLAN_APPLICATIONS ?? DEFAULT_APPLICATIONS, env.AGI_HOSTS ?? []);
  } catch (error) {
    if (!(error instanceof ApplicationPolicyError)) throw error;
    throw new ConfigError(`Invalid environment: DIALPLAN_APPLICATIONS ${error.message}`);
  }
  let webhookTargets: WebhookTargets;
  try {
    webhookTargets = webhookTargetsOf(env.WEBHOOK_ALLOWED_NETWORKS);
  } catch (error) {
    if (!(error instanceof WebhookTargetsError)) throw error;
    throw new ConfigError(`Invalid environment: WEBHOOK_ALLOWED_NETWORKS ${error.message}`);
  }
  if (env.ROLE !== 'all' && (env.REDIS_URL === undefined || env.DATABASE_URL === undefined)) {
    // Split processes share live state and AMI actions through Redis and everything else through
    // PostgreSQL; the embedded database and in-process bus would leave each of them alone.
    throw new ConfigError(`Invalid environment: ROLE ${env.ROLE} needs REDIS_URL and DATABASE_URL (the processes share them)`);
  }
  return {
    port: env.PORT,
    host: env.HOST,
    dataDir: resolve(env.DATA_DIR),
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    amiUrl: env.AMI_URL,
    adminToken: env.ADMIN_TOKEN,
    logLevel: env.LOG_LEVEL,
    sessionTtlMs: env.SESSION_TTL_HOURS * 3_600_000,
    role: env.ROLE,
    callLogMs: env.CALL_LOG_MINUTES * 60_000,
    auditLogMs: env.AUDIT_LOG_DAYS * 86_400_000,
    sessionHistoryMs: env.SESSION_HISTORY_DAYS * 86_400_000,
    webhookDeliveryMs: env.WEBHOOK_DELIVERY_DAYS * 86_400_000,
    dialingLostMs: env.DIALING_LOST_HOURS * 3_600_000,
    shutdownMs: env.SHUTDOWN_SECONDS * 1000,
    amiKeepaliveMs: env.AMI_KEEPALIVE_SECONDS === undefined ? undefined : env.AMI_KEEPALIVE_SECONDS * 1000,
    applications,
    webhookTargets,
    graphiql: env.GRAPHIQL === undefined ? env.DATABASE_URL === undefined : env.GRAPHIQL === 'true',
  };
}
