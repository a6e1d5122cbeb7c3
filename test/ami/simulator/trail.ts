import { pairs, role } from './frames.js';

/** The detail that matters of each event, by event: what a trail shows after the event's name. */
const DETAIL: Record<string, string> = {
  Newexten: 'Application',
  Newstate: 'ChannelStateDesc',
  VarSet: 'Variable',
  HangupRequest: 'Cause',
  SoftHangupRequest: 'Cause',
  Hangup: 'Cause',
  UserEvent: 'UserEvent',
  QueueCallerJoin: 'Queue',
  QueueCallerLeave: 'Queue',
  AgentCalled: 'Queue',
  AgentConnect: 'Queue',
  AgentComplete: 'Reason',
  DialEnd: 'DialStatus',
  ParkedCall: 'ParkingSpace',
  ParkedCallGiveUp: 'ParkingSpace',
  ParkedCallTimeOut: 'ParkingSpace',
};

/** The events along one channel (`Local/6001@customers;1`, the parked one included), as `Event detail`. */
export function trail(frames: readonly string[], channel: string): string[] {
  return frames.flatMap((frame) => {
    const fields = new Map(pairs(frame));
    const event = fields.get('Event') ?? '';
    if (fields.has('ActionID') || role(fields.get('Channel') ?? fields.get('ParkeeChannel') ?? '') !== channel) return [];
    const detail = fields.get(DETAIL[event] ?? '');
    return [detail === undefined ? event : `${event} ${detail}`];
  });
}
