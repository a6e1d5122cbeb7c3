import type { Handler } from './actionSession.js';
import { LocalCall } from '../calls/localCall.js';
import { error, success } from '../protocol/responses.js';

/**
 * Park (res/parking/parking_manager.c manager_park): its checks and messages, the acks ending in "\n" as
 * Asterisk writes them. Simulated: a customer's ;1 leg waiting in dest,echo parked straight into the lot
 * (manager_park_unbridged: ParkedCall and BridgeEnter, no Park() Newexten); the parker is TimeoutChannel's
 * device when given, else the parked channel's. Timeout is in ms, at least 1 s; 0 or none keeps the lot's.
 */
export const park: Handler = (session, action) => {
  const { pbx } = session;
  const name = action.get('Channel');
  const timeoutText = action.get('Timeout');
  if (name === '') return session.send(error(action, 'Channel not specified'));
  const timeoutMs = timeoutText === '' ? 0 : Number.parseInt(timeoutText, 10);
  if (!(timeoutMs >= 0)) return session.send(error(action, 'Invalid Timeout value.'));
  const channel = pbx.registry.get(name);
  if (channel === undefined) return session.send(error(action, `Channel does not exist: ${name}`));
  const lot = action.get('Parkinglot');
  const owner = pbx.ownerOf(name);
  const parkable = (lot === '' || lot === pbx.parking.config.name) && owner instanceof LocalCall && owner.inEcho(channel);
  if (!parkable || pbx.parking.full()) return session.send(error(action, 'Park action failed\n'));
  const timeoutChannel = action.get('TimeoutChannel') || action.get('Channel2');
  const parker = (timeoutChannel === '' ? name : timeoutChannel).replace(/-[0-9a-f]{8}(;[12])?$/, '');
  session.send(success(action, 'Park successful\n'));
  owner.parkByAction(channel, parker, timeoutMs > 0 ? Math.max(1, Math.floor(timeoutMs / 1000)) : undefined);
};
