import { randomBytes } from 'node:crypto';
import type { AmiListResult } from './connection.js';
import { AmiActionError, AmiProtocolError, AmiTimeoutError } from './errors.js';
import { field, type AmiEvent, type AmiMessage } from './message.js';
import type { Cancel, Schedule } from './schedule.js';

type Entry = {
  action: string;
  /** Set once the promise is settled; a list answer to a plain action is then only drained. */
  settled: boolean;
  wantsList: boolean;
  response?: AmiMessage;
  events: AmiEvent[];
  cancelTimer: Cancel;
  resolve(value: AmiMessage | AmiListResult): void;
  reject(error: Error): void;
};

const isListStart = (response: AmiMessage) => field(response, 'eventlist').toLowerCase() === 'start';
const isListEnd = (event: AmiEvent) => field(event, 'eventlist').toLowerCase() === 'complete';

/**
 * The actions awaiting their answer on one connection, by ActionID: settles each with its response or its
 * gathered event list, times it out, and claims the list items carrying our ActionIDs so that they never
 * reach the live event stream. Knows nothing of sockets.
 */
export class PendingActions {
  private readonly entries = new Map<string, Entry>();
  // A random prefix per connection plus a counter: unique under any load, unlike the package's Date.now().
  private readonly prefix = `sb${randomBytes(4).toString('hex')}`;
  private counter = 0;

  constructor(
    private readonly server: string,
    private readonly schedule: Schedule,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  nextActionId(): string {
    this.counter += 1;
    return `${this.prefix}-${this.counter}`;
  }

  /** Waits for the response to `actionId`. */
  expectResponse(actionId: string, action: string, timeoutMs: number): Promise<AmiMessage> {
    return this.expect(actionId, action, timeoutMs, false) as Promise<AmiMessage>;
  }

  /** Waits for the response to `actionId` and then its event list up to the Complete event. */
  expectList(actionId: string, action: string, timeoutMs: number): Promise<AmiListResult> {
    return this.expect(actionId, action, timeoutMs, true) as Promise<AmiListResult>;
  }

  private expect(actionId: string, action: string, timeoutMs: number, wantsList: boolean): Promise<AmiMessage | AmiListResult> {
    return new Promise((resolve, reject) => {
      const entry: Entry = { action, settled: false, wantsList, events: [], cancelTimer: () => {}, resolve, reject };
      this.entries.set(actionId, entry);
      entry.cancelTimer = this.schedule(timeoutMs, () => {
        this.finish(actionId);
        this.settle(entry, new AmiTimeoutError(this.server, action, timeoutMs));
      });
    });
  }

  /** Hands the response to the action that sent `actionId`; ignored when none waits. */
  respond(actionId: string, response: AmiMessage): void {
    const entry = this.entries.get(actionId);
    if (!entry || entry.response) return;
    entry.response = response;
    if (field(response, 'response').toLowerCase() === 'error') {
      this.finish(actionId);
      return this.settle(entry, new AmiActionError(this.server, entry.action, response));
    }
    const listFollows = isListStart(response);
    if (entry.wantsList && !listFollows) {
      this.finish(actionId);
      return this.settle(entry, new AmiProtocolError(`AMI ${entry.action} on ${this.server} answered without an event list`));
    }
    // A plain action answered with a list stays registered until Complete, so its items are swallowed.
    if (!listFollows) this.finish(actionId);
    if (!entry.wantsList) this.settle(entry, response);
  }

  /** Takes `event` when it is an item (or the end) of a list one of our actions is receiving. */
  claim(event: AmiEvent): boolean {
    const actionId = field(event, 'actionid');
    const entry = actionId === '' ? undefined : this.entries.get(actionId);
    if (!entry?.response || !isListStart(entry.response)) return false;
    if (!isListEnd(event)) {
      if (entry.wantsList) entry.events.push(event);
      return true;
    }
    this.finish(actionId);
    if (entry.wantsList) this.settle(entry, { response: entry.response, events: entry.events, complete: event });
    return true;
  }

  /** Rejects everything still waiting (the connection is gone) with the error `reason` makes for it. */
  failAll(reason: (action: string) => Error): void {
    const entries = [...this.entries.values()];
    this.entries.clear();
    for (const entry of entries) {
      entry.cancelTimer();
      this.settle(entry, reason(entry.action));
    }
  }

  private finish(actionId: string): void {
    this.entries.get(actionId)?.cancelTimer();
    this.entries.delete(actionId);
  }

  private settle(entry: Entry, outcome: AmiMessage | AmiListResult | Error): void {
    if (entry.settled) return;
    entry.settled = true;
    if (outcome instanceof Error) entry.reject(outcome);
    else entry.resolve(outcome);
  }
}
