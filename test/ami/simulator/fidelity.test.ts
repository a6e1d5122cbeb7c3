import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/ami/simulator/index.js';
import type { TranscriptName } from '../../support/transcripts.js';
import { summarize } from './frames.js';
import { replayTranscript, transcriptReceived } from './replay.js';

// Fast enough for the 8 s transcripts to take 320 ms, slow enough that a busy machine keeps timers in order.
const SPEED = 25;

const simulators: Simulator[] = [];
afterEach(async () => {
  for (const simulator of simulators.splice(0)) await simulator.close();
});

async function start(speed: number): Promise<Simulator> {
  const simulator = await startSimulator({ username: 'admin', secret: 'labsecret', speed });
  simulators.push(simulator);
  return simulator;
}

/** Replays a transcript against a running simulator; `frames` are what the simulator sent, unsummarized. */
async function compareOn(simulator: Simulator, speed: number, name: TranscriptName, keepAction: (frame: string) => boolean = () => true, keepStream: (stream: string) => boolean = () => true) {
  const simulated = await replayTranscript(name, simulator.port, speed, keepAction);
  const real = transcriptReceived(name);
  expect(simulated.banner).toBe(real.banner);
  return { simulated: summarize(simulated.frames, keepStream), real: summarize(real.frames, keepStream), frames: simulated.frames };
}

async function compare(name: TranscriptName, keepAction: (frame: string) => boolean = () => true, keepStream: (stream: string) => boolean = () => true) {
  return compareOn(await start(SPEED), SPEED, name, keepAction, keepStream);
}

describe('the simulator plays each Originate outcome as Asterisk 22 does', () => {
  const names = ['busy', 'no-answer', 'congestion', 'unallocated', 'originate-with-channelid', 'originate-invalid-context', 'user-events'] as const;
  for (const name of names) {
    it(`${name}: same events, keys and key order along each channel, dial, device and response`, async () => {
      const { simulated, real } = await compare(name);
      expect(simulated).toEqual(real);
    });
  }
});

describe('the simulator answers Login, Ping, Command and Logoff as Asterisk 22 does', () => {
  it('queue-admin: login, ping, core show version and logoff frames match', async () => {
    const wanted = /^Action: (Login|Ping|Command|Logoff)\r\n/;
    const { simulated, real } = await compare(
      'queue-admin',
      (frame) => wanted.test(frame),
      (stream) => ['response rec-1', 'response rec-9', 'response rec-10', 'response rec-11', 'event FullyBooted', 'event SuccessfulAuth'].includes(stream),
    );
    expect(Object.keys(real)).toHaveLength(6);
    // The filtered replay renumbers nothing: the transcript's own frames, ActionIDs included, are sent.
    expect(simulated).toEqual(real);
  });
});

describe('the simulator hangs up as Asterisk 22 does', () => {
  it('hangup-and-setvar: Hangup by /regex/ lists the channel, then both legs go with Cause 16', async () => {
    // Status and Setvar are not simulated yet: their actions are left out and so are their answers.
    const { simulated, real } = await compare(
      'hangup-and-setvar',
      (frame) => !/^Action: (Status|Setvar)\r\n/.test(frame),
      (stream) => stream !== 'response rec-3' && stream !== 'response rec-4',
    );
    expect(simulated['response rec-5']).toHaveLength(3);
    expect(simulated).toEqual(real);
  });
});

describe('the real hangup cause sits where Asterisk puts it', () => {
  it('busy: Cause 17 on the ;2 leg, Cause 0 on ;1, OriginateResponse Reason 5 with Uniqueid <unknown>', async () => {
    const { simulated } = await compare('busy');
    expect(simulated['channel Local/2001@customers;2']?.at(-1)).toContain('Cause=17 | Cause-txt=User busy');
    expect(simulated['channel Local/2001@customers;1']?.at(-1)).toContain('Cause=0 | Cause-txt=Unknown');
    expect(simulated['originate rec-2']?.[0]).toContain('Reason=5 | Uniqueid=<unknown>');
  });

  it('originate-with-channelid: the ids given are the Uniqueids, and `<ChannelId>;2` without OtherChannelId', async () => {
    const { simulated } = await compare('originate-with-channelid');
    expect(simulated['channel Local/1002@customers;2']?.[0]).toContain('Uniqueid=6f1c2f4e-0b7a-4c1e-9a54-1d2e3f4a5b6d');
    expect(simulated['channel Local/2002@customers;2']?.[0]).toContain('Uniqueid=a0000000-0000-4000-8000-000000000001;2');
    expect(simulated['originate rec-3']?.[0]).toContain('Reason=5 | Uniqueid=a0000000-0000-4000-8000-000000000001');
  });
});

describe('the simulator parks as Asterisk 22 does', () => {
  // Slower than the rest: park-then-hangup asks ParkedCalls 220 ms (simulated) before its customer hangs up.
  const PARK_SPEED = 5;

  it('park-then-hangup, then answered-to-park on the same simulator as they were recorded: one lot bridge, created once', async () => {
    const simulator = await start(PARK_SPEED);
    const gaveUp = await compareOn(simulator, PARK_SPEED, 'park-then-hangup');
    expect(gaveUp.simulated).toEqual(gaveUp.real);
    const timedOut = await compareOn(simulator, PARK_SPEED, 'answered-to-park');
    expect(timedOut.simulated).toEqual(timedOut.real);

    // The first Park() made the bridge; the second call entered it without a BridgeCreate, as in the recordings.
    expect(gaveUp.simulated['event BridgeCreate']).toHaveLength(1);
    expect(timedOut.simulated['event BridgeCreate']).toBeUndefined();
    const bridgeIds = [...gaveUp.frames, ...timedOut.frames].flatMap((frame) => /\r\n(?:BridgeUniqueid|BridgeId): (.+)\r\n/.exec(frame)?.[1] ?? []);
    // BridgeCreate, BridgeEnter, BridgeLeave, BridgeEnter, the parked channel's CoreShowChannel BridgeId, BridgeLeave.
    expect(bridgeIds).toHaveLength(6);
    expect(new Set(bridgeIds).size).toBe(1);

    // How each call leaves the lot: give-up after the customer hangs up, time-out into parked-timeout,s.
    const gaveUpStreams = gaveUp.simulated;
    expect(gaveUpStreams['event ParkedCallGiveUp']?.[0]).toContain('ParkeeContext=dest | ParkeeExten=park | ParkeePriority=1 | ParkeeUniqueid=<generated>');
    expect(gaveUpStreams['event ParkedCallGiveUp']?.[0]).toContain('ParkerDialString=Local/7002@customers | Parkinglot=default | ParkingSpace=701');
    expect(gaveUpStreams['device park:701@parkedcalls']).toEqual(['Event,Privilege,Timestamp,Device,State | Privilege=call,all | State=INUSE', 'Event,Privilege,Timestamp,Device,State | Privilege=call,all | State=NOT_INUSE']);
    const timedOutStreams = timedOut.simulated;
    expect(timedOutStreams['event ParkedCallTimeOut']?.[0]).toContain('ParkeeContext=parked-timeout | ParkeeExten=s | ParkeePriority=1');
    expect(timedOutStreams['channel Local/6001@customers;1']?.at(-1)).toContain('Context=parked-timeout | Exten=s | Priority=1 | Uniqueid=<generated> | Linkedid=<generated> | Cause=16');
    expect(timedOutStreams['response rec-4']).toEqual([
      'Response,ActionID,Message | Response=Error | Message=Invalid/unknown command: ParkinglotsList. Use Action: ListCommands to show available commands.',
    ]);
  }, 20_000);
});
