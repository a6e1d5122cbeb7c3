import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { AsteriskManagerConnection } from '../../src/ami/asteriskManager.js';
import { AmiTimeoutError } from '../../src/ami/errors.js';
import { startSimulator } from '../../src/ami/simulator/index.js';
import { createLogger } from '../../src/logger.js';
import { watchPbx } from '../support/pbxWitness.js';
import { startPrivatePostgres } from '../support/privatePostgres.js';
import { startPrivateRedis } from '../support/privateRedis.js';
import { startServerProcess } from '../support/process.js';
import { startSimulatorProcess } from '../support/simulatorProcess.js';
import { startStallProxy } from '../support/stallProxy.js';

const credentials = { username: 'faults', secret: 'faults-secret' };
const disposals: (() => Promise<unknown>)[] = [];

/** Registers `dispose` to run after the test, the last registered first. */
function disposeLater<T>(value: T, dispose: (value: T) => Promise<unknown>): T {
  disposals.push(() => dispose(value));
  return value;
}

afterEach(async () => {
  for (const dispose of disposals.splice(0).reverse()) await dispose();
});

async function selectOne(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ one: number }>('SELECT 1 AS one');
    return rows[0]?.one ?? 0;
  } finally {
    await client.end();
  }
}

async function withRedis<T>(url: string, use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(url);
  try {
    return await use(redis);
  } finally {
    await redis.quit();
  }
}

/** Resolves with the error code of a TCP connect to a port where nothing should listen. */
function connectError(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      reject(new Error(`${host}:${port} accepted a connection`));
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

function amiConnection(target: { host: string; port: number }): AsteriskManagerConnection {
  // No keepalive: a stalled link must stay up for as long as the test looks at it.
  const connection = new AsteriskManagerConnection({ name: 'faults', ...target, ...credentials }, { log: createLogger('silent'), keepaliveMs: 0 });
  return disposeLater(connection, (opened) => opened.close());
}

describe('a private PostgreSQL', () => {
  it('answers, refuses while stopped and answers again once started', async () => {
    const postgres = disposeLater(await startPrivatePostgres(), (started) => started.destroy());
    expect(await selectOne(postgres.url)).toBe(1);

    await postgres.stop('fast');
    await expect(selectOne(postgres.url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    await postgres.start();
    expect(await selectOne(postgres.url)).toBe(1);
  });

  it('recovers after an immediate stop', async () => {
    const postgres = disposeLater(await startPrivatePostgres(), (started) => started.destroy());
    await postgres.stop('immediate');
    await postgres.start();
    expect(await selectOne(postgres.url)).toBe(1);
  });
});

describe('a private Redis', () => {
  it('comes back empty after it was killed', async () => {
    const redis = disposeLater(await startPrivateRedis(), (started) => started.destroy());
    await withRedis(redis.url, (client) => client.set('survivor', 'no'));

    await redis.kill();
    const { hostname, port } = new URL(redis.url);
    expect(await connectError(hostname, Number(port))).toBe('ECONNREFUSED');

    await redis.start();
    expect(await withRedis(redis.url, (client) => client.dbsize())).toBe(0);
  });
});

describe('the simulator in a process of its own', () => {
  it('refuses connections once killed and accepts an AMI login once started again', async () => {
    const simulator = disposeLater(await startSimulatorProcess({ ...credentials, speed: 50 }), (started) => started.stop());
    const before = await watchPbx({ host: simulator.host, port: simulator.port, ...credentials });
    await before.close();

    await simulator.kill();
    expect(await connectError(simulator.host, simulator.port)).toBe('ECONNREFUSED');

    await simulator.start();
    const after = disposeLater(await watchPbx({ host: simulator.host, port: simulator.port, ...credentials }), (witness) => witness.close());
    expect(after.calls()).toEqual([]);
    expect(simulator.url).toBe(`ami://${credentials.username}:${credentials.secret}@127.0.0.1:${simulator.port}`);
  });
});

describe('the PBX witness', () => {
  it("groups a dialing's legs by its id and records what the PBX said of each", async () => {
    const simulator = disposeLater(await startSimulator({ ...credentials, speed: 50 }), (started) => started.close());
    const witness = disposeLater(await watchPbx({ host: simulator.host, port: simulator.port, ...credentials }), (started) => started.close());
    const dialer = amiConnection(simulator);
    await dialer.start();

    const id = randomUUID();
    // 5XXX answers at once, sends three UserEvents and hangs up (pbx-config's extensions.conf).
    await dialer.action({ action: 'Originate', Channel: 'Local/5000@customers', Context: 'dest', Exten: 'echo', Priority: '1', Timeout: 30_000, Async: 'true', ChannelId: id, OtherChannelId: `${id};2` });
    await witness.waitFor((calls) => calls.length === 2 && calls.every((call) => call.hangupCause !== null), 5_000);

    const dialing = witness.dialings().get(id);
    expect(dialing).toMatchObject({ answered: true, customerCause: 16 });
    expect(dialing?.legs.map((leg) => [leg.uniqueid, leg.linkedid])).toEqual([
      [id, id],
      [`${id};2`, id],
    ]);
    expect(dialing?.legs.every((leg) => leg.createdAt !== null)).toBe(true);
    expect(dialing?.legs[1]?.userEvents).toEqual(['CALLSTATUS', 'ATTRIBUTE', 'ATTR_APPEND']);
  });

  it('rejects a wait whose condition never holds, saying so', async () => {
    const simulator = disposeLater(await startSimulator(credentials), (started) => started.close());
    const witness = disposeLater(await watchPbx({ host: simulator.host, port: simulator.port, ...credentials }), (started) => started.close());
    await expect(witness.waitFor((calls) => calls.length > 0, 50)).rejects.toThrow(/did not hold within 50 ms/);
  });
});

describe('a stall proxy', () => {
  it('holds a connection silent while stalled, without closing it, and forwards again once resumed', async () => {
    const simulator = disposeLater(await startSimulator(credentials), (started) => started.close());
    const proxy = disposeLater(await startStallProxy(simulator), (started) => started.close());
    const connection = amiConnection(proxy);
    await connection.start();
    await connection.action({ action: 'Ping' });

    proxy.stall();
    await expect(connection.action({ action: 'Ping' }, { timeoutMs: 300 })).rejects.toBeInstanceOf(AmiTimeoutError);
    expect(connection.connected).toBe(true);

    proxy.resume();
    await expect(connection.action({ action: 'Ping' })).resolves.toMatchObject({ ping: 'Pong' });
  });
});

describe('a server process', () => {
  it('can be killed, and says whether it exited and what it wrote to stderr', async () => {
    const postgres = disposeLater(await startPrivatePostgres(), (started) => started.destroy());
    const server = disposeLater(await startServerProcess({ DATABASE_URL: postgres.url }), (started) => started.stop());
    expect(server.exited).toBe(false);

    await server.kill();
    expect(server.exited).toBe(true);
    expect(server.stderr).toEqual([]);
  });
});
