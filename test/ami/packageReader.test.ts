import { describe, expect, it } from 'vitest';
import { AmiActionError } from '../../src/ami/errors.js';
import { field, isEvent, parseFrame, type AmiEvent, type AmiMessage } from '../../src/ami/message.js';
import { readTranscript, receivedMessages, TRANSCRIPT_NAMES, type TranscriptName } from '../support/transcripts.js';
import { useAmiHarness } from './harness.js';

const harness = useAmiHarness();

/** A small seeded generator, so a failing chunking can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** What the adapter must hand over: every 'in' frame but the Login response and what answered Logoff. */
function expectedMessages(name: TranscriptName): AmiMessage[] {
  const expected: AmiMessage[] = [];
  let current = '';
  for (const frame of readTranscript(name)) {
    if (frame.dir === 'out') {
      current = field(parseFrame(frame.frame), 'action').toLowerCase();
      continue;
    }
    if (frame.frame.startsWith('Asterisk Call Manager/') || current === 'logoff') continue;
    const message = parseFrame(frame.frame);
    if (current === 'login' && !isEvent(message)) continue;
    expected.push(message);
  }
  return expected;
}

/** The transcript's actions after Login, without Logoff, as a caller would pass them. */
function transcriptActions(name: TranscriptName) {
  const responses = receivedMessages(name).filter((message) => !isEvent(message));
  return readTranscript(name)
    .filter((frame) => frame.dir === 'out')
    .map((frame) => parseFrame(frame.frame))
    .filter((action) => !['login', 'logoff'].includes(field(action, 'action').toLowerCase()))
    .map((action) => {
      const { actionid, ...fields } = action;
      const response = responses.find((message) => message.actionid === actionid);
      return { action: { ...fields, action: field(action, 'action') }, wantsList: field(response ?? {}, 'eventlist') === 'start' };
    });
}

const canonical = (messages: AmiMessage[]) => messages.map((message) => JSON.stringify(message)).sort();

describe("the package's reader against parseFrame", () => {
  it.each(TRANSCRIPT_NAMES)('gives the same objects for every frame of %s, sent in random chunks', async (name) => {
    const random = seeded(name.length);
    const server = await harness.server({ transcript: name, chunkSize: () => 1 + random() * 1500 });
    const { connection } = harness.connection(server.config);
    const stream: AmiEvent[] = [];
    connection.on('event', (event) => stream.push(event));
    await connection.start();

    const answers: AmiMessage[] = [];
    const listed = new Set<string>();
    for (const { action, wantsList } of transcriptActions(name)) {
      try {
        if (wantsList) {
          const list = await connection.listAction(action);
          answers.push(list.response, ...list.events, list.complete);
          listed.add(field(list.response, 'actionid'));
        } else answers.push(await connection.action(action));
      } catch (error) {
        if (!(error instanceof AmiActionError)) throw error;
        answers.push(error.response);
      }
    }
    // Answered in order: once a later Ping is answered, every replayed frame has been routed.
    await connection.action({ action: 'Ping' });

    const recIds = new Map([...server.actionIds].map(([recId, ours]) => [ours, recId]));
    const relabel = (message: AmiMessage): AmiMessage =>
      typeof message.actionid === 'string' && recIds.has(message.actionid) ? { ...message, actionid: recIds.get(message.actionid) } : message;

    const expected = expectedMessages(name);
    expect(canonical([...answers, ...stream].map(relabel))).toEqual(canonical(expected));
    // The live stream keeps wire order and holds everything but responses and our lists' items.
    const listedRecIds = new Set([...listed].map((ours) => recIds.get(ours)));
    const expectedStream = expected.filter((message) => isEvent(message) && !listedRecIds.has(field(message, 'actionid')));
    expect(stream.map(relabel)).toEqual(expectedStream);
  });
});
