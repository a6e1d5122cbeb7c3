/**
 * Streams with the ringall winner named `W` and the other agent `L`, whichever of Agent 101 and Agent 102 won,
 * and QueueStatus items sorted: which agent answers first is a race in Asterisk, not something to assert.
 */
export function winnerAgnostic(streams: Record<string, string[]>): Record<string, string[]> {
  const connect = Object.entries(streams).find(([, events]) => events.some((event) => event.startsWith('Event,Privilege,Timestamp,Channel') && event.includes('HoldTime,RingTime')));
  const winner = /^dial Local\/(10[12])@agents;1$/.exec(connect?.[0] ?? '')?.[1];
  const rename = (text: string) => (winner === undefined ? text : text.replace(/(?<![\d.])10[12](?!\d)/g, (agent) => (agent === winner ? 'W' : 'L')).replace(/agents-0000000[12]/g, (name) => (name.endsWith(winner.slice(-1)) ? 'agents-W' : 'agents-L')));
  const renamed: Record<string, string[]> = {};
  for (const [name, events] of Object.entries(streams)) {
    const list = events.map(rename);
    renamed[rename(name)] = name.startsWith('response ') && events.some((event) => event.startsWith('Event,Queue,Name')) ? [...list].sort() : list;
  }
  return renamed;
}
