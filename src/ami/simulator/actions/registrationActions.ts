import type { Handler } from './actionSession.js';
import { success } from '../protocol/responses.js';

/**
 * PJSIPShowRegistrationsOutbound (ami_show_outbound_registrations): the list ack, an OutboundRegistrationDetail per
 * registration, then the Complete event counting them, with how many are registered and how many not.
 */
export const pjsipShowRegistrationsOutbound: Handler = (session, action) => {
  const { registrations } = session.pbx;
  const items = registrations.listItems(action.idFields);
  const { registered, notRegistered } = registrations.counts();
  session.send(success(action, 'Following are Events for each Outbound registration', [['EventList', 'start']]));
  for (const item of items) session.send(item);
  session.send([
    ['Event', 'OutboundRegistrationDetailComplete'],
    ...action.idFields,
    ['EventList', 'Complete'],
    ['ListItems', String(items.length)],
    ['Registered', String(registered)],
    ['NotRegistered', String(notRegistered)],
  ]);
};
