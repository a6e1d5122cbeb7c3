import type { Server } from 'node:http';
import { ensureAdminAccess } from './auth/bootstrap.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase } from './db/open.js';
import { createBus } from './bus/bus.js';
import { checkHealth } from './health.js';
import { MemoryLiveStore } from './live/storeMemory.js';
import { RedisLiveStore } from './live/storeRedis.js';
import { startWorker } from './live/worker.js';
import { pbxTargets } from './pbxTargets.js';
import { attachGraphQLWebSockets } from './graphql/liveSockets.js';
import { createGraphQLHandler } from './graphql/yoga.js';
import { createHttpServer, type HttpServer } from './http/server.js';
import { createLogger, type Logger } from './logger.js';

export type Running = { url: string; stop(): Promise<void> };

/** Starts every part this process plays: storage, admin access, the HTTP API. */
export async function start(config: Config, log: Logger): Promise<Running> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    onIdleError: (error) => log.warn({ err: error }, 'PostgreSQL dropped an idle connection'),
  });
  const storage = config.databaseUrl ? 'postgresql' : `embedded (${config.dataDir})`;
  log.info({ storage, migrationsApplied: database.applied }, 'database ready');

  const access = await ensureAdminAccess(database.prisma, { adminToken: config.adminToken, dataDir: config.dataDir });

  const store = config.redisUrl ? new RedisLiveStore({ redisUrl: config.redisUrl, log }) : new MemoryLiveStore();
  const bus = createBus({ redisUrl: config.redisUrl, log });
  const targets = await pbxTargets(database.prisma, config.amiUrl, log);
  const worker = await startWorker({ servers: targets.servers, store, bus, log });
  const stopLive = async () => {
    await worker.stop();
    await targets.simulator?.close();
    await Promise.all([store.close(), bus.close()]);
  };

  const health = () =>
    checkHealth([
      { name: 'database', run: () => database.driver.withConnection((c) => c.query('SELECT 1')) },
      { name: config.redisUrl ? 'redis' : 'live store', run: () => store.servers() },
      ...worker.probes,
    ]);
  let http: HttpServer;
  try {
    const graphql = createGraphQLHandler({
      prisma: database.prisma,
      driver: database.driver,
      log,
      sessionTtlMs: config.sessionTtlMs,
      health,
      store,
      bus,
    });
    const attach = (server: Server) => attachGraphQLWebSockets(server, graphql);
    http = await createHttpServer({ graphql, health, attach }).listen(config.port, config.host);
  } catch (error) {
    await stopLive();
    await database.close();
    throw error;
  }
  log.info({ url: http.url }, 'GraphQL API listening');
  if (access.kind === 'generated') {
    // Printed once, on the start that made it; it is also kept in the file for later.
    process.stdout.write(
      `\n  Switchboard is ready: GraphiQL at ${http.url}\n` +
        `  Admin token (saved in ${access.file}):\n\n    ${access.secret}\n\n` +
        `  Send it as the header  Authorization: Bearer <token>\n\n`,
    );
  }
  return {
    url: http.url,
    async stop() {
      await http.close();
      await stopLive();
      await database.close();
    },
  };
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
  const running = await start(config, log);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    process.stderr.write(`Switchboard failed to start: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
