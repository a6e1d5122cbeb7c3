import { afterEach } from 'vitest';
import { AsteriskManagerConnection, type AsteriskManagerOptions } from '../../src/ami/asteriskManager.js';
import type { AmiServerConfig } from '../../src/ami/config.js';
import type { AmiConnection } from '../../src/ami/connection.js';
import type { AmiEvent } from '../../src/ami/message.js';
import { startAmiScriptServer, type AmiScriptServer, type AmiScriptServerOptions } from '../support/amiScriptServer.js';
import { captureLogs, type LogCapture } from './logCapture.js';

/** Servers and connections for one test file, all disposed after each test (connections first). */
export function useAmiHarness() {
  const disposals: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const dispose of disposals.splice(0).reverse()) await dispose();
  });
  return {
    async server(options: AmiScriptServerOptions = {}, port?: number): Promise<AmiScriptServer> {
      const server = await startAmiScriptServer(options, port);
      disposals.push(() => server.close());
      return server;
    },
    /** A connection with its own log capture; keepalive off unless asked for. */
    connection(config: AmiServerConfig, options: Partial<AsteriskManagerOptions> = {}): { connection: AsteriskManagerConnection; logs: LogCapture } {
      const logs = captureLogs();
      const connection = new AsteriskManagerConnection(config, { log: logs.log, keepaliveMs: 0, ...options });
      disposals.push(() => connection.close());
      return { connection, logs };
    },
  };
}

/** Resolves with the next event that `matches`. */
export function nextEvent(connection: AmiConnection, matches: (event: AmiEvent) => boolean): Promise<AmiEvent> {
  return new Promise((resolve) => {
    const off = connection.on('event', (event) => {
      if (!matches(event)) return;
      off();
      resolve(event);
    });
  });
}

/** Resolves with the next emission of `name`. */
export function next(connection: AmiConnection, name: 'connect' | 'disconnect'): Promise<Error | undefined> {
  return new Promise((resolve) => {
    const off = connection.on(name, (reason?: Error) => {
      off();
      resolve(reason);
    });
  });
}
