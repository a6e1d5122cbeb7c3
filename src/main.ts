import { startApi, startStatusServer } from './api.js';
import { ensureAdminAccess } from './auth/bootstrap.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { isUnreachable } from './db/errors.js';
import { startEmbeddedMaintenance } from './db/maintenance.js';
import { openDatabase, type Database, type DatabaseOptions } from './db/open.js';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
import { changePublisher, createBus } from './bus/bus.js';
import { checkHealth, PROBE_TIMEOUT_MS, withinTime } from './health.js';
import { pbxHealth } from './live/pbx.js';
import { MemoryLiveStore } from './live/storeMemory.js';
import { RedisLiveStore } from './live/storeRedis.js';
import { startWorker } from './live/worker.js';
import type { AmiConnection } from './ami/connection.js';
import { openConnections } from './ami/connections.js';
import { startDialer } from './dialer/engine.js';
import { startDeliverer } from './webhooks/deliverer.js';
import { localPbxActions, type PbxActions } from './pbx/actions.js';
import { relayPbxActions } from './pbx/actionRelay.js';
import { servePbxActions } from './pbx/actionServer.js';
import { pbxTargets } from './pbx/targets.js';
import { auditLog, deliveredWebhooks, endedSessions } from './retention/prunable.js';
import { startRetention } from './retention/retention.js';
import { startMemberCountFolding } from './outbound/memberCounts.js';
import { createLogger, type Logger } from './logger.js';
import { unhandledRejections } from './metrics/processMetrics.js';
import { Stops, stopOnSignals } from './shutdown.js';

/** A started process: `stop` stops each part it started, logging each, and says whether every one stopped cleanly. */
export type Running = { url: string; stop(): Promise<boolean> };

/** Starts the parts this process plays (config.role): storage, admin access, the PBX worker, the HTTP API. */
export async function start(config: Config, log: Logger): Promise<Running> {
  const database = await openWhenReachable(
    {
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      onConnectionError: (error) => log.warn({ err: error }, 'PostgreSQL dropped a connection; the next query opens another'),
    },
    log,
  );
  const storage = config.databaseUrl ? 'postgresql' : `embedded (${config.dataDir})`;
  log.info({ storage, migrationsApplied: database.applied, role: config.role }, 'database ready');
  const stops = new Stops();
  stops.add('database', () => database.close());
  try {
    const serving = await startRole(config, log, database, stops);
    log.info({ url: serving.url }, serving.graphql ? 'GraphQL API listening' : `${config.role} health at /health`);
    return { url: serving.url, stop: () => stops.stopAll(log) };
  } catch (error) {
    await stops.stopAll(log);
    throw error;
  }
}

/**
 * Opens the database, waiting with backoff for a PostgreSQL that is not up yet (started alongside, restarting)
 * instead of exiting: a process started during an outage goes to work once it is over.
 */
