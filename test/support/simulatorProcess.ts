import { spawnWatched, type WatchedChild } from './child.js';
import { PROJECT_DIR } from './process.js';

export type SimulatorProcessOptions = {
  username: string;
  secret: string;
  /** Simulated time runs this many times faster than real. */
  speed: number;
  /** A free one unless given. */
  port?: number;
};

export type SimulatorProcess = {
  /** `ami://user:secret@127.0.0.1:port`, what AMI_URL takes. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** SIGKILL, as a crashed PBX: connections drop without a goodbye. Waits until it has exited, and says how. */
  kill(): Promise<string>;
  /** SIGTERM: the simulator closes its connections and exits. Says how it ended. */
  stop(): Promise<string>;
  /** Starts a new simulator on the same port (with no calls); resolves once it listens. */
  start(): Promise<void>;
};

const HOST = '127.0.0.1';

/** The PBX simulator in a process of its own, so a test can kill it as a PBX would die. */
export async function startSimulatorProcess(options: SimulatorProcessOptions): Promise<SimulatorProcess> {
  const launch = async (port: number) => {
    // `npm run pbx:sim`, as a user runs it.
    const args = ['--port', String(port), '--host', HOST, '--username', options.username, '--secret', options.secret, '--speed', String(options.speed)];
    const spawned = spawnWatched(process.execPath, ['--import', 'tsx', 'src/ami/simulator/cli.ts', ...args], { cwd: PROJECT_DIR });
    return { child: spawned, port: await spawned.firstLine(listeningPort) };
  };
  const first = await launch(options.port ?? 0);
  const { port } = first;
  let child: WatchedChild = first.child;
  const credentials = `${encodeURIComponent(options.username)}:${encodeURIComponent(options.secret)}`;
  return {
    url: `ami://${credentials}@${HOST}:${port}`,
    host: HOST,
    port,
    kill: () => child.signal('SIGKILL'),
    stop: () => child.signal('SIGTERM'),
    async start() {
      if (!child.exited) throw new Error(`The simulator on port ${port} still runs: kill or stop it first`);
      child = (await launch(port)).child;
    },
  };
}

/** The port of the `AMI_URL=ami://user:secret@host:port` line the simulator announces itself with. */
function listeningPort(line: string): number | undefined {
  if (!line.startsWith('AMI_URL=')) return undefined;
  return Number(new URL(line.slice('AMI_URL='.length)).port);
}
