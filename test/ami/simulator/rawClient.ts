import { connect, type Socket } from 'node:net';
import type { ManualClock } from '../../../src/ami/simulator/index.js';
import { pairs } from './frames.js';

/** A bare AMI client over a real socket: writes actions, waits for frames, knows when the server closed. */
export class RawClient {
  readonly frames: string[] = [];
  banner = '';
  closed: Promise<void>;
  private buffer = '';
  private waiters: (() => void)[] = [];
  private clockSteps = 0;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.receive(chunk));
    this.closed = new Promise((resolve) => socket.on('close', () => resolve()));
  }

  static async open(port: number): Promise<RawClient> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const client = new RawClient(socket);
    await client.until(() => client.banner !== '');
    return client;
  }

  send(fields: Record<string, string>): void {
    this.sendLines(Object.entries(fields));
  }

  /** One action from its lines in order, where a key may repeat (one `Variable:` line per variable). */
  sendLines(lines: readonly (readonly [string, string])[]): void {
    this.socket.write(lines.map(([key, value]) => `${key}: ${value}\r\n`).join('') + '\r\n');
  }

  /** Resolves with the first frame (received so far or later) whose fields `matches`. */
  async frame(matches: (fields: Map<string, string>) => boolean): Promise<string> {
    let found: string | undefined;
    await this.until(() => (found = this.frames.find((frame) => matches(new Map(pairs(frame))))) !== undefined);
    return found ?? '';
  }

  /**
   * The first frame (received so far or later) whose fields `matches`, moving the simulator's `clock` from one of
   * its waits to the next until it sends one; a Ping's answer after each step shows that whatever the step sent has
   * arrived. Fails when the simulator has nothing left to do and sent none.
   */
  async frameOnClock(clock: ManualClock, matches: (fields: Map<string, string>) => boolean): Promise<string> {
    for (;;) {
      const id = `clock-step-${++this.clockSteps}`;
      this.send({ Action: 'Ping', ActionID: id });
      await this.response(id);
      const found = this.frames.find((frame) => matches(new Map(pairs(frame))));
      if (found !== undefined) return found;
      const next = clock.untilNext();
      if (next === undefined) throw new Error('The simulator has nothing left to do, and sent no such frame');
      clock.advance(next);
    }
  }

  /** The frame answering `actionId` (a response, not a list item or event). */
  response(actionId: string): Promise<string> {
    return this.frame((fields) => fields.get('ActionID') === actionId && fields.has('Response') && !fields.has('Event'));
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    if (this.banner === '' && this.buffer.includes('\r\n')) {
      const end = this.buffer.indexOf('\r\n') + 2;
      this.banner = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end);
    }
    let end: number;
    while ((end = this.buffer.indexOf('\r\n\r\n')) !== -1) {
      this.frames.push(this.buffer.slice(0, end + 4));
      this.buffer = this.buffer.slice(end + 4);
    }
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  private async until(done: () => boolean): Promise<void> {
    while (!done()) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
}