async function openWhenReachable(options: DatabaseOptions, log: Logger): Promise<Database> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await openDatabase(options);
    } catch (error) {
      if (!options.databaseUrl || !isUnreachable(error)) throw error;
      const delayMs = backoffDelay(attempt, DEFAULT_BACKOFF, Math.random);
      log.warn({ err: error, delayMs }, 'PostgreSQL is not reachable yet; trying again');
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

async function startRole(config: Config, log: Logger, database: Database, stops: Stops): Promise<{ url: string; graphql: boolean }> {
  const access = await ensureAdminAccess(database.prisma, { adminToken: config.adminToken, dataDir: config.dataDir });
  const { callLogMs } = config;
  const store = config.redisUrl ? new RedisLiveStore({ redisUrl: config.redisUrl, log, callLogMs }) : new MemoryLiveStore({ callLogMs });
  const bus = createBus({ redisUrl: config.redisUrl, log });
  stops.add('live store and bus', () => Promise.all([store.close(), bus.close()]));

  let actions: PbxActions;
  let servers: () => Promise<string[]>;
  if (config.role === 'api') {
    actions = relayPbxActions({ redisUrl: config.redisUrl as string, log });
    servers = () => store.servers();
  } else {
    // A simulated PBX only for the one process that plays every role: split processes must share a real one.
    // A PBX that goes silent without closing its socket is noticed by its unanswered Ping.
    const ami = config.amiKeepaliveMs === undefined ? {} : { keepaliveMs: config.amiKeepaliveMs, pongTimeoutMs: config.amiKeepaliveMs };
    const targets = await pbxTargets(database.prisma, config.amiUrl, log, { simulateWhenNone: config.role === 'all' });
    const { simulator } = targets;
    if (simulator) stops.add('simulated PBX', () => simulator.close());
    let connections: ReadonlyMap<string, AmiConnection>;
    if (config.role === 'dialer') {
      const own = openConnections(targets.servers, log, ami);
      stops.add('PBX connections', () => Promise.all([...own.values()].map((connection) => connection.close())));
      connections = own;
    } else {
      const worker = await startWorker({ servers: targets.servers, store, publish: changePublisher(bus), log, ami });
      stops.add('PBX worker', () => worker.stop());
      // The webhook outbox goes out from worker processes, away from the dialer's loop; several may share it.
      const deliverer = startDeliverer({ driver: database.driver, log, targets: config.webhookTargets });
      stops.add('webhook deliverer', () => deliverer.stop());
      connections = worker.connections;
      if (config.redisUrl) {
        const relay = servePbxActions({ redisUrl: config.redisUrl, connections, log });
        stops.add('PBX action relay', () => relay.close());
      }
    }
    actions = localPbxActions(connections);
    servers = async () => [...connections.keys()];
    if (config.role === 'all' || config.role === 'dialer') {
      const dialer = startDialer({ prisma: database.prisma, driver: database.driver, connections, store, bus, log, originateRates: targets.originateRates, applications: config.applications, lostAfterMs: config.dialingLostMs });
      stops.add('dialer (its live calls are recorded or handed over)', () => dialer.stop());
    }
  }
  stops.add('PBX actions', () => actions.close());

  // The servers the last answer named: with Redis away the API still says which PBXs it cannot vouch for.
  let knownServers: string[] = [];
  const health = async () => {
    knownServers = await withinTime(servers(), PROBE_TIMEOUT_MS, 'PBX servers').catch(() => knownServers);
    const [report, pbx] = await Promise.all([
      checkHealth([
        { name: 'database', run: () => database.driver.withConnection((c) => c.query('SELECT 1')) },
        { name: config.redisUrl ? 'redis' : 'live store', run: () => store.servers() },
        ...knownServers.map((server) => ({ name: `ami:${server}`, run: () => actions.send(server, { action: 'Ping' }, { timeoutMs: PROBE_TIMEOUT_MS }) })),
      ]),
      // What each PBX last said of itself; left out when the live store cannot say (its own check says why).
      withinTime(Promise.all([store.list('pbx'), store.list('call')]), PROBE_TIMEOUT_MS, 'PBX status').catch(() => undefined),
    ]);
    if (pbx === undefined) return report;
    const [pbxs, calls] = pbx;
    const callsOf = (server: string) => calls.filter((call) => call.server === server).length;
    return { ...report, pbx: pbxs.map((each) => pbxHealth(each, callsOf(each.server))).sort((a, b) => a.server.localeCompare(b.server)) };
  };
  const servesApi = config.role === 'all' || config.role === 'api';
  if (servesApi) {
    const kept = [auditLog(config.auditLogMs), endedSessions(config.sessionHistoryMs), deliveredWebhooks(config.webhookDeliveryMs)];
    const retention = startRetention({ prisma: database.prisma, kept, log });
    stops.add('retention', () => retention.stop());
    const memberCounts = startMemberCountFolding({ driver: database.driver, log });
    stops.add('member count folding', () => memberCounts.stop());
  }
  if (database.driver.kind === 'embedded') {
    const maintenance = startEmbeddedMaintenance({ driver: database.driver, log });
    stops.add('embedded database maintenance', () => maintenance.stop());
  }
  // /metrics on every role: each process counts its own work. GraphQL and the CSV export go with the API.
  const listen = { port: config.port, host: config.host };
  const { prisma, driver } = database;
  const http = servesApi
    ? await startApi({ prisma, driver, log, sessionTtlMs: config.sessionTtlMs, health, store, bus, actions, applications: config.applications, webhookTargets: config.webhookTargets, graphiql: config.graphiql, ...listen })
    : await startStatusServer({ prisma, log, health, ...listen });
  stops.add('HTTP server (no new requests)', () => http.close());
  if (servesApi && access.kind === 'generated') {
    // Printed once, on the start that made it; it is also kept in the file for later.
    process.stdout.write(
      `\n  Switchboard is ready: ${config.graphiql ? 'GraphiQL' : 'GraphQL'} at ${http.url}\n` +
        `  Admin token (saved in ${access.file}):\n\n    ${access.secret}\n\n` +
        `  Send it as the header  Authorization: Bearer <token>\n` +
        `  Wallboard: ${http.url.replace(/\/graphql$/, '/wallboard')} (sign in with the token)\n\n`,
    );
  }
  return { url: http.url, graphql: servesApi };
}

/** Values from ./.env, when there is one; the environment wins over the file. */
function loadDotEnv(): void {
  try {
    process.loadEnvFile('.env');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

async function main(): Promise<void> {
  loadDotEnv();
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  // A promise nobody awaited that failed is a bug to fix, not a reason to drop every call this process follows.
  process.on('unhandledRejection', (reason: unknown) => {
    unhandledRejections.inc();
    log.error({ err: reason }, 'unhandled promise rejection (a bug: please report it); carrying on');
  });
  // Listening for signals before anything starts: a SIGTERM that comes as the server says it is listening (or
  // while it starts) stops it in order, once it has started, instead of killing it outright.
  const starting = start(config, log);
  stopOnSignals({ stop: async () => (await starting).stop(), boundMs: config.shutdownMs, log });
  await starting;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    process.stderr.write(`Switchboard failed to start: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
