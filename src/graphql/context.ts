import type { AuditLog } from '../audit/auditLog.js';
import type { Viewer } from '../auth/roles.js';
import type { SqlDriver } from '../db/driver.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { LiveBus } from '../bus/bus.js';
import type { HealthReport } from '../health.js';
import type { PbxActions } from '../pbx/actions.js';
import type { LiveStore } from '../live/store.js';
import type { ApplicationPolicy } from '../outbound/applications.js';
import type { WebhookTargets } from '../webhooks/targets.js';

/** What every resolver gets: the stores and who is calling. Built per request (or socket) by http/. */
export type Context = {
  prisma: PrismaClient;
  driver: SqlDriver;
  /** Null when no token was sent; fields that need a role then answer UNAUTHENTICATED. */
  viewer: Viewer | null;
  sessionTtlMs: number;
  health: () => Promise<HealthReport>;
  /** Live state of every PBX, as the ingest worker keeps it. */
  store: LiveStore;
  /** Live changes as they happen, for subscriptions. */
  bus: LiveBus;
  /** AMI actions to any followed PBX, by its name (supervisor mutations). */
  actions: PbxActions;
  /** The dialplan applications a destination may name (configuration's, never the API's). */
  applications: ApplicationPolicy;
  /** The addresses webhook receivers may have (configuration's). */
  webhookTargets: WebhookTargets;
  /** The caller's network address, as the login throttle and the audit log keep it. */
  clientAddress: string;
  /** Where every mutation is recorded. */
  audit: AuditLog;
};
