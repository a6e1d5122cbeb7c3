import type { ClientAction, Fields } from './wire.js';

/** `Response: Success` as astman_send_ack writes it: ActionID, then any extra lines, then Message. */
export function success(action: ClientAction, message: string, extra: Fields = []): Fields {
  return [['Response', 'Success'], ...action.idFields, ...extra, ['Message', message]];
}

/** `Response: Error` with the message Asterisk's astman_send_error would write. */
export function error(action: ClientAction, message: string): Fields {
  return [['Response', 'Error'], ...action.idFields, ['Message', message]];
}
