import type { Socket } from 'node:net';
import createManager from 'asterisk-manager';
import type { Logger } from '../logger.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from '../backoff.js';
import { commandOutput } from './commandOutput.js';
import type { AmiServerConfig } from './config.js';
import type { AmiAction, AmiActionOptions, AmiConnection, AmiConnectionEvents, AmiListResult } from './connection.js';
import {
  AmiAuthenticationError,
  AmiClosedError,
  AmiConnectionLostError,
  AmiError,
  AmiInvalidActionError,
  AmiNotConnectedError,
  AmiTimeoutError,
} from './errors.js';
import { assertSafeAction, assertSafeText } from './guard.js';
import { Listeners } from './listeners.js';
import { captureManagerSocket } from './managerSocket.js';
import { field, type AmiEvent, type AmiMessage } from './message.js';
import { PendingActions } from './pendingActions.js';
import { amiActionsFailed, amiActionsSent } from '../metrics/processMetrics.js';
import { realSchedule, type Cancel, type Schedule } from './schedule.js';

export type AsteriskManagerOptions = {
  log: Logger;
  /** Default time limit of an action. 10 s. */
  actionTimeoutMs?: number;
  /** Ping this often once logged in; 0 turns the keepalive off. 15 s. */
  keepaliveMs?: number;
  /** A Ping unanswered this long counts as a dropped connection. 10 s. */
  pongTimeoutMs?: number;
  /** TCP connect plus Login must finish within this. 10 s. */
  loginTimeoutMs?: number;
  /** Delays between reconnect attempts. 0.5 s doubling to 30 s, full jitter. */
  backoff?: BackoffPolicy;
  random?: () => number;
  schedule?: Schedule;
};

/** One socket's life: from the connect attempt to its close. */
type Session = {
  manager: createManager.Instance;
  socket: Socket;
  attempt: number;
  loggedIn: boolean;
  // The package confirms a login one tick after delivering the events that follow it: held until then.
  early: AmiEvent[];
  dropReason?: Error;
  socketError?: Error;
  cancelLoginTimer: Cancel;
  cancelKeepalive: Cancel;
  /** Not read by choice (the consumer's backpressure): an unread Pong then says nothing of the PBX. */
  readingPaused: boolean;
};

type Deferred = { promise: Promise<void>; resolve(): void; reject(error: Error): void };

// Logging in and off is this connection's own business: through action() they would desynchronise it.
const SESSION_ACTIONS = new Set(['login', 'logoff', 'challenge']);
const LOGOFF_TIMEOUT_MS = 1_000;
const noop = () => {};

/**
 * An AmiConnection over the asterisk-manager package: logs in (reporting a refused secret), reconnects
 * after any drop with capped, jittered exponential backoff, pings to detect a silent peer, and routes
 * answers by our own ActionIDs. One instance per PBX server.
 */
