import { EventEmitter, once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import type { AmiServerConfig } from '../../src/ami/config.js';
import { FrameSplitter } from '../../src/ami/frameSplitter.js';
import { field, parseFrame, type AmiMessage } from '../../src/ami/message.js';
import { readTranscript, type TranscriptName } from './transcripts.js';

export const BANNER = 'Asterisk Call Manager/11.0.0\r\n';
export const USERNAME = 'admin';
export const SECRET = 'labsecret';

/** One client connection as the scripted server sees it. */
export type ScriptSession = {
  /** 0 for the first connection the server accepted, 1 for the next... */
  readonly index: number;
  readonly socket: Socket;
  /** Writes frames as they are (chunked when the server was asked to). */
  send(...frames: string[]): void;
  /** Answers `action` with `Response: <response>`, its ActionID and `fields`. */
  respond(action: AmiMessage, response: string, fields?: Record<string, string | string[]>): void;
  /** Closes the connection (FIN) once everything sent so far is written. */
  end(): void;
};

/** Received action: parsed, raw, and on which session. */
export type ReceivedAction = { action: AmiMessage; raw: string; session: ScriptSession };

export type ActionHandler = (action: AmiMessage, session: ScriptSession) => void;

export type AmiScriptServerOptions = {
  /** Replay this transcript's answers: each action gets the frames that followed the same action there. */
  transcript?: TranscriptName;
  /** By lower-cased action name; win over the transcript and the defaults (Login, Ping, Logoff, unknown). */
  handlers?: Record<string, ActionHandler>;
  /** Split every write into pieces of this many bytes (drawn per piece), one event-loop turn apart. */
  chunkSize?: () => number;
};

export type AmiScriptServer = {
  readonly port: number;
  /** Connection settings with the right secret; override `secret` to be refused. */
  readonly config: AmiServerConfig;
  readonly sessions: ScriptSession[];
  readonly received: ReceivedAction[];
  /** Transcript ActionID (rec-N) -> the client's ActionID, for replayed actions. */
  readonly actionIds: Map<string, string>;
  /** Resolves at the next action named `name` (any case) the server receives. */
  nextAction(name: string): Promise<ReceivedAction>;
  /** Resolves when the next client connection closes. */
  nextSessionClose(): Promise<ScriptSession>;
  close(): Promise<void>;
};

type Window = { name: string; recId: string; frames: string[]; used: boolean };

/** A scripted AMI server on a free port, speaking as the transcripts' Asterisk 22 did. */
export async function startAmiScriptServer(options: AmiScriptServerOptions = {}, port = 0): Promise<AmiScriptServer> {
  const events = new EventEmitter();
  const windows = options.transcript ? transcriptWindows(options.transcript) : [];
  const sessions: ScriptSession[] = [];
  const received: ReceivedAction[] = [];
  const actionIds = new Map<string, string>();
  const sockets = new Set<Socket>();

  const relabel = (frame: string) => frame.replace(/^ActionID: (rec-\d+)(?=\r?\n)/m, (line, recId: string) => {
    const id = actionIds.get(recId);
    return id === undefined ? line : `ActionID: ${id}`;
  });

  const replay = (action: AmiMessage, session: ScriptSession): boolean => {
    const name = field(action, 'action').toLowerCase();
    const window = windows.find((candidate) => !candidate.used && candidate.name === name);
    if (!window) return false;
    window.used = true;
    actionIds.set(window.recId, field(action, 'actionid'));
    session.send(...window.frames.map(relabel));
    return true;
  };

  const defaults: Record<string, ActionHandler> = {
    login(action, session) {
      if (field(action, 'username') !== USERNAME || field(action, 'secret') !== SECRET) {
        // Asterisk ends the session after a refused login.
        session.respond(action, 'Error', { Message: 'Authentication failed' });
        session.end();
      } else if (!replay(action, session)) session.respond(action, 'Success', { Message: 'Authentication accepted' });
    },
    ping: (action, session) => session.respond(action, 'Success', { Ping: 'Pong', Timestamp: '1795294905.100001' }),
    logoff(action, session) {
      session.respond(action, 'Goodbye', { Message: 'Thanks for all the fish.' });
      session.end();
    },
  };
  const own = new Set(['login', 'logoff']);

  const handle = (raw: string, session: ScriptSession) => {
    const action = parseFrame(raw);
    const name = field(action, 'action').toLowerCase();
    const entry = { action, raw, session };
    received.push(entry);
    events.emit('action', entry);
    const handler = options.handlers?.[name] ?? (own.has(name) ? defaults[name] : undefined);
    if (handler) return handler(action, session);
    if (replay(action, session)) return;
    const fallback = defaults[name];
    if (fallback) return fallback(action, session);
    session.respond(action, 'Error', { Message: `Invalid/unknown command: ${field(action, 'action')}. Use Action: ListCommands to show available commands.` });
  };

  const server = createServer((socket) => {
    sockets.add(socket);
    let writes = Promise.resolve();
    const session: ScriptSession = {
      index: sessions.length,
      socket,
      send(...frames) {
        const bytes = frames.join('');
        if (!options.chunkSize) {
          writes = writes.then(() => void socket.write(bytes));
          return;
        }
        const pieces = split(bytes, options.chunkSize);
        writes = writes.then(async () => {
          for (const piece of pieces) {
            if (socket.destroyed) return;
            socket.write(piece);
            await new Promise((resolve) => setImmediate(resolve));
          }
        });
      },
      end() {
        writes = writes.then(() => void socket.end());
      },
      respond(action, response, fields = {}) {
        const lines = [`Response: ${response}`, `ActionID: ${field(action, 'actionid')}`];
        for (const [key, value] of Object.entries(fields)) {
          for (const item of Array.isArray(value) ? value : [value]) lines.push(`${key}: ${item}`);
        }
        session.send(`${lines.join('\r\n')}\r\n\r\n`);
      },
    };
    sessions.push(session);
    socket.on('error', () => {});
    socket.on('close', () => {
      sockets.delete(socket);
      events.emit('session-close', session);
    });
    session.send(BANNER);
    const frames = new FrameSplitter();
    socket.setEncoding('utf8');
    socket.on('data', (data: string) => {
      for (const raw of frames.push(data)) handle(raw, session);
    });
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const listening = (server.address() as AddressInfo).port;

  return {
    port: listening,
    config: { name: `script:${listening}`, host: '127.0.0.1', port: listening, username: USERNAME, secret: SECRET },
    sessions,
    received,
    actionIds,
    nextAction: (name) =>
      new Promise((resolve) => {
        const listener = (entry: ReceivedAction) => {
          if (field(entry.action, 'action').toLowerCase() !== name.toLowerCase()) return;
          events.off('action', listener);
          resolve(entry);
        };
        events.on('action', listener);
      }),
    nextSessionClose: async () => (await once(events, 'session-close'))[0] as ScriptSession,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Each action of a transcript (Login included) with the frames Asterisk sent until the next action. */
function transcriptWindows(name: TranscriptName): Window[] {
  const windows: Window[] = [];
  for (const frame of readTranscript(name)) {
    if (frame.dir === 'out') {
      const action = parseFrame(frame.frame);
      windows.push({ name: field(action, 'action').toLowerCase(), recId: field(action, 'actionid'), frames: [], used: false });
    } else if (!frame.frame.startsWith('Asterisk Call Manager/')) {
      windows.at(-1)?.frames.push(frame.frame);
    }
  }
  return windows;
}

function split(bytes: string, size: () => number): string[] {
  const pieces: string[] = [];
  for (let start = 0; start < bytes.length; ) {
    const length = Math.max(1, Math.floor(size()));
    pieces.push(bytes.slice(start, start + length));
    start += length;
  }
  return pieces;
}
