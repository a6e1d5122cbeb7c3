import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { start, type Running } from '../src/main.js';
import { startServerProcess } from './support/process.js';

/** `npm start` on embedded defaults: nothing but a data folder. */
describe('the server started on embedded defaults', () => {
  let folder: string;
  let running: Running;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'switchboard-start-'));
    running = await start(loadConfig({ DATA_DIR: folder, PORT: '0', HOST: '127.0.0.1' }), createLogger('silent'));
  }, 60_000);
  afterAll(async () => {
    await running?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it('writes an admin token that works against its GraphQL endpoint', async () => {
    const token = (await readFile(join(folder, 'admin-token'), 'utf8')).trim();
    const response = await fetch(running.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { role } }' }),
    });
    expect(await response.json()).toEqual({ data: { me: { role: 'ADMIN' } } });
  });

  it('serves GraphQL over WebSocket on the same port, to a client with a token', async () => {
    const token = (await readFile(join(folder, 'admin-token'), 'utf8')).trim();
    const client = createClient({ url: running.url.replace('http:', 'ws:'), webSocketImpl: WebSocket, connectionParams: { token }, retryAttempts: 0 });
    try {
      const result = await new Promise((resolve, reject) => {
        client.subscribe({ query: '{ me { role } channels { uniqueid } }' }, { next: resolve, error: reject, complete: () => undefined });
      });
      expect(result).toEqual({ data: { me: { role: 'ADMIN' }, channels: [] } });
    } finally {
      await client.dispose();
    }
  });

  it('follows the simulated PBX when none is configured, and reports it healthy', async () => {
    const health = () => fetch(running.url.replace('/graphql', '/health')).then((r) => r.json() as Promise<{ checks: { name: string; ok: boolean }[]; pbx?: Record<string, unknown>[] }>);
    await expect.poll(async () => (await health()).checks.find((c) => c.name === 'ami:simulator')?.ok, { timeout: 10_000 }).toBe(true);
    expect((await health()).checks.map((c) => c.name)).toEqual(['database', 'live store', 'ami:simulator']);
    // Beside the probes, what the PBX says of itself: its version, uptime and channels up.
    expect((await health()).pbx).toEqual([{ server: 'simulator', connected: true, asteriskVersion: expect.stringMatching(/^GIT-22-/), uptimeSec: expect.any(Number), lastReloadAt: null, callsUp: 0, channelsUp: 0 }]);
  });
});

describe('npm start stopped by SIGTERM', () => {
  it('stops taking requests, then stops each part it started, logging each step, and exits 0', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'switchboard-stop-'));
    try {
      const server = await startServerProcess({ DATA_DIR: folder });
      expect(await server.stop()).toBe('code 0');
      const records = server.logs.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { msg: string; step?: string; boundMs?: number });
      const shutdown = records.slice(records.findIndex((record) => record.msg === 'shutting down'));
      expect(shutdown[0]?.boundMs).toBe(30_000);
      expect(shutdown.filter((record) => record.msg === 'stopping').map((record) => record.step)).toEqual([
        'HTTP server (no new requests)', 'embedded database maintenance', 'member count folding', 'retention', 'PBX actions', 'dialer (its live calls are recorded or handed over)', 'webhook deliverer',
        'PBX worker', 'simulated PBX', 'live store and bus', 'database',
      ]);
      expect(shutdown.filter((record) => record.msg === 'stopped')).toHaveLength(11);
      expect(shutdown.at(-1)?.msg).toBe('shut down');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }, 60_000);
});
