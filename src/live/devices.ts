import type { AmiEvent } from '../ami/message.js';
import { onAgentDeviceState } from './agents.js';
import { int, text } from './fields.js';
import { extensionKey } from './state.js';
import type { Tx } from './tx.js';

/**
 * Device states (DeviceStateChange, and the DeviceStateList items which share its name) and extension
 * states of hints (ExtensionStatus, and the ExtensionStateList items which share its name). One change of
 * a device reaches AMI as up to three events, DeviceStateChange, ExtensionStatus and QueueMemberStatus,
 * in no fixed order (device-states.jsonl lines 36-38, 51-53, 56-58); each is applied on its own.
 */

/**
 * Local/ devices are left out: Asterisk does not cache them (DeviceStateList never lists them,
 * device-states.jsonl lines 15-23), so a resync would drop them, and the dialer would grow one per number.
 */
function cached(device: string): boolean {
  return !device.startsWith('Local/');
}

export function onDeviceStateChange(tx: Tx, event: AmiEvent): void {
  const device = text(event, 'device');
  if (!cached(device)) return;
  const state = text(event, 'state');
  tx.put('device', device, { server: tx.server, device, state });
  if (device.startsWith('Agent:')) onAgentDeviceState(tx, device.slice('Agent:'.length), state);
}

/** Status -1 (AST_EXTENSION_DEACTIVATED) and -2 (AST_EXTENSION_REMOVED) mean the hint is gone. */
export function onExtensionStatus(tx: Tx, event: AmiEvent): void {
  const exten = text(event, 'exten');
  const context = text(event, 'context');
  const status = int(event, 'status');
  const next = { server: tx.server, exten, context, hint: text(event, 'hint'), status, statusText: text(event, 'statustext') };
  if (status < 0) tx.remove('extension', extensionKey(exten, context), next);
  else tx.put('extension', extensionKey(exten, context), next);
}
