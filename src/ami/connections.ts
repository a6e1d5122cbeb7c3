import { AsteriskManagerConnection, type AsteriskManagerOptions } from './asteriskManager.js';
import type { AmiServerConfig } from './config.js';
import type { Logger } from '../logger.js';

/**
 * One started AMI connection per PBX server, by server name. Each logs in and reconnects on its own; one
 * whose login is refused at start is logged and stays out, and the process goes on.
 */
export function openConnections(
  servers: readonly AmiServerConfig[],
  log: Logger,
  options: Omit<AsteriskManagerOptions, 'log'> = {},
): Map<string, AsteriskManagerConnection> {
  const connections = new Map<string, AsteriskManagerConnection>();
  for (const server of servers) {
    const connection = new AsteriskManagerConnection(server, { ...options, log });
    connections.set(server.name, connection);
    connection.start().catch((error: unknown) => log.error({ err: error, server: server.name }, 'AMI connection gave up'));
  }
  return connections;
}
