import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export type StallProxy = {
  readonly host: string;
  readonly port: number;
  /** Stops forwarding both ways, every connection and any new one, without closing a socket: a peer gone silent. */
  stall(): void;
  /** Forwards again, what was held back first. */
  resume(): void;
  /** Drops every connection, as a network fault does, and goes on listening: the peers may connect again. */
  drop(): void;
  /** Drops every connection and stops listening. */
  close(): Promise<void>;
};

const HOST = '127.0.0.1';

/** A TCP proxy on a free port of 127.0.0.1 to `target`, that can hang as a dead link or a frozen host does. */
export async function startStallProxy(target: { host: string; port: number }): Promise<StallProxy> {
  const sockets = new Set<Socket>();
  let stalled = false;

  const forward = (from: Socket, to: Socket) => {
    from.on('data', (chunk: Buffer) => {
      if (!to.write(chunk)) from.pause();
    });
    to.on('drain', () => {
      if (!stalled) from.resume();
    });
    // A paused socket emits no 'end': while stalled, one side's orderly close does not reach the other.
    from.on('close', () => to.destroy());
    from.on('error', () => from.destroy());
  };

  const server = createServer((client) => {
    const upstream = connect(target);
    forward(client, upstream);
    forward(upstream, client);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      if (stalled) socket.pause();
    }
  });
  const drop = () => {
    for (const socket of sockets) socket.destroy();
  };
  server.listen(0, HOST);
  await once(server, 'listening');

  return {
    host: HOST,
    port: (server.address() as AddressInfo).port,
    stall() {
      stalled = true;
      for (const socket of sockets) socket.pause();
    },
    resume() {
      stalled = false;
      for (const socket of sockets) socket.resume();
    },
    drop,
    async close() {
      drop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
