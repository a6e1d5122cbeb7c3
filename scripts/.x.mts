import { replay } from '../test/live/replay.js';
const steps = replay(process.argv[2] as never);
let last = '';
for (const step of steps) {
  const agents = [...step.state.agent.values()].map((a) => `${a.id}:${a.status}${a.ringing ? '/ring' : ''}${a.wrapUp ? '/WRAP' : ''}:${a.deviceState}`).join(' ');
  const members = [...step.state.queueMember.values()].map((m) => `${m.queue}/${m.interface.slice(0, 14)}:${m.statusName}${m.inCall ? '/INCALL' : ''}`).join(' ');
  const line = `${agents} || ${members}`;
  if (line !== last) console.log(step.line, step.event.event, '|', line);
  last = line;
}
