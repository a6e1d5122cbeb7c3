import type { AmiEvent, AmiMessage } from './message.js';

/** A value of one action field; a record becomes one `Field: name=value` line per entry (e.g. Variable). */
export type AmiFieldValue = string | number | boolean | readonly string[] | Readonly<Record<string, string>> | undefined;

/**
 * One AMI action: `action` is its name, every other key one header. Arrays are sent comma-joined on one
 * line; `undefined` fields are left out. ActionID is the connection's to assign: never pass one.
 */
export type AmiAction = { readonly action: string; readonly [field: string]: AmiFieldValue };

export type AmiActionOptions = {
  /** How long to wait for the answer (for a list: until its Complete event). Default 10 s. */
  timeoutMs?: number;
};

/** An event list (`EventList: start` ... `EventList: Complete`) gathered into one answer. */
export type AmiListResult = {
  response: AmiMessage;
  /** The list items in the order Asterisk sent them. */
  events: AmiEvent[];
  /** The closing `...Complete` event (ListItems and any totals). */
  complete: AmiEvent;
};

/** What a connection announces; `disconnect` carries why (an AmiError or the socket's own error). */
export type AmiConnectionEvents = {
  /** Every event not claimed as an item of one of our own lists (OriginateResponse included). */
  event: [event: AmiEvent];
  /** Logged in (first time or after a reconnect): resync anything that depends on the PBX here. */
  connect: [];
  disconnect: [reason: Error];
};

/** One logged-in AMI session to one PBX, kept alive and re-established on its own. */
export interface AmiConnection {
  /** A name for logs and errors: the PbxServer's name, or host:port. */
  readonly server: string;
  readonly connected: boolean;
  /** Sends one action and resolves with its response; `Response: Error` rejects with AmiActionError. */
  action(action: AmiAction, options?: AmiActionOptions): Promise<AmiMessage>;
  /** Sends an action answered by an event list and resolves once its Complete event arrived. */
  listAction(action: AmiAction, options?: AmiActionOptions): Promise<AmiListResult>;
  /** Runs a CLI command (Action: Command) and resolves with its `Output:` lines. */
  command(command: string, options?: AmiActionOptions): Promise<string[]>;
  /**
   * Stops reading from the PBX until resume(): TCP then holds back what Asterisk sends, so a consumer that
   * falls behind is not buried in memory. Keep pauses short: answers and Pongs wait too.
   */
  pause(): void;
  resume(): void;
  /** Subscribes; returns the function that unsubscribes. */
  on<K extends keyof AmiConnectionEvents>(name: K, listener: (...args: AmiConnectionEvents[K]) => void): () => void;
  /** Logs off, stops reconnecting and rejects whatever still waits. */
  close(): Promise<void>;
}
