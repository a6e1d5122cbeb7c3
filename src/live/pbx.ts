import type { AmiEvent, AmiMessage } from '../ami/message.js';
import { has, int, text, timestampMs } from './fields.js';
import type { Pbx } from './state.js';
import type { Tx } from './tx.js';

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
      lastReloadAt: null,
      lastReloadModule: null,
      shuttingDown: false,
    }
  );
}

function store(tx: Tx, changes: Partial<Pbx>): void {
  tx.put('pbx', tx.server, { ...pbxOrNew(tx), ...changes });
}

export function onFullyBooted(tx: Tx, event: AmiEvent): void {
  store(tx, { fullyBooted: true, shuttingDown: false, uptime: int(event, 'uptime'), sinceReload: int(event, 'lastreload') });
}

export function onReload(tx: Tx, event: AmiEvent): void {
  store(tx, { lastReloadAt: timestampMs(event), lastReloadModule: text(event, 'module') || null });
}

export function onShutdown(tx: Tx): void {
  store(tx, { shuttingDown: true, fullyBooted: false });
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
