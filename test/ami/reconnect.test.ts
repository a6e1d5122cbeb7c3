import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { AmiClosedError, AmiNotConnectedError, AmiTimeoutError } from '../../src/ami/errors.js';
import { field } from '../../src/ami/message.js';
import { realSchedule, type Schedule } from '../../src/ami/schedule.js';
import type { ActionHandler } from '../support/amiScriptServer.js';
import { next, useAmiHarness } from './harness.js';

const harness = useAmiHarness();

// The package prints on some paths; this layer must never let it.
let consoleSpies: MockInstance[] = [];
beforeEach(() => {
  consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) => vi.spyOn(console, method));
});
afterEach(() => {
  for (const spy of consoleSpies) expect(spy).not.toHaveBeenCalled();
  vi.restoreAllMocks();
});

const accept: ActionHandler = (action, session) => session.respond(action, 'Success', { Message: 'Authentication accepted' });
const pong: ActionHandler = (action, session) => session.respond(action, 'Success', { Ping: 'Pong' });

describe('reconnecting', () => {
  it('reconnects and logs in again after the PBX closes the socket, announcing disconnect and connect', async () => {
    const server = await harness.server();
    const { connection, logs } = harness.connection(server.config, { backoff: { initialMs: 40, maxMs: 80 }, random: () => 0.5 });
    await connection.start();
    const disconnected = next(connection, 'disconnect');
    const reconnected = next(connection, 'connect');
    const secondLogin = server.nextAction('Login');
    server.sessions[0]?.end();

    expect(await disconnected).toMatchObject({ message: `${server.config.name} closed the connection` });
    expect(connection.connected).toBe(false);
    await reconnected;
    expect((await secondLogin).session.index).toBe(1);
    expect(connection.connected).toBe(true);
    await expect(connection.action({ action: 'Ping' })).resolves.toMatchObject({ ping: 'Pong' });
    expect(logs.messages()).toEqual(['AMI connecting', 'AMI connected', 'AMI disconnected', 'AMI reconnect scheduled', 'AMI connecting', 'AMI connected']);
    expect(logs.records[3]).toMatchObject({ level: 30, server: server.config.name, attempt: 1, delayMs: 20 });
    expect(logs.records[2]).toMatchObject({ level: 40, err: expect.stringContaining('closed the connection') });
  });

  it('detects a reset socket although the package swallows its error', async () => {
    const server = await harness.server();
    const { connection } = harness.connection(server.config, { backoff: { initialMs: 1, maxMs: 1 } });
    await connection.start();
    const disconnected = next(connection, 'disconnect');
    const reconnected = next(connection, 'connect');
    server.sessions[0]?.socket.resetAndDestroy();
    expect(await disconnected).toMatchObject({ code: 'ECONNRESET' });
    await reconnected;
  });

  it('backs off exponentially with jitter up to its cap while the PBX is down, then comes back', async () => {
    const first = await harness.server();
    const { connection, logs } = harness.connection(first.config, { backoff: { initialMs: 5, maxMs: 20 }, random: () => 1 });
    await connection.start();
    const retries = logs.count('AMI reconnect scheduled', 4);
    await first.close();
    const scheduled = (await retries).map((record) => record.delayMs);
    expect(scheduled).toEqual([5, 10, 20, 20]);
    expect(logs.records.filter((record) => record.msg === 'AMI connect failed').map((record) => record.err)).toEqual(
      expect.arrayContaining([expect.stringContaining('ECONNREFUSED')]),
    );
    const reconnected = next(connection, 'connect');
    await harness.server({}, first.port);
    await reconnected;
    expect(connection.connected).toBe(true);
  });

  it('rejects actions at once while waiting to reconnect', async () => {
    const server = await harness.server();
    const { connection } = harness.connection(server.config, { backoff: { initialMs: 60_000, maxMs: 60_000 }, random: () => 1 });
    await connection.start();
    const disconnected = next(connection, 'disconnect');
    server.sessions[0]?.end();
    await disconnected;
    await expect(connection.action({ action: 'Ping' })).rejects.toThrow(AmiNotConnectedError);
    await expect(connection.listAction({ action: 'QueueStatus' })).rejects.toThrow(AmiNotConnectedError);
  });

  it('keeps retrying when the PBX starts refusing the secret after a first success', async () => {
    const refuseSecond: ActionHandler = (action, session) => {
      if (session.index !== 1) return accept(action, session);
      session.respond(action, 'Error', { Message: 'Authentication failed' });
      session.end();
    };
    const server = await harness.server({ handlers: { login: refuseSecond } });
    const { connection, logs } = harness.connection(server.config, { backoff: { initialMs: 2, maxMs: 2 } });
    await connection.start();
    const thirdLogin = server.nextAction('Login').then(() => server.nextAction('Login'));
    const reconnected = next(connection, 'connect');
    server.sessions[0]?.end();
    await thirdLogin;
    await reconnected;
    expect(logs.messages()).toContain('AMI login refused');
  });

  it('gives up an attempt whose Login is never answered, and tries again', async () => {
    const silentFirst: ActionHandler = (action, session) => (session.index === 0 ? undefined : accept(action, session));
    const server = await harness.server({ handlers: { login: silentFirst } });
    const { connection, logs } = harness.connection(server.config, { loginTimeoutMs: 30, backoff: { initialMs: 2, maxMs: 2 } });
    await connection.start();
    expect(server.sessions).toHaveLength(2);
    expect(logs.records.find((record) => record.msg === 'AMI connect failed')).toMatchObject({ attempt: 1, err: expect.stringContaining('Login timed out after 30 ms') });
  });
});

