import type { AmiServerConfig } from '../ami/config.js';
import type { AsteriskManagerOptions } from '../ami/asteriskManager.js';
import type { AmiConnection } from '../ami/connection.js';
import { openConnections } from '../ami/connections.js';
import type { Logger } from '../logger.js';
import { startIngest, type ChangePublisher, type Ingest } from './ingest.js';
import type { LiveStore } from './store.js';

export type WorkerOptions = {
  servers: readonly AmiServerConfig[];
  store: LiveStore;
  publish: ChangePublisher;
  log: Logger;
  /** Settings of each AMI connection (its keepalive), beyond the connection's defaults. */
  ami?: Omit<AsteriskManagerOptions, 'log'>;
};

export type Worker = {
  /** Each PBX's connection by server name, for the AMI actions this process sends (or relays). */
  connections: ReadonlyMap<string, AmiConnection>;
  stop(): Promise<void>;
};

/**
 * The ingest worker: one AMI connection per PBX server, each feeding its live state into the store and its
 * changes onto the bus. A PBX that refuses the login is logged and left out; the API keeps serving.
 */
export async function startWorker(options: WorkerOptions): Promise<Worker> {
  const { store, publish, log } = options;
  const connections = openConnections(options.servers, log, options.ami);
  const running: { connection: AmiConnection; ingest: Ingest }[] = [...connections].map(([server, connection]) => ({
    connection,
    ingest: startIngest({ connection, server, store, publish, log }),
  }));
  return {
    connections,
    async stop() {
      await Promise.all(
        running.map(async ({ connection, ingest }) => {
          await connection.close();
          await ingest.stop();
        }),
      );
    },
  };
}
