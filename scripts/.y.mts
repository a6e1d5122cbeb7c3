import { replay, stateBefore } from '../test/live/replay.js';
import { TRANSCRIPT_NAMES } from '../test/support/transcripts.js';
import { field } from '../src/ami/message.js';
import { memberKey } from '../src/live/state.js';
for (const name of TRANSCRIPT_NAMES) {
  const steps = replay(name);
  for (const step of steps) {
    const e = step.event;
    const before = stateBefore(steps, step.line);
    if (e.event === 'QueueMember') {
      const m = before.queueMember.get(memberKey(field(e, 'queue'), field(e, 'location')));
      const said = { inCall: field(e, 'incall') === '1', callsTaken: Number(field(e, 'callstaken')), status: Number(field(e, 'status')) };
      const mine = m && { inCall: m.inCall, callsTaken: m.callsTaken, status: m.status };
      if (JSON.stringify(said) !== JSON.stringify(mine)) console.log(name, step.line, 'member', field(e, 'location'), 'asterisk', said, 'reducer', mine);
    }
    if (e.event === 'QueueSummary' || e.event === 'QueueParams') {
      const q = before.queue.get(field(e, 'queue'));
      const keys = e.event === 'QueueSummary' ? { loggedIn: 'loggedin', available: 'available', calls: 'callers', holdTime: 'holdtime', talkTime: 'talktime' } : { completed: 'completed', abandoned: 'abandoned', holdTime: 'holdtime', talkTime: 'talktime', calls: 'calls' };
      const said = Object.fromEntries(Object.entries(keys).map(([k, f]) => [k, Number(field(e, f))]));
      const mine = q && Object.fromEntries(Object.keys(keys).map((k) => [k, (q as Record<string, unknown>)[k]]));
      if (JSON.stringify(said) !== JSON.stringify(mine)) console.log(name, step.line, e.event, field(e, 'queue'), 'asterisk', JSON.stringify(said), 'reducer', JSON.stringify(mine));
    }
  }
}
