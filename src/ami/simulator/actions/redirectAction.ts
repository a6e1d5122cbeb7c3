import type { Handler } from './actionSession.js';
import { LocalCall } from '../calls/localCall.js';
import { DESTINATIONS } from '../model/customers.js';
import { error, success } from '../protocol/responses.js';

/**
 * Redirect (manager.c action_redirect): its checks and messages in Asterisk's order. What is simulated is a
 * customer's ;1 leg taken out of dest,echo's Wait, or out of the parking lot, to priority 1 of another destination
 * the simulator runs (one an application Originate parked is hung up instead, as Asterisk does: LocalCall.redirect);
 * anything else answers "Redirect failed" (said plainly rather than faked). ExtraChannel is checked as Asterisk
 * does, but a dual redirect is not simulated.
 */
export const redirect: Handler = (session, action) => {
  const { pbx } = session;
  const name = action.get('Channel');
  const context = action.get('Context');
  const exten = action.get('Exten');
  const priority = action.get('Priority');
  if (name === '') return session.send(error(action, 'Channel not specified'));
  if (context === '') return session.send(error(action, 'Context not specified'));
  if (exten === '') return session.send(error(action, 'Exten not specified'));
  if (priority === '') return session.send(error(action, 'Priority not specified'));
  // The dialplan has no priority labels, so only a number >= 1 is valid.
  if (!(Number.parseInt(priority, 10) >= 1)) return session.send(error(action, 'Priority is invalid'));
  const channel = pbx.registry.get(name);
  if (channel === undefined) return session.send(error(action, `Channel does not exist: ${name}`));
  const extra = action.get('ExtraChannel');
  if (extra !== '') {
    if (pbx.registry.get(extra) === undefined) return session.send(error(action, `ExtraChannel does not exist: ${extra}`));
    return session.send(error(action, 'Redirect failed'));
  }
  const destination = Number.parseInt(priority, 10) === 1 ? DESTINATIONS.get(`${context},${exten}`) : undefined;
  const owner = pbx.ownerOf(name);
  if (destination === undefined || !(owner instanceof LocalCall) || !owner.redirectable(channel)) return session.send(error(action, 'Redirect failed'));
  // The ack goes first; the channel moves when its PBX thread notices the async goto.
  session.send(success(action, 'Redirect successful'));
  owner.redirect(channel, destination, { context, exten });
};
