import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AsteriskManagerConnection } from '../../src/ami/asteriskManager.js';
import type { AmiAction, AmiConnection } from '../../src/ami/connection.js';
import { startSimulator } from '../../src/ami/simulator/index.js';
import { PbxRefusedError, PbxUnavailableError, ValidationError } from '../../src/errors.js';
import { relayPbxActions, type RelayOptions } from '../../src/pbx/actionRelay.js';
import { requestQueueKey } from '../../src/pbx/actionQueue.js';
import { servePbxActions } from '../../src/pbx/actionServer.js';
import { createLogger } from '../../src/logger.js';
import { redisAvailable } from '../bus/transports.js';
import { REDIS_URL } from '../support/services.js';

const log = createLogger('silent');

/** A connection that only records what it is asked to send. */
function recordingConnection(server: string): AmiConnection & { sent: AmiAction[] } {
  const sent: AmiAction[] = [];
  const events = new EventEmitter();
  return {
    server,
    connected: true,
    sent,
    action: async (action) => {
      sent.push(action);
      return { response: 'Success', message: `${action.action} done` };
    },
    listAction: () => Promise.reject(new Error('not used')),
    command: () => Promise.reject(new Error('not used')),
    on: (name, listener) => {
      events.on(name, listener);
      return () => events.off(name, listener);
    },
    pause: () => undefined,
    resume: () => undefined,
    close: async () => {},
  };
}

/** AMI actions from a process without a connection (ROLE=api) to the worker that has it, through a real Redis. */
describe.skipIf(!redisAvailable)('the AMI action relay', () => {
  const prefix = `relay-test-${randomBytes(4).toString('hex')}`;
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  const relay = (options: Partial<RelayOptions> = {}) => {
    const actions = relayPbxActions({ redisUrl: REDIS_URL, prefix, log, ...options });
    closers.push(() => actions.close());
    return actions;
  };
  const serve = (connections: AmiConnection[]) => {
    const server = servePbxActions({ redisUrl: REDIS_URL, prefix, log, connections: new Map(connections.map((c) => [c.server, c])) });
    closers.push(() => server.close());
  };

  it("sends through the worker's connection to a real AMI server, and brings back its answer or its refusal", async () => {
    const credentials = { username: 'relay', secret: 'relay-secret' };
    const simulator = await startSimulator(credentials);
    closers.push(() => simulator.close());
    const connection = new AsteriskManagerConnection({ name: 'pbx1', host: simulator.host, port: simulator.port, ...credentials }, { log });
    closers.push(() => connection.close());
    await connection.start();
    serve([connection]);
    const actions = relay();

    expect(await actions.send('pbx1', { action: 'Ping' })).toMatchObject({ response: 'Success', ping: 'Pong' });
    const refused = await actions.send('pbx1', { action: 'Hangup', Channel: 'PJSIP/9-00000000' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PbxRefusedError);
    expect(refused).toMatchObject({ server: 'pbx1', action: 'Hangup', asteriskMessage: 'No such channel' });
  });

  it('refuses an action that would inject AMI before it is queued', async () => {
    const actions = relay();
    const error = await actions.send('pbx-inject', { action: 'Hangup', Channel: 'PJSIP/1\r\nAction: Originate' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems[0]?.field).toBe('Channel');
    const redis = new Redis(REDIS_URL);
    closers.push(() => redis.quit());
    expect(await redis.llen(requestQueueKey(prefix, 'pbx-inject'))).toBe(0);
  });

  it('says the PBX is unavailable when no worker takes the request, and leaves no queue behind', async () => {
    const actions = relay({ pickUpMs: 200 });
    const started = Date.now();
    const error = await actions.send('pbx-nobody', { action: 'Ping' }, { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PbxUnavailableError);
    expect(Date.now() - started).toBeLessThan(3_000);
    const redis = new Redis(REDIS_URL);
    closers.push(() => redis.quit());
    expect(await redis.exists(requestQueueKey(prefix, 'pbx-nobody'))).toBe(0);
  });

  it('gives up with PbxUnavailableError, and nothing left unhandled, when Redis holds the request and never answers', async () => {
    // A Redis that takes the connection and says nothing (paused, failing over): the request is never written.
    const held: Socket[] = [];
    const silent = createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    closers.push(async () => {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });
    const { port } = silent.address() as AddressInfo;
    const actions = relayPbxActions({ redisUrl: `redis://127.0.0.1:${port}`, prefix, log, pickUpMs: 100 });
    const started = Date.now();
    const error = await actions.send('pbx1', { action: 'Ping' }, { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PbxUnavailableError);
    expect(Date.now() - started).toBeLessThan(5_000);
    await actions.close();
  });

  it('never sends a request its asker gave up on, even when a worker comes later, nor lets it expire a longer-lived one queued before it', async () => {
    const impatient = relay({ pickUpMs: 100 });
    const patient = relay({ pickUpMs: 10_000 });
    // The patient request is queued first, the short-lived one after it: that must not expire the queue under it.
    const redis = new Redis(REDIS_URL);
    closers.push(() => redis.quit());
    const queued = (count: number) => vi.waitFor(async () => expect(await redis.llen(requestQueueKey(prefix, 'pbx-late'))).toBe(count));
    const waited = patient.send('pbx-late', { action: 'Ping' });
    await queued(1);
    const givenUp = impatient.send('pbx-late', { action: 'Hangup', Channel: 'PJSIP/1-1' }, { timeoutMs: 100 }).catch((e: unknown) => e);
    await queued(2);
    // The worker comes once the impatient asker has given up on its request, which is still queued.
    expect(await givenUp).toBeInstanceOf(PbxUnavailableError);
    const connection = recordingConnection('pbx-late');
    serve([connection]);

    expect(await waited).toMatchObject({ message: 'Ping done' });
    expect(connection.sent.map((action) => action.action)).toEqual(['Ping']);
  });
});
