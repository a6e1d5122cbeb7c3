import { describe, expect, it } from 'vitest';
import { TRANSCRIPT_NAMES } from '../support/transcripts.js';
import { listComparisons } from './listsAgree.js';
import { replay } from './replay.js';

const comparisons = (name: (typeof TRANSCRIPT_NAMES)[number]) => listComparisons(replay(name));

describe("the events alone keep what Asterisk's own lists say", () => {
  it.each(TRANSCRIPT_NAMES)('%s: every queue, member and agent list item agrees with the state built before it', (name) => {
    for (const compared of comparisons(name)) expect({ ...compared, reducer: compared.asterisk }).toEqual(compared);
  });

  it('covers what no event says: a member in a call and after it, completed calls and their averages, available members', () => {
    const ackcall = comparisons('agents-ackcall-accept').filter((compared) => compared.what === 'member helpdesk Local/1002@agent-request/n');
    // During the call (InCall 1, with no event saying so), and in the wrap-up after it (InCall 0, one call taken).
    expect(ackcall.map((compared) => [compared.asterisk.inCall, compared.asterisk.callsTaken])).toContainEqual([true, 0]);
    expect(ackcall.map((compared) => [compared.asterisk.inCall, compared.asterisk.callsTaken])).toContainEqual([false, 1]);
    const waiting = comparisons('queue-wait-for-agent');
    expect(waiting.find((compared) => compared.what === 'params sales' && compared.asterisk.completed === 4)?.asterisk).toEqual({ calls: 0, completed: 4, abandoned: 0, holdTime: 2, talkTime: 5 });
    expect(waiting.filter((compared) => compared.what === 'summary sales').map((compared) => compared.asterisk.available)).toEqual([0, 0, 2]);
  });
});
