import { startSimulator, type Simulator } from '../../src/ami/simulator/index.js';
import { changePublisher, createBus, type LiveBus } from '../../src/bus/bus.js';
import { startDialer, type Dialer } from '../../src/dialer/engine.js';
import { MemoryLiveStore } from '../../src/live/storeMemory.js';
import { startWorker, type Worker } from '../../src/live/worker.js';
import { createLogger } from '../../src/logger.js';
import { localPbxActions } from '../../src/pbx/actions.js';
import { createPostgresDatabase, type TestDatabase } from './database.js';
import { startTestServer, type TestServer } from './server.js';

/** Every part of one process playing every role, over the simulated PBX: what `npm start` runs, for a test. */
export type LiveStack = {
  /** The PBX server's name, as the worker follows it. */
  server: string;
  simulator: Simulator;
  worker: Worker;
  database: TestDatabase;
  dialer: Dialer;
  api: TestServer;
  store: MemoryLiveStore;
  bus: LiveBus;
  close(): Promise<void>;
};

/**
 * The simulated PBX (at `speed`, real time by default), its ingest worker, a dialer ticking every 100 ms and the
 * API, over a fresh PostgreSQL database, sharing one live store and bus.
 */
export async function startLiveStack(options: { secret: string; speed?: number }): Promise<LiveStack> {
  const credentials = { username: 'switchboard', secret: options.secret };
  const server = 'pbx1';
  const log = createLogger('silent');
  const store = new MemoryLiveStore();
  const bus = createBus();
  const simulator = await startSimulator({ ...credentials, speed: options.speed ?? 1 });
  const worker = await startWorker({ servers: [{ name: server, host: simulator.host, port: simulator.port, ...credentials }], store, publish: changePublisher(bus), log });
  const database = await createPostgresDatabase();
  const dialer = startDialer({ prisma: database.prisma, driver: database.driver, connections: worker.connections, store, bus, log, tickMs: 100 });
  const api = await startTestServer(database, { store, bus, actions: localPbxActions(worker.connections) });
  return {
    server,
    simulator,
    worker,
    database,
    dialer,
    api,
    store,
    bus,
    async close() {
      await api.close();
      await dialer.stop();
      await worker.stop();
      await simulator.close();
      await database.drop();
    },
  };
}
