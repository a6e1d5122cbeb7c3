import type { AmiConnection } from '../ami/connection.js';
import type { AmiEvent, AmiMessage } from '../ami/message.js';
import type { Logger } from '../logger.js';
import { amiEventsIngested } from '../metrics/processMetrics.js';
import { callLogEntries } from './callLog.js';
import { fetchResyncList, fetchResyncLists } from './ingestLists.js';
import { connectionChanged, refreshProcessedCalls } from './pbx.js';
import { reduceEvents } from './reducer.js';
import { needsRegistrationList } from './registrations.js';
import { resync } from './resync.js';
import { emptyLiveState, type Change, type LiveState } from './state.js';
import type { LiveStore } from './store.js';

/** Hands one change of a server's live state on, to every subscriber that follows it. */
export type ChangePublisher = (server: string, change: Change) => void;

export type IngestOptions = {
  connection: AmiConnection;
  /** The PbxServer name every object and event is stored and published under. */
  server: string;
  store: LiveStore;
  /** Where each change goes once it is in the store: the bus (bus/changePublisher), which this folder does not know. */
  publish: ChangePublisher;
  log: Logger;
  /** Dates resync list items, which carry durations instead of times. Default Date.now. */
  now?: () => number;
  /** How often the PBX is asked what no event tells (CoreStatus's calls processed). Default a minute. */
  statusRefreshMs?: number;
};

export type Ingest = {
  /** Settles once every event received so far is reduced, written and published. */
  idle(): Promise<void>;
  /**
   * Stops taking events and settles once the events already received are written and published. A queued
   * resync is dropped (the next start resyncs anyway); one in progress waits for its actions, so close
   * the connection first to end it at once.
   */
  stop(): Promise<void>;
};

/** Queued in place of an event where a (re)connect asks for a resync; events go in the queue as they are. */
const RESYNC = Symbol('resync');
/** Queued every statusRefreshMs while connected: CoreStatus asked again, in order with the events. */
const STATUS_REFRESH = Symbol('status refresh');
/** Queued when the AMI session drops: the PBX is marked out of reach, in order with the events before it. */
const DISCONNECTED = Symbol('disconnected');
/** Queued after events that changed the outbound registrations in a way only their list shows (a reload). */
const REGISTRATIONS_REFRESH = Symbol('registrations refresh');
type Work = AmiEvent | typeof RESYNC | typeof STATUS_REFRESH | typeof DISCONNECTED | typeof REGISTRATIONS_REFRESH;
const isEventWork = (work: Work | undefined): work is AmiEvent => work !== undefined && typeof work !== 'symbol';

const DEFAULT_STATUS_REFRESH_MS = 60_000;

/** Events reduced together into one store write: bounds the write while a busy PBX outpaces the store. */
const BATCH_LIMIT = 500;
/** Above this backlog the AMI socket is paused (TCP holds the rest back), and read again below RESUME_BELOW. */
const PAUSE_ABOVE = 2_000;
const RESUME_BELOW = 500;

/**
 * Keeps one server's live state in the store and its changes on the bus: resyncs on every (re)connect,
 * then reduces each event in order. One queue serialises everything, so events that arrive during a
 * resync are applied after it, in order, and writes never overtake each other.
 */
