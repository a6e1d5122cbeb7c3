import { field, type AmiMessage } from '../ami/message.js';

/** Reading typed values out of AMI messages, the way Asterisk 22 writes them. */

export function text(message: AmiMessage, key: string): string {
  return field(message, key);
}

export function has(message: AmiMessage, key: string): boolean {
  return message[key] !== undefined;
}

/**
 * The variable a VarSet names. parseFrame reads every `Variable:` line as name=value pairs, so VarSet's
 * `Variable: BRIDGEPEER` arrives as { BRIDGEPEER: '' } (its value is in the separate Value field).
 */
export function variableName(message: AmiMessage): string {
  const variable = message.variable;
  if (typeof variable === 'string') return variable;
  if (variable === undefined || Array.isArray(variable)) return '';
  // The first key, without Object.keys' array: a busy PBX sends VarSets by the thousand.
  for (const name in variable) return name;
  return '';
}

/** A number field; 0 when absent or not a number (Asterisk writes every counter, so absence is rare). */
export function int(message: AmiMessage, key: string): number {
  const value = Number.parseFloat(field(message, key));
  return Number.isFinite(value) ? value : 0;
}

/** '1', 'true' and 'yes' (any case) are true, as Asterisk's ast_true reads them. */
export function bool(message: AmiMessage, key: string): boolean {
  return /^(1|true|yes|on)$/i.test(field(message, key));
}

/**
 * A caller id or connected line part: Asterisk writes `<unknown>` in channel snapshots and `unknown` in
 * QueueEntry items for "not set"; both become '' so events and list items agree.
 */
export function callerId(message: AmiMessage, key: string): string {
  const value = field(message, key);
  return value === '<unknown>' || value === 'unknown' ? '' : value;
}

/** `<unknown>` (unset bridge creator or name) becomes ''. */
export function known(message: AmiMessage, key: string): string {
  const value = field(message, key);
  return value === '<unknown>' ? '' : value;
}

/** The event's `Timestamp` (seconds with microseconds) in whole epoch milliseconds; null when absent. */
export function timestampMs(message: AmiMessage): number | null {
  const value = field(message, 'timestamp');
  if (value === '') return null;
  const [seconds = '', fraction = ''] = value.split('.');
  const ms = Number(seconds) * 1000 + Number(fraction.padEnd(3, '0').slice(0, 3));
  return Number.isFinite(ms) ? ms : null;
}

/** Epoch seconds as Asterisk writes LastCall, LoginTime, LoggedInTime: 0 means never, so null. */
export function epochSecondsMs(message: AmiMessage, key: string): number | null {
  const seconds = int(message, key);
  return seconds > 0 ? seconds * 1000 : null;
}

/** A duration written as `HH:MM:SS` (CoreShowChannel), in seconds; null when empty. */
export function clockSeconds(message: AmiMessage, key: string): number | null {
  const value = field(message, key);
  if (value === '') return null;
  const seconds = value.split(':').reduce((total, part) => total * 60 + Number(part), 0);
  return Number.isFinite(seconds) ? seconds : null;
}

/** Whole seconds of an epoch-millisecond time, as Asterisk's own time_t fields (LoggedInTime, CallStarted). */
export function floorToSecond(ms: number | null): number | null {
  return ms === null ? null : Math.floor(ms / 1000) * 1000;
}