describe('keepalive', () => {
  it('pings, and treats a missing Pong as a drop: destroys the socket and reconnects', async () => {
    let answered = 0;
    // The first session answers one Ping, then goes silent; later sessions always answer.
    const ping: ActionHandler = (action, session) => {
      if (session.index > 0 || answered++ === 0) pong(action, session);
    };
    const server = await harness.server({ handlers: { ping } });
    const { connection, logs } = harness.connection(server.config, { keepaliveMs: 10, pongTimeoutMs: 40, backoff: { initialMs: 2, maxMs: 2 } });
    const disconnected = next(connection, 'disconnect');
    const firstClosed = server.nextSessionClose();
    await connection.start();

    const reason = await disconnected;
    expect(reason).toBeInstanceOf(AmiTimeoutError);
    expect(reason).toMatchObject({ action: 'Ping', timeoutMs: 40 });
    expect((await firstClosed).index).toBe(0);
    await next(connection, 'connect');
    // Pings go on over the new session.
    const pingOnSecond = async () => {
      for (;;) if ((await server.nextAction('Ping')).session.index === 1) return;
    };
    await pingOnSecond();
    await pingOnSecond();
    expect(logs.messages()).toContain('AMI keepalive Ping unanswered: dropping the connection');
    expect(server.received.filter((entry) => field(entry.action, 'action') === 'Ping' && entry.session.index === 0)).toHaveLength(2);
  });
});

describe('keepalive while reading is paused', () => {
  it('never drops a session whose Pongs wait unread because this side paused reading (its own backpressure)', async () => {
    const server = await harness.server({ handlers: { ping: pong } });
    const { connection, logs } = harness.connection(server.config, { keepaliveMs: 10, pongTimeoutMs: 40 });
    await connection.start();
    connection.pause();
    // Three Pings sent on the paused session: at least two of them timed out unread.
    for (let pings = 0; pings < 3; ) if ((await server.nextAction('Ping')).session.index === 0) pings++;
    connection.resume();

    await expect(connection.action({ action: 'Ping' })).resolves.toMatchObject({ ping: 'Pong' });
    expect(connection.connected).toBe(true);
    expect(server.sessions).toHaveLength(1);
    expect(logs.messages()).not.toContain('AMI keepalive Ping unanswered: dropping the connection');
  });
});

describe('closing', () => {
  it('logs off, announces the disconnect, rejects what waits and never reconnects', async () => {
    const server = await harness.server({ handlers: { originate: () => {} } });
    const { connection, logs } = harness.connection(server.config, { backoff: { initialMs: 1, maxMs: 1 } });
    await connection.start();
    const waiting = connection.action({ action: 'Originate', channel: 'Local/3001@customers' });
    const disconnected = next(connection, 'disconnect');
    const logoff = server.nextAction('Logoff');
    await connection.close();
    await logoff;
    expect(await disconnected).toBeInstanceOf(AmiClosedError);
    await expect(waiting).rejects.toThrow(AmiClosedError);
    await expect(connection.action({ action: 'Ping' })).rejects.toThrow(AmiClosedError);
    await expect(connection.start()).rejects.toThrow(AmiClosedError);
    expect(logs.messages()).not.toContain('AMI reconnect scheduled');
    expect(server.sessions).toHaveLength(1);
  });

  it('stops a connection that is still trying to reach its PBX, leaving no timer behind', async () => {
    const server = await harness.server();
    await server.close();
    const live = new Set<() => void>();
    const schedule: Schedule = (delayMs, run) => {
      const tracked = () => {
        live.delete(tracked);
        cancel();
      };
      const cancel = realSchedule(delayMs, () => {
        live.delete(tracked);
        run();
      });
      live.add(tracked);
      return tracked;
    };
    const { connection, logs } = harness.connection(server.config, { schedule, backoff: { initialMs: 1, maxMs: 1 } });
    const started = connection.start();
    await logs.count('AMI reconnect scheduled', 2);
    await connection.close();
    await expect(started).rejects.toThrow(AmiClosedError);
    expect(live.size).toBe(0);
    expect(logs.messages().at(-1)).toBe('AMI connection closed');
  });
});
