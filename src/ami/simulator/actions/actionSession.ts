import type { Pbx } from '../model/pbx.js';
import type { ClientAction, Fields } from '../protocol/wire.js';

/** What an action handler may do to the session that sent it. */
export interface ActionSession {
  readonly pbx: Pbx;
  readonly username: string;
  readonly secret: string;
  authenticated: boolean;
  eventsOn: boolean;
  readonly localAddress: string;
  readonly remoteAddress: string;
  readonly sessionId: string;
  send(fields: Fields): void;
  close(): void;
}

export type Handler = (session: ActionSession, action: ClientAction) => void;
