import type { AmiConnection } from '../ami/connection.js';

/** The PBX a campaign dials through: the one it names, if this process is connected to it, else the first connected by name. */
export function pickServer(connections: ReadonlyMap<string, AmiConnection>, wanted: string | null): string | null {
  if (wanted !== null) return connections.has(wanted) ? wanted : null;
  const connected = [...connections.values()].filter((connection) => connection.connected).map((connection) => connection.server).sort();
  return connected[0] ?? null;
}
