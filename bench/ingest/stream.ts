/**
 * The AMI stream of the ingest benchmark: a TCP server on 127.0.0.1 that sends the banner, accepts Login,
 * answers the resync list actions with empty lists (and anything else it does not know with an error, as
 * Asterisk does), and on `Action: BenchStart` streams N events made of the transcripts' real event frames,
 * as fast as the socket drains.
 */
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { field, parseFrame, type AmiMessage } from '../../src/ami/message.js';
import { FrameSplitter } from '../../src/ami/frameSplitter.js';
import { readTranscript, TRANSCRIPT_NAMES } from '../../test/support/transcripts.js';

export const BANNER = 'Asterisk Call Manager/11.0.0\r\n';
export const USERNAME = 'bench';
export const SECRET = 'bench';
/** The action that starts the stream: every case sends it once logged in (and resynced). */
export const START_ACTION = 'BenchStart';

/** List actions a resync sends and the event that completes each one's (here empty) list. */
const LIST_COMPLETE: Record<string, string> = {
  coreshowchannels: 'CoreShowChannelsComplete',
  queuestatus: 'QueueStatusComplete',
  queuesummary: 'QueueSummaryComplete',
  parkedcalls: 'ParkedCallsComplete',
  parkinglots: 'ParkinglotsComplete',
  agents: 'AgentsComplete',
  devicestatelist: 'DeviceStateListComplete',
  extensionstatelist: 'ExtensionStateListComplete',
};

/** Every event frame Asterisk sent in the transcripts, in order, without its ActionID line. */
export function transcriptEventFrames(): string[] {
  const frames: string[] = [];
  for (const name of TRANSCRIPT_NAMES) {
    for (const frame of readTranscript(name)) {
      if (frame.dir !== 'in' || !frame.frame.startsWith('Event:')) continue;
      frames.push(frame.frame.replace(/^ActionID: [^\r\n]*\r?\n/m, ''));
    }
  }
  return frames;
}

/** The bytes of `count` events: the frames repeated in order, cut into pieces of about 64 KB. */
function* streamPieces(frames: readonly string[], count: number): Generator<Buffer> {
  const cycle = frames.map((frame) => Buffer.from(frame, 'utf8'));
  let pending: Buffer[] = [];
  let size = 0;
  for (let index = 0; index < count; index++) {
    const frame = cycle[index % cycle.length] as Buffer;
    pending.push(frame);
    size += frame.length;
    if (size >= 65_536) {
      yield Buffer.concat(pending, size);
      pending = [];
      size = 0;
    }
  }
  if (size > 0) yield Buffer.concat(pending, size);
}

function respond(socket: Socket, action: AmiMessage, response: string, fields: Record<string, string>): void {
  const lines = [`Response: ${response}`, `ActionID: ${field(action, 'actionid')}`];
  for (const [key, value] of Object.entries(fields)) lines.push(`${key}: ${value}`);
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
}

async function stream(socket: Socket, frames: readonly string[], count: number): Promise<void> {
  for (const piece of streamPieces(frames, count)) {
    if (socket.destroyed) return;
    if (socket.write(piece)) continue;
    await new Promise<void>((resolve) => {
      const done = () => {
        socket.off('drain', done);
        socket.off('close', done);
        resolve();
      };
      socket.on('drain', done);
      socket.on('close', done);
    });
  }
}

export type StreamServer = { port: number; bytesPerCycle: number; close(): Promise<void> };

export async function startStreamServer(frames: readonly string[], count: number): Promise<StreamServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    socket.write(BANNER);
    const incoming = new FrameSplitter();
    socket.setEncoding('utf8');
    socket.on('data', (data: string) => {
      for (const frame of incoming.push(data)) {
        const action = parseFrame(frame);
        const name = field(action, 'action').toLowerCase();
        const complete = LIST_COMPLETE[name];
        if (name === 'login') {
          if (field(action, 'username') === USERNAME && field(action, 'secret') === SECRET) {
            respond(socket, action, 'Success', { Message: 'Authentication accepted' });
          } else {
            respond(socket, action, 'Error', { Message: 'Authentication failed' });
            socket.end();
          }
        } else if (complete !== undefined) {
          respond(socket, action, 'Success', { EventList: 'start', Message: 'List will follow' });
          socket.write(`Event: ${complete}\r\nActionID: ${field(action, 'actionid')}\r\nEventList: Complete\r\nListItems: 0\r\n\r\n`);
        } else if (name === 'ping') {
          respond(socket, action, 'Success', { Ping: 'Pong', Timestamp: '1795294905.100001' });
        } else if (name === START_ACTION.toLowerCase()) {
          respond(socket, action, 'Success', { Message: 'Stream follows' });
          void stream(socket, frames, count);
        } else if (name === 'logoff') {
          respond(socket, action, 'Goodbye', { Message: 'Thanks for all the fish.' });
          socket.end();
        } else {
          respond(socket, action, 'Error', {
            Message: `Invalid/unknown command: ${field(action, 'action')}. Use Action: ListCommands to show available commands.`,
          });
        }
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    bytesPerCycle: frames.reduce((sum, frame) => sum + Buffer.byteLength(frame), 0),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
