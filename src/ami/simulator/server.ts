import { createServer, type Socket } from 'node:net';
import { BEFORE_LOGIN, HANDLERS } from './actions/actions.js';
import type { ActionSession } from './actions/actionSession.js';
import { error } from './protocol/responses.js';
import { scaledClock, type Clock } from '../../clock.js';
import { amiEventTv } from './protocol/timestamps.js';
import { Pbx } from './model/pbx.js';
import { ActionReader, BANNER, formatFrame, type ClientAction, type Fields } from './protocol/wire.js';

export type SimulatorOptions = {
  /** 0 or absent: a free port. */
  port?: number;
  /** 127.0.0.1 unless given. */
  host?: string;
  username: string;
  secret: string;
  /** The simulated time source; wins over `speed`. */
  clock?: Clock;
  /** Runs time this many times faster than real (tests use ~50). 1 unless given. */
  speed?: number;
};

export type Simulator = {
  readonly host: string;
  readonly port: number;
  /** `ami://user:secret@host:port`, what AMI_URL takes. */
  readonly url: string;
  readonly pbx: Pbx;
  close(): Promise<void>;
};

/** One client connection: its login state and its share of the event stream. */
class Session implements ActionSession {
  authenticated = false;
  eventsOn = true;
  readonly localAddress: string;
  readonly remoteAddress: string;
  readonly sessionId: string;
  private readonly startedAt: number;
  private readonly reader = new ActionReader();
  private readonly unsubscribe: () => void;

  constructor(
    readonly pbx: Pbx,
    readonly username: string,
    readonly secret: string,
    private readonly socket: Socket,
    id: number,
  ) {
    this.localAddress = `IPV4/TCP/${socket.localAddress ?? '127.0.0.1'}/${socket.localPort ?? 0}`;
    this.remoteAddress = `IPV4/TCP/${socket.remoteAddress ?? '127.0.0.1'}/${socket.remotePort ?? 0}`;
    this.sessionId = `0x${(0x7fe238000000 + id * 0x1a0).toString(16)}`;
    this.startedAt = pbx.clock.now();
    this.unsubscribe = pbx.subscribe((fields) => {
      if (this.authenticated && this.eventsOn) this.send(fields);
    });
    // Answers go out at once, as small as they are: with Nagle's algorithm each would wait for the client's delayed ACK.
    socket.setNoDelay(true);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      for (const action of this.reader.push(chunk)) this.dispatch(action);
    });
    socket.on('close', () => this.unsubscribe());
    socket.on('error', () => socket.destroy());
    socket.write(BANNER);
  }

  send(fields: Fields): void {
    if (!this.socket.writable) return;
    this.socket.write(formatFrame(fields));
  }

  close(): void {
    this.unsubscribe();
    this.socket.end();
  }

  /** The security event that follows an unknown action (answered-to-park's `ParkinglotsList`). */
  private requestBadFormat(action: ClientAction): void {
    this.pbx.emit('RequestBadFormat', 'security,all', [
      ['EventTV', amiEventTv(this.pbx.clock.now())],
      ['Severity', 'Error'],
      ['Service', 'AMI'],
      ['EventVersion', '1'],
      ['SessionID', this.sessionId],
      ['LocalAddress', this.localAddress],
      ['RemoteAddress', this.remoteAddress],
      ['RequestType', `Action: ${action.name}`],
      ['SessionTV', amiEventTv(this.startedAt)],
      ['AccountID', this.username],
    ]);
  }

  private dispatch(action: ClientAction): void {
    if (!this.socket.writable) return;
    const name = action.name.toLowerCase();
    if (name === '') return this.send(error(action, 'Missing action in request'));
    if (!this.authenticated && !BEFORE_LOGIN.has(name)) return this.send(error(action, 'Permission denied'));
    const handler = HANDLERS.get(name);
    if (handler === undefined) {
      this.send(error(action, `Invalid/unknown command: ${action.name}. Use Action: ListCommands to show available commands.`));
      return this.requestBadFormat(action);
    }
    handler(this, action);
  }
}

/** Starts a TCP server that speaks AMI as Asterisk 22 does, with a dialplan of simulated customers. */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const host = options.host ?? '127.0.0.1';
  const pbx = new Pbx(options.clock ?? scaledClock(options.speed ?? 1));
  const sockets = new Set<Socket>();
  let sessions = 0;
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    new Session(pbx, options.username, options.secret, socket, ++sessions);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 0);
  const credentials = `${encodeURIComponent(options.username)}:${encodeURIComponent(options.secret)}`;
  return {
    host,
    port,
    url: `ami://${credentials}@${host.includes(':') ? `[${host}]` : host}:${port}`,
    pbx,
    async close() {
      pbx.dispose();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
