import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnWatched, type WatchedChild } from './child.js';
import { freePort } from './freePort.js';

const PING_INTERVAL_MS = 20;

export type PrivateRedis = {
  /** redis://127.0.0.1:<port> */
  readonly url: string;
  /** SIGKILL, as a crash; waits until it has exited. Nothing survives: it keeps no files. */
  kill(): Promise<void>;
  /** Starts it again, empty, on the same port; resolves once it answers PING. */
  start(): Promise<void>;
  /** Kills it if it runs and removes its folder. */
  destroy(): Promise<void>;
};

/** A redis-server of its own on a free port of 127.0.0.1, without persistence, for a test that kills it. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const folder = await mkdtemp(join(tmpdir(), 'switchboard-redis-'));
  const port = await freePort();
  let server: WatchedChild | undefined;

  const start = async () => {
    if (server?.exited === false) throw new Error(`The Redis on port ${port} still runs: kill it first`);
    const child = spawnWatched('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', folder]);
    server = child;
    while (!(await answersPing(port))) {
      if (child.exited) throw new Error(`redis-server ended before answering PING:\n${[...child.stderr, ...child.stdout].join('\n')}`);
      await sleep(PING_INTERVAL_MS);
    }
  };
  const kill = async () => {
    await server?.signal('SIGKILL');
  };

  try {
    await start();
  } catch (error) {
    await kill();
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    kill,
    start,
    async destroy() {
      await kill();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** Whether a Redis on `port` answers PING now; false while nothing listens or it is still loading. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let answer = '';
    const settle = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      answer += chunk;
      if (answer.includes('\r\n')) settle(answer.startsWith('+PONG'));
    });
    socket.once('error', () => settle(false));
    socket.once('close', () => settle(false));
  });
}
