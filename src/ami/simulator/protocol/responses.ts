import type { ClientAction, Fields } from './wire.js';

/** `Response: Success` as astman_send_ack writes it: ActionID, then any extra lines, then Message. */
export function success(action: ClientAction, message: string, extra: Fields = []): Fields {
  return [['Response', 'Success'], ...action.idFields, ...extra, ['Message', message]];
}

/** `Response: Error` with the message Asterisk's astman_send_error would write. */
export function error(action: ClientAction, message: string): Fields {
  return [['Response', 'Error'], ...action.idFields, ['Message', message]];
}

/** Asterisk's ast_true, as action headers are read: yes, true, y, t, 1 and on, any case. */
export function isTrue(value: string): boolean {
  return ['yes', 'true', 'y', 't', '1', 'on'].includes(value.trim().toLowerCase());
}
