import type { AmiEvent } from '../ami/message.js';
import { known, text } from './fields.js';
import type { Bridge } from './state.js';
import { sameMembers, type Tx } from './tx.js';

/** Bridges from BridgeCreate/Enter/Leave/Destroy, and the bridge id each channel is in. */

function described(tx: Tx, event: AmiEvent, previous: Bridge | undefined): Bridge {
  const id = text(event, 'bridgeuniqueid');
  return {
    server: tx.server,
    id,
    type: text(event, 'bridgetype') || (previous?.type ?? ''),
    technology: text(event, 'bridgetechnology') || (previous?.technology ?? ''),
    creator: known(event, 'bridgecreator'),
    name: known(event, 'bridgename'),
    channels: previous?.channels ?? [],
    createdAt: previous?.createdAt ?? null,
  };
}

function setChannelBridge(tx: Tx, uniqueid: string, bridgeId: string | null): void {
  const channel = tx.get('channel', uniqueid);
  if (channel !== undefined) tx.put('channel', uniqueid, { ...channel, bridgeId });
}

function leave(tx: Tx, bridgeId: string, uniqueid: string): void {
  const bridge = tx.get('bridge', bridgeId);
  if (bridge !== undefined && bridge.channels.includes(uniqueid)) {
    tx.put('bridge', bridgeId, { ...bridge, channels: bridge.channels.filter((id) => id !== uniqueid) });
  }
  if (tx.get('channel', uniqueid)?.bridgeId === bridgeId) setChannelBridge(tx, uniqueid, null);
}

/** Puts a channel in a bridge (known or not: a parking lot's bridge outlives the session that saw it created). */
export function enterBridge(tx: Tx, bridge: Bridge, uniqueid: string): void {
  const current = tx.get('channel', uniqueid)?.bridgeId;
  if (current && current !== bridge.id) leave(tx, current, uniqueid);
  const channels = bridge.channels.includes(uniqueid) ? bridge.channels : [...bridge.channels, uniqueid];
  tx.put('bridge', bridge.id, { ...bridge, channels });
  setChannelBridge(tx, uniqueid, bridge.id);
}

/** A bridge known only by id, as a CoreShowChannel BridgeId names it. */
export function bridgeById(tx: Tx, id: string): Bridge {
  return (
    tx.get('bridge', id) ?? { server: tx.server, id, type: '', technology: '', creator: '', name: '', channels: [], createdAt: null }
  );
}

export function onBridgeCreate(tx: Tx, event: AmiEvent): void {
  const previous = tx.get('bridge', text(event, 'bridgeuniqueid'));
  const bridge = described(tx, event, previous);
  tx.put('bridge', bridge.id, { ...bridge, createdAt: previous?.createdAt ?? tx.at(event) });
}

export function onBridgeEnter(tx: Tx, event: AmiEvent): void {
  const bridge = described(tx, event, tx.get('bridge', text(event, 'bridgeuniqueid')));
  enterBridge(tx, bridge, text(event, 'uniqueid'));
}

export function onBridgeLeave(tx: Tx, event: AmiEvent): void {
  leave(tx, text(event, 'bridgeuniqueid'), text(event, 'uniqueid'));
}

export function onBridgeDestroy(tx: Tx, event: AmiEvent): void {
  const id = text(event, 'bridgeuniqueid');
  const bridge = tx.get('bridge', id);
  if (bridge === undefined) return;
  for (const uniqueid of bridge.channels) {
    if (tx.get('channel', uniqueid)?.bridgeId === id) setChannelBridge(tx, uniqueid, null);
  }
  tx.remove('bridge', id, { ...described(tx, event, bridge), channels: [] });
}

/** A resynced bridge keeps what only the bridge events said: its type, technology, creator, name, birth and order. */
export function carryBridge(old: Bridge, fresh: Bridge): Bridge {
  return {
    ...fresh,
    channels: sameMembers(old.channels, fresh.channels) ? old.channels : fresh.channels,
    type: fresh.type || old.type,
    technology: fresh.technology || old.technology,
    creator: fresh.creator || old.creator,
    name: fresh.name || old.name,
    createdAt: old.createdAt ?? fresh.createdAt,
  };
}
