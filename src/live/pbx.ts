import type { AmiEvent, AmiMessage } from '../ami/message.js';
import type { PbxHealth } from '../health.js';
import { has, int, text, timestampMs } from './fields.js';
import type { LiveState, Pbx, Reduction } from './state.js';
import { Tx } from './tx.js';

/**
 * The PBX itself: FullyBooted (sent on every login), Reload and Shutdown events, and the CoreSettings and
 * CoreStatus responses (plain responses, not events, so resync applies them).
 */

function pbxOrNew(tx: Tx): Pbx {
  return (
    tx.get('pbx', tx.server) ?? {
      server: tx.server,
      amiVersion: null,
      asteriskVersion: null,
      systemName: null,
      maxCalls: null,
      startedAt: null,
      reloadedAt: null,
      currentCalls: null,
      processedCalls: null,
      fullyBooted: false,
      uptime: null,
      sinceReload: null,
      bootReportedAt: null,
      lastReloadAt: null,
      lastReloadModule: null,
      shuttingDown: false,
      connected: false,
    }
  );
}

function store(tx: Tx, changes: Partial<Pbx>): void {
  tx.put('pbx', tx.server, { ...pbxOrNew(tx), ...changes });
}

export function onFullyBooted(tx: Tx, event: AmiEvent): void {
  // Asterisk sends it to the one session that logged in, with no Timestamp: its moment is when it came.
  const reportedAt = timestampMs(event) ?? tx.receivedAt;
  store(tx, { fullyBooted: true, shuttingDown: false, uptime: int(event, 'uptime'), sinceReload: int(event, 'lastreload'), bootReportedAt: reportedAt });
}

/** A channel came (+1) or went (-1): CoreCurrentCalls follows, from the last CoreStatus on. */
export function countChannel(tx: Tx, delta: 1 | -1): void {
  const pbx = tx.get('pbx', tx.server);
  if (pbx?.currentCalls != null) store(tx, { currentCalls: Math.max(0, pbx.currentCalls + delta) });
}

export function onReload(tx: Tx, event: AmiEvent): void {
  store(tx, { lastReloadAt: timestampMs(event), lastReloadModule: text(event, 'module') || null });
}

export function onShutdown(tx: Tx): void {
  store(tx, { shuttingDown: true, fullyBooted: false });
}

/**
 * The worker's AMI session to the PBX came up (a resync was just asked on it) or dropped: in the second case the
 * PBX is kept as last heard, said to be out of reach until the next resync. Nothing changes when nothing does.
 */
export function connectionChanged(state: LiveState, server: string, connected: boolean): Reduction {
  const tx = new Tx(state, server);
  const pbx = tx.get('pbx', server);
  if ((pbx?.connected ?? false) !== connected) store(tx, { connected });
  return tx.finish();
}

export function applyCoreSettings(tx: Tx, response: AmiMessage): void {
  store(tx, {
    amiVersion: text(response, 'amiversion') || null,
    asteriskVersion: text(response, 'asteriskversion') || null,
    systemName: text(response, 'systemname'),
    maxCalls: has(response, 'coremaxcalls') ? int(response, 'coremaxcalls') : null,
  });
}

function moment(response: AmiMessage, date: string, time: string): string | null {
  const day = text(response, date);
  return day === '' ? null : `${day} ${text(response, time)}`.trim();
}

export function applyCoreStatus(tx: Tx, response: AmiMessage): void {
  store(tx, {
    startedAt: moment(response, 'corestartupdate', 'corestartuptime'),
    reloadedAt: moment(response, 'corereloaddate', 'corereloadtime'),
    currentCalls: has(response, 'corecurrentcalls') ? int(response, 'corecurrentcalls') : null,
    processedCalls: has(response, 'coreprocessedcalls') ? int(response, 'coreprocessedcalls') : null,
  });
}

/** Whole seconds from `from` to `now` (epoch ms), never below zero. */
const secondsBetween = (from: number, now: number) => Math.max(0, Math.floor((now - from) / 1000));

/** Seconds since the PBX started, at `now` (epoch ms): FullyBooted's Uptime and the time since it said so. */
export function uptimeAt(pbx: Pbx, now: number): number | null {
  if (pbx.uptime === null || pbx.bootReportedAt === null) return pbx.uptime;
  return pbx.uptime + secondsBetween(pbx.bootReportedAt, now);
}

/** Seconds since the last reload, at `now`: from a Reload event heard since login, else from FullyBooted's LastReload. */
export function sinceReloadAt(pbx: Pbx, now: number): number | null {
  if (pbx.lastReloadAt !== null && (pbx.bootReportedAt === null || pbx.lastReloadAt >= pbx.bootReportedAt)) return secondsBetween(pbx.lastReloadAt, now);
  if (pbx.sinceReload === null || pbx.bootReportedAt === null) return pbx.sinceReload;
  return pbx.sinceReload + secondsBetween(pbx.bootReportedAt, now);
}

/** A PBX as /health shows it, with its `callsUp` (its live calls), at `now`. */
export function pbxHealth(pbx: Pbx, callsUp: number, now = Date.now()): PbxHealth {
  return {
    server: pbx.server,
    connected: pbx.connected,
    asteriskVersion: pbx.asteriskVersion,
    uptimeSec: uptimeAt(pbx, now),
    lastReloadAt: pbx.lastReloadAt === null ? null : new Date(pbx.lastReloadAt).toISOString(),
    callsUp,
    channelsUp: pbx.currentCalls,
  };
}

/**
 * A CoreStatus asked for between resyncs (the ingest's status refresh): the calls processed since start, which no
 * event counts. Channels up are left as the events keep them: the answer may count a channel whose Newchannel is
 * still on its way, which would then be counted twice.
 */
export function refreshProcessedCalls(state: LiveState, response: AmiMessage, server: string): Reduction {
  const tx = new Tx(state, server);
  if (has(response, 'coreprocessedcalls')) store(tx, { processedCalls: int(response, 'coreprocessedcalls') });
  return tx.finish();
}