export class AsteriskManagerConnection implements AmiConnection {
  readonly server: string;
  private readonly log: Logger;
  private readonly listeners: Listeners<AmiConnectionEvents>;
  private readonly pending: PendingActions;
  private readonly settings: Required<Omit<AsteriskManagerOptions, 'log'>>;
  private state: 'idle' | 'running' | 'closed' = 'idle';
  private session: Session | undefined;
  /** Connect attempts since the last successful login. */
  private attempt = 0;
  private loggedInOnce = false;
  private cancelRetry: Cancel = noop;
  private started: Deferred | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly config: AmiServerConfig,
    options: AsteriskManagerOptions,
  ) {
    // The package sends these in its own Login, past our action path: check them here, whatever built the config.
    assertSafeText('Username', config.username);
    assertSafeText('Secret', config.secret);
    this.server = config.name;
    this.log = options.log.child({ component: 'ami', server: config.name });
    this.listeners = new Listeners((error, name) => this.log.error({ err: error, listener: name }, 'AMI listener threw'));
    this.settings = {
      actionTimeoutMs: options.actionTimeoutMs ?? 10_000,
      keepaliveMs: options.keepaliveMs ?? 15_000,
      pongTimeoutMs: options.pongTimeoutMs ?? 10_000,
      loginTimeoutMs: options.loginTimeoutMs ?? 10_000,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      random: options.random ?? Math.random,
      schedule: options.schedule ?? realSchedule,
    };
    this.pending = new PendingActions(config.name, this.settings.schedule);
  }

  get connected(): boolean {
    return this.session?.loggedIn === true;
  }

  /**
   * Connects and keeps connecting; resolves at the first login. A refused first login rejects with
   * AmiAuthenticationError and stops (a wrong secret does not fix itself); network failures are retried.
   */
  start(): Promise<void> {
    if (this.state === 'closed') return Promise.reject(new AmiClosedError(this.server));
    if (this.connected) return Promise.resolve();
    this.started ??= deferred();
    if (this.state === 'idle') {
      this.state = 'running';
      this.open();
    }
    return this.started.promise;
  }

  pause(): void {
    if (!this.session) return;
    this.session.readingPaused = true;
    this.session.socket.pause();
  }

  resume(): void {
    if (!this.session) return;
    this.session.readingPaused = false;
    this.session.socket.resume();
  }

  on<K extends keyof AmiConnectionEvents>(name: K, listener: (...args: AmiConnectionEvents[K]) => void): () => void {
    return this.listeners.on(name, listener);
  }

  async action(action: AmiAction, options: AmiActionOptions = {}): Promise<AmiMessage> {
    const session = this.sessionFor(action);
    return this.send(session, action, false, options.timeoutMs ?? this.settings.actionTimeoutMs) as Promise<AmiMessage>;
  }

  async listAction(action: AmiAction, options: AmiActionOptions = {}): Promise<AmiListResult> {
    const session = this.sessionFor(action);
    return this.send(session, action, true, options.timeoutMs ?? this.settings.actionTimeoutMs) as Promise<AmiListResult>;
  }

  async command(command: string, options: AmiActionOptions = {}): Promise<string[]> {
    return commandOutput(await this.action({ action: 'Command', command }, options));
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.state = 'closed';
    this.cancelRetry();
    this.settleStart(new AmiClosedError(this.server));
    const session = this.session;
    if (session) {
      const closed = new Promise<void>((resolve) => session.socket.once('close', () => resolve()));
      session.dropReason ??= new AmiClosedError(this.server);
      session.cancelKeepalive();
      // Logoff lets Asterisk end the session cleanly instead of logging a broken socket.
      if (session.loggedIn) await this.send(session, { action: 'Logoff' }, false, LOGOFF_TIMEOUT_MS).catch(noop);
      session.socket.destroy();
      await closed;
    }
    this.pending.failAll(() => new AmiClosedError(this.server));
    this.log.info('AMI connection closed');
  }

  /** Checks an action and the connection before anything is written. */
  private sessionFor(action: AmiAction): Session {
    assertSafeAction(action);
    if (SESSION_ACTIONS.has(action.action.toLowerCase())) {
      throw new AmiInvalidActionError(`AMI ${action.action} is managed by the connection itself`, 'Action');
    }
    if (this.state === 'closed') throw new AmiClosedError(this.server);
    const session = this.session;
    if (!session?.loggedIn) throw new AmiNotConnectedError(this.server, action.action);
    return session;
  }

  private send(session: Session, action: AmiAction, wantsList: boolean, timeoutMs: number): Promise<AmiMessage | AmiListResult> {
    const actionId = this.pending.nextActionId();
    const answer = wantsList
      ? this.pending.expectList(actionId, action.action, timeoutMs)
      : this.pending.expectResponse(actionId, action.action, timeoutMs);
    // The package keeps a once-listener per ActionID that an unanswered action would leak.
    const forget = () => session.manager.removeAllListeners(actionId);
    answer.then(forget, () => {
      forget();
      amiActionsFailed.inc({ server: this.server });
    });
    session.manager.action({ ...action, actionid: actionId }, (_error, response) => this.pending.respond(actionId, response));
    amiActionsSent.inc({ server: this.server });
    return answer;
  }

  private open(): void {
    this.cancelRetry = noop;
    this.attempt += 1;
    const { host, port, username, secret } = this.config;
    this.log.info({ host, port, attempt: this.attempt }, 'AMI connecting');
    // No port: the constructor would connect and log in at once, and never report a refused login.
    const manager = createManager(undefined, host, username, secret, true);
    const socket = captureManagerSocket(() => manager.connect(port, host, () => this.logIn(session)));
    // Actions are small and each waits for its answer: send them at once rather than after the last ACK.
    socket.setNoDelay(true);
    const session: Session = { manager, socket, attempt: this.attempt, loggedIn: false, early: [], cancelLoginTimer: noop, cancelKeepalive: noop, readingPaused: false };
    this.session = session;
    manager.on('managerevent', (event) => this.onEvent(session, event));
    socket.on('error', (error) => (session.socketError ??= error));
    socket.once('close', () => this.onClose(session));
    session.cancelLoginTimer = this.settings.schedule(this.settings.loginTimeoutMs, () =>
      this.drop(session, new AmiTimeoutError(this.server, 'Login', this.settings.loginTimeoutMs)),
    );
  }

  private logIn(session: Session): void {
    if (this.session !== session) return;
    session.manager.login((refusal) => (refusal ? this.onRefused(session, refusal) : this.onLoggedIn(session)));
  }

  private onLoggedIn(session: Session): void {
    if (this.session !== session || session.dropReason) return;
    session.cancelLoginTimer();
    session.loggedIn = true;
    this.log.info({ attempt: session.attempt }, 'AMI connected');
    this.attempt = 0;
    this.loggedInOnce = true;
    this.settleStart();
    this.listeners.emit('connect');
    for (const event of session.early.splice(0)) this.listeners.emit('event', event);
    this.keepAlive(session);
  }

  private onRefused(session: Session, refusal: AmiMessage): void {
    if (this.session !== session) return;
    session.cancelLoginTimer();
    const error = new AmiAuthenticationError(this.server, this.config.username, field(refusal, 'message'));
    this.log.error({ attempt: session.attempt, username: this.config.username, err: error.message }, 'AMI login refused');
    // Refused at start: a configuration mistake to report, not retry. Refused later: the PBX changed; keep trying.
    if (!this.loggedInOnce) {
      this.state = 'idle';
      this.settleStart(error);
    }
    this.drop(session, error);
  }

  private onEvent(session: Session, event: AmiEvent): void {
    if (this.pending.claim(event)) return;
    if (!session.loggedIn) session.early.push(event);
    else this.listeners.emit('event', event);
  }

  private keepAlive(session: Session): void {
    if (this.settings.keepaliveMs <= 0 || this.state === 'closed') return;
    session.cancelKeepalive = this.settings.schedule(this.settings.keepaliveMs, () => {
      this.send(session, { action: 'Ping' }, false, this.settings.pongTimeoutMs).then(
        () => this.session === session && this.keepAlive(session),
        (error: unknown) => {
          if (this.session !== session) return;
          if (!(error instanceof AmiTimeoutError)) return this.keepAlive(session); // any answer proves the link
          // Its Pong may sit unread behind the events this side holds back: dropping the session would lose them.
          if (session.readingPaused) return this.keepAlive(session);
          this.log.warn({ timeoutMs: this.settings.pongTimeoutMs }, 'AMI keepalive Ping unanswered: dropping the connection');
          this.drop(session, error);
        },
      );
    });
  }

  /** Cuts a session off; its socket's close event then does the bookkeeping. */
  private drop(session: Session, reason: Error): void {
    session.dropReason ??= reason;
    session.socket.destroy();
  }

  private onClose(session: Session): void {
    session.cancelLoginTimer();
    session.cancelKeepalive();
    // Only our listener goes: the package's own no-op 'error' listener must stay or a late error would throw.
    session.manager.removeAllListeners('managerevent');
    if (this.session !== session) return;
    this.session = undefined;
    const reason = session.dropReason ?? session.socketError ?? new AmiError(`${this.server} closed the connection`);
    if (session.loggedIn) {
      const closing = this.state === 'closed';
      this.pending.failAll((action) => (closing ? new AmiClosedError(this.server) : new AmiConnectionLostError(this.server, action)));
      this.log[closing ? 'info' : 'warn']({ err: reason.message }, 'AMI disconnected');
      this.listeners.emit('disconnect', reason);
    } else if (this.state !== 'closed' && !(reason instanceof AmiAuthenticationError)) {
      this.log.warn({ attempt: session.attempt, err: reason.message }, 'AMI connect failed');
    }
    if (this.state === 'running') this.retryLater();
  }

  private retryLater(): void {
    const delayMs = backoffDelay(this.attempt, this.settings.backoff, this.settings.random);
    this.log.info({ attempt: this.attempt + 1, delayMs }, 'AMI reconnect scheduled');
    this.cancelRetry = this.settings.schedule(delayMs, () => this.open());
  }

  private settleStart(error?: Error): void {
    const started = this.started;
    this.started = undefined;
    if (error) started?.reject(error);
    else started?.resolve();
  }
}

function deferred(): Deferred {
  let resolve = noop;
  let reject: (error: Error) => void = noop;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