export function startIngest(options: IngestOptions): Ingest {
  const { connection, server, store, publish } = options;
  const now = options.now ?? Date.now;
  const log = options.log.child({ server });
  const queue: Work[] = [];
  let state: LiveState | undefined;
  // After a failed write the store lags the state here: the next write replaces it whole instead.
  let storeInSync = true;
  let running: Promise<void> | undefined;
  let stopped = false;
  let paused = false;
  // A resync waits for list answers on the same socket: it must never be paused then.
  let resyncing = false;
  const readAgain = () => {
    if (!paused) return;
    paused = false;
    connection.resume();
  };

  const write = async (changes: readonly Change[], whole: boolean, current: LiveState) => {
    try {
      if (whole || !storeInSync) await store.replace(server, current);
      else await store.apply(server, changes, current);
      storeInSync = true;
    } catch (error) {
      storeInSync = false;
      log.error({ err: error, changes: changes.length }, 'live store write failed; the next write replaces the whole state');
    }
    // Published even when the write failed: subscribers follow the PBX, and the store catches up.
    for (const change of changes) publish(server, change);
  };

  const resyncNow = async (current: LiveState): Promise<LiveState> => {
    const lists = await fetchResyncLists(connection, log);
    const reduction = resync(current, lists, server, now());
    const connected = connectionChanged(reduction.state, server, true);
    const changes = [...reduction.changes, ...connected.changes];
    await write(changes, true, connected.state);
    log.info({ changes: changes.length, lists: Object.keys(lists).length, channels: connected.state.channel.size }, 'live state resynced');
    return connected.state;
  };

  const refreshStatus = async (current: LiveState): Promise<LiveState> => {
    let response: AmiMessage;
    try {
      response = await connection.action({ action: 'CoreStatus' });
    } catch (error) {
      log.warn({ err: error }, 'could not refresh the PBX status; trying again later');
      return current;
    }
    const reduction = refreshProcessedCalls(current, response, server);
    if (reduction.changes.length > 0) await write(reduction.changes, false, reduction.state);
    return reduction.state;
  };

  const refreshRegistrations = async (current: LiveState): Promise<LiveState> => {
    const reduction = resync(current, await fetchResyncList(connection, log, 'registrations'), server, now());
    if (reduction.changes.length > 0) await write(reduction.changes, false, reduction.state);
    return reduction.state;
  };

  const logCalls = async (events: readonly AmiEvent[]) => {
    const entries = callLogEntries(events, now());
    if (entries.length === 0) return;
    try {
      await store.logCalls(server, entries);
    } catch (error) {
      log.error({ err: error, events: entries.length }, 'could not log dialer call events; a call ending unfollowed meanwhile is recorded with less');
    }
  };

  const applyEvents = async (current: LiveState, events: readonly AmiEvent[]): Promise<LiveState> => {
    const { state: next, changes } = reduceEvents(current, events, server, now());
    await Promise.all([changes.length > 0 ? write(changes, false, next) : undefined, logCalls(events)]);
    amiEventsIngested.inc({ server }, events.length);
    if (!queue.includes(REGISTRATIONS_REFRESH) && events.some((event) => needsRegistrationList(next, event))) enqueue(REGISTRATIONS_REFRESH);
    return next;
  };

  const load = async (): Promise<LiveState> => {
    try {
      return await store.load(server);
    } catch (error) {
      storeInSync = false;
      log.error({ err: error }, 'live store read failed; starting from an empty state');
      return emptyLiveState();
    }
  };

  const drain = async () => {
    state ??= await load();
    while (queue.length > 0) {
      if (queue[0] === RESYNC) {
        queue.shift();
        resyncing = true;
        readAgain();
        try {
          state = await resyncNow(state);
        } finally {
          resyncing = false;
        }
        continue;
      }
      if (queue[0] === STATUS_REFRESH) {
        queue.shift();
        state = await refreshStatus(state);
        continue;
      }
      if (queue[0] === REGISTRATIONS_REFRESH) {
        queue.shift();
        state = await refreshRegistrations(state);
        continue;
      }
      if (queue[0] === DISCONNECTED) {
        queue.shift();
        const reduction = connectionChanged(state, server, false);
        if (reduction.changes.length > 0) await write(reduction.changes, false, reduction.state);
        state = reduction.state;
        continue;
      }
      let end = 1;
      while (end < queue.length && end < BATCH_LIMIT && isEventWork(queue[end])) end++;
      // One splice a batch: taking events out one shift() at a time is quadratic on a backlog. The loop above
      // stopped before any RESYNC or refresh, so the batch is events only.
      state = await applyEvents(state, queue.splice(0, end) as AmiEvent[]);
      if (queue.length < RESUME_BELOW) readAgain();
    }
  };

  const run = () => {
    if (running !== undefined || queue.length === 0) return;
    running = drain()
      .catch((error: unknown) => log.error({ err: error }, 'live state ingest failed'))
      .finally(() => {
        running = undefined;
        // Work queued after the loop's last check but before this settled.
        run();
      });
  };

  const enqueue = (work: Work) => {
    if (stopped) return;
    queue.push(work);
    if (!paused && !resyncing && queue.length > PAUSE_ABOVE) {
      paused = true;
      connection.pause();
    }
    run();
  };

  const offConnect = connection.on('connect', () => enqueue(RESYNC));
  const offEvent = connection.on('event', enqueue);
  const offDisconnect = connection.on('disconnect', () => enqueue(DISCONNECTED));
  // The store lost what was written (Redis back empty): the PBX is asked for everything again. Disconnected,
  // the reconnect resyncs anyway.
  const offLoss = store.watchLoss(() => {
    if (connection.connected) enqueue(RESYNC);
  });
  if (connection.connected) enqueue(RESYNC);
  const statusRefresh = setInterval(() => {
    if (connection.connected) enqueue(STATUS_REFRESH);
  }, options.statusRefreshMs ?? DEFAULT_STATUS_REFRESH_MS);
  statusRefresh.unref();
  log.info('live state ingest started');

  const idle = async () => {
    while (running !== undefined) await running;
  };

  return {
    idle,
    async stop() {
      stopped = true;
      clearInterval(statusRefresh);
      offConnect();
      offEvent();
      offDisconnect();
      offLoss();
      const received = queue.filter(isEventWork);
      queue.splice(0, queue.length, ...received);
      await idle();
      readAgain();
      log.info('live state ingest stopped');
    },
  };
}
