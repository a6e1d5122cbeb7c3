/**
 * `--pbx-nodelay`: the simulator's sockets with TCP_NODELAY. Its server sockets keep Nagle's algorithm on (as
 * Node's default does), so while events stream to the dialer a small Response waits for the ACK of what went
 * before, and the dialer's delayed ACK makes that about 40 ms. The simulator does not expose its server, so
 * net.createServer is wrapped for the one synchronous startSimulator call that creates it.
 */
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

type CreateServer = typeof net.createServer;

export async function withNoDelayServers<T>(start: () => Promise<T>): Promise<T> {
  const netModule = net as { createServer: CreateServer };
  const original = netModule.createServer;
  netModule.createServer = ((listener: (socket: net.Socket) => void) =>
    original((socket) => {
      socket.setNoDelay(true);
      listener(socket);
    })) as CreateServer;
  // The simulator imports createServer by name: ESM named exports of a builtin follow the change only when synced.
  syncBuiltinESMExports();
  const started = start();
  netModule.createServer = original;
  syncBuiltinESMExports();
  return started;
}
