import { randomBytes } from 'node:crypto';
import { amiConfigFromPbxServer, parseAmiUrl, type AmiServerConfig } from '../ami/config.js';
import { startSimulator, type Simulator } from '../ami/simulator/index.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';

export type PbxTargets = {
  servers: AmiServerConfig[];
  /** Originates per second each may receive: a PBX server's own setting; AMI_URL's PBX and the simulator take the default. */
  originateRates: Map<string, number>;
  simulator: Simulator | null;
};

/** What a PBX server takes when it says nothing else (the PbxServer default). */
export const DEFAULT_ORIGINATES_PER_SECOND = 20;

/**
 * The PBX servers to follow: AMI_URL and every enabled PbxServer. With none, a simulated PBX on loopback,
 * so `npm start` shows live state on a machine without Asterisk, and says plainly that it is simulated.
 */
export async function pbxTargets(
  prisma: PrismaClient,
  amiUrl: string | undefined,
  log: Logger,
  options: { simulateWhenNone: boolean },
): Promise<PbxTargets> {
  const rows = await prisma.pbxServer.findMany({ where: { inUse: true, enabled: true }, orderBy: { name: 'asc' } });
  const servers = [...(amiUrl ? [parseAmiUrl(amiUrl)] : []), ...rows.map(amiConfigFromPbxServer)];
  const rates = (names: string[]) =>
    new Map(names.map((name) => [name, rows.find((row) => row.name === name)?.originatesPerSecond ?? DEFAULT_ORIGINATES_PER_SECOND]));
  if (servers.length > 0) return { servers, originateRates: rates(servers.map((server) => server.name)), simulator: null };
  if (!options.simulateWhenNone) {
    log.error('No PBX configured (AMI_URL or a PBX server): this process follows none until one is added and it restarts');
    return { servers, originateRates: new Map(), simulator: null };
  }
  const simulator = await startSimulator({ username: 'switchboard', secret: randomBytes(16).toString('hex') });
  log.warn(
    { ami: `${simulator.host}:${simulator.port}` },
    'No PBX configured (AMI_URL or a PBX server): following a SIMULATED PBX, not a real Asterisk',
  );
  return { servers: [{ ...parseAmiUrl(simulator.url), name: 'simulator' }], originateRates: rates(['simulator']), simulator };
}
