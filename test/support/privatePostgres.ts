import { execFile } from 'node:child_process';
import { appendFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './freePort.js';

const execute = promisify(execFile);
const POSTGRESQL_DIR = '/usr/lib/postgresql';

export type StopMode = 'fast' | 'immediate';

export type PrivatePostgres = {
  /** postgresql://postgres@127.0.0.1:<port>/postgres, trusted without a password. */
  readonly url: string;
  /** `pg_ctl stop -m <mode> -w`: 'fast' ends sessions and checkpoints; 'immediate' dies as in a crash. */
  stop(mode: StopMode): Promise<void>;
  /** Starts it again on the same port; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it at once if it runs, and removes its files. */
  destroy(): Promise<void>;
};

type Run = (command: string, args: string[]) => Promise<void>;

/**
 * A PostgreSQL cluster of its own in a temporary folder, on a free port of 127.0.0.1, for a test that
 * stops and starts it. Durability is off (fsync, full-page writes): a stop loses nothing, a crash may.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = await newestBinaries();
  const folder = await mkdtemp(join(tmpdir(), 'switchboard-pg-'));
  const dataDir = join(folder, 'data');
  const logFile = join(folder, 'postgres.log');
  const port = await freePort();
  const run = await runnerFor(folder);

  await run(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  const settings = {
    listen_addresses: "'127.0.0.1'",
    port: String(port),
    unix_socket_directories: `'${folder}'`,
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
  };
  // The last setting of a name wins: appended, these override initdb's defaults.
  await appendFile(join(dataDir, 'postgresql.conf'), Object.entries(settings).map(([name, value]) => `${name} = ${value}\n`).join(''));

  let running = false;
  const pgCtl = (args: string[]) => run(join(bin, 'pg_ctl'), ['-D', dataDir, '-s', ...args]);
  const start = async () => {
    try {
      await pgCtl(['start', '-w', '-l', logFile]);
    } catch (error) {
      throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${await readFile(logFile, 'utf8').catch(() => '')}`, { cause: error });
    }
    running = true;
  };
  const stop = async (mode: StopMode) => {
    await pgCtl(['stop', '-m', mode, '-w']);
    running = false;
  };

  try {
    await start();
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop,
    start,
    async destroy() {
      if (running) await stop('immediate');
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** The bin folder of the newest PostgreSQL installed under /usr/lib/postgresql/<version>. */
async function newestBinaries(): Promise<string> {
  const versions = (await readdir(POSTGRESQL_DIR)).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
  const newest = versions[0];
  if (newest === undefined) throw new Error(`No PostgreSQL under ${POSTGRESQL_DIR}`);
  return join(POSTGRESQL_DIR, newest, 'bin');
}

/** initdb and postgres refuse to run as root: as root, they run as the `postgres` user, who then owns the folder. */
async function runnerFor(folder: string): Promise<Run> {
  if (process.getuid?.() !== 0) return async (command, args) => void (await execute(command, args));
  await execute('chown', ['postgres:postgres', folder]);
  return async (command, args) => void (await execute('runuser', ['-u', 'postgres', '--', command, ...args]));
}
