import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const PROJECT_DIR = fileURLToPath(new URL('../../', import.meta.url));

export type ServerProcess = {
  /** Its GraphQL URL (a worker's: the same host and port, serving /health). */
  url: string;
  /** Everything it logged, one JSON line each. */
  logs: string[];
  /** SIGTERM, and waits for it to exit. */
  stop(): Promise<void>;
};

/**
 * Starts the server as `npm start` does, in a process of its own with the given environment on top of
 * this one's, and resolves with its URL once it says it is listening.
 */
export async function startServerProcess(environment: Record<string, string>): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: PROJECT_DIR,
    env: { ...process.env, LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      logs.push(line);
      const url = listeningUrl(line);
      if (url) resolve(url);
    });
    void exited.then((code) => reject(new Error(`server process exited with ${code} before listening: ${stderr.join('')}${logs.join('\n')}`)));
  });
  return {
    url,
    logs,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function listeningUrl(line: string): string | undefined {
  if (!line.startsWith('{')) return undefined;
  const entry = JSON.parse(line) as { url?: unknown };
  return typeof entry.url === 'string' ? entry.url : undefined;
}
