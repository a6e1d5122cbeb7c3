import type { Handler } from './actionSession.js';
import { queueEntryItem, queueMemberItem, queueParamsFields, queueSummaryItem } from '../model/queues.js';
import { error, isTrue, success } from '../protocol/responses.js';

/** A non-negative integer header, 0 when missing or not one (app_queue's sscanf fallback). */
function count(value: string): number {
  const parsed = Number.parseInt(value, 10);
  return Number.isNaN(parsed) || parsed < 0 ? 0 : parsed;
}

/** QueueAdd (queue-admin): app_queue's messages, the events in QueueRegistry.add. */
export const queueAdd: Handler = (session, action) => {
  const queue = action.get('Queue');
  const iface = action.get('Interface');
  if (queue === '') return session.send(error(action, "'Queue' not specified."));
  if (iface === '') return session.send(error(action, "'Interface' not specified."));
  // The response goes first, then the events (queue-admin rec-2).
  const { queues } = session.pbx;
  if (queues.get(queue) === undefined) return session.send(error(action, 'Unable to add interface to queue: No such queue'));
  if (queues.get(queue)?.members.some((member) => member.interface === iface)) return session.send(error(action, 'Unable to add interface: Already there'));
  session.send(success(action, 'Added interface to queue'));
  queues.add(queue, {
    interface: iface,
    name: action.get('MemberName'),
    stateInterface: action.get('StateInterface'),
    penalty: count(action.get('Penalty')),
    paused: isTrue(action.get('Paused')),
    reason: action.get('Reason'),
    wrapuptime: count(action.get('Wrapuptime')),
  });
};

/** QueueRemove (queue-admin, the failing one included). */
export const queueRemove: Handler = (session, action) => {
  const queue = action.get('Queue');
  const iface = action.get('Interface');
  if (queue === '' || iface === '') return session.send(error(action, "Need 'Queue' and 'Interface' parameters."));
  const target = session.pbx.queues.get(queue);
  const member = target?.members.find((candidate) => candidate.interface === iface);
  if (target === undefined) return session.send(error(action, 'Unable to remove interface from queue: No such queue'));
  if (member === undefined) return session.send(error(action, 'Unable to remove interface: Not there'));
  if (!member.dynamic) return session.send(error(action, 'Member not dynamic'));
  session.send(success(action, 'Removed interface from queue'));
  session.pbx.queues.remove(queue, iface);
};

/** QueuePause: Queue is optional (every queue the interface is in), Reason too. */
export const queuePause: Handler = (session, action) => {
  const iface = action.get('Interface');
  const pausedText = action.get('Paused');
  if (iface === '' || pausedText === '') return session.send(error(action, "Need 'Interface' and 'Paused' parameters."));
  const queue = action.get('Queue');
  const paused = isTrue(pausedText);
  const inAny = session.pbx.queues.list(queue).some((candidate) => candidate.members.some((member) => member.interface === iface));
  if (!inAny) return session.send(error(action, 'Interface not found'));
  session.send(success(action, paused ? 'Interface paused successfully' : 'Interface unpaused successfully'));
  session.pbx.queues.pause(queue, iface, paused, action.get('Reason'));
};

/** QueueStatus: per queue its QueueParams, its QueueMember items, then its QueueEntry items; Queue and Member filter. */
export const queueStatus: Handler = (session, action) => {
  const { idFields } = action;
  const memberFilter = action.get('Member');
  session.send(success(action, 'Queue status will follow', [['EventList', 'start']]));
  let items = 0;
  for (const queue of session.pbx.queues.list(action.get('Queue'))) {
    session.send(queueParamsFields(queue, idFields));
    items += 1;
    for (const member of queue.members) {
      if (memberFilter !== '' && member.interface !== memberFilter && member.name !== memberFilter) continue;
      session.send(queueMemberItem(queue, member, idFields));
      items += 1;
    }
    const now = session.pbx.clock.now();
    queue.callers.forEach((caller, index) => session.send(queueEntryItem(queue, index + 1, caller, now, idFields)));
    items += queue.callers.length;
  }
  session.send([['Event', 'QueueStatusComplete'], ...idFields, ['EventList', 'Complete'], ['ListItems', String(items)]]);
};

/** QueueSummary: one item per queue; Queue filters. */
export const queueSummary: Handler = (session, action) => {
  const { idFields } = action;
  const queues = session.pbx.queues.list(action.get('Queue'));
  session.send(success(action, 'Queue summary will follow', [['EventList', 'start']]));
  const now = session.pbx.clock.now();
  for (const queue of queues) session.send(queueSummaryItem(queue, now, idFields));
  session.send([['Event', 'QueueSummaryComplete'], ...idFields, ['EventList', 'Complete'], ['ListItems', String(queues.length)]]);
};
