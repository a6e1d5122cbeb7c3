import { fileURLToPath } from 'node:url';
import { spawnWatched } from './child.js';

export const PROJECT_DIR = fileURLToPath(new URL('../../', import.meta.url));

export type ServerProcess = {
  /** Its process id, as its DialerProcess heartbeat row says too. */
  pid: number | undefined;
  /** Its GraphQL URL (a worker's: the same host and port, serving /health). */
  url: string;
  /** Everything it logged, one JSON line each. */
  logs: string[];
  /** What it wrote to stderr, a line each: an uncaught error or an unhandled rejection shows up here. */
  stderr: string[];
  /** Whether it has exited, on its own or by a signal. */
  readonly exited: boolean;
  /** SIGTERM, and waits for it to exit; resolves with how it ended (`code 0`, or the signal that ended it). */
  stop(): Promise<string>;
  /** SIGKILL, as a crash, and waits for it to exit. */
  kill(): Promise<string>;
};

/**
 * Starts the server as `npm start` does, in a process of its own with the given environment on top of
 * this one's, and resolves with its URL once it says it is listening.
 */
export async function startServerProcess(environment: Record<string, string>): Promise<ServerProcess> {
  const child = spawnWatched(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: PROJECT_DIR,
    env: { ...process.env, LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', ...environment },
  });
  const url = await child.firstLine(listeningUrl);
  return {
    pid: child.pid,
    url,
    logs: child.stdout,
    stderr: child.stderr,
    get exited() {
      return child.exited;
    },
    stop: () => child.signal('SIGTERM'),
    kill: () => child.signal('SIGKILL'),
  };
}

function listeningUrl(line: string): string | undefined {
  if (!line.startsWith('{')) return undefined;
  const entry = JSON.parse(line) as { url?: unknown };
  return typeof entry.url === 'string' ? entry.url : undefined;
}
