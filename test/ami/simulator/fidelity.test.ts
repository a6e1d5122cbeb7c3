import { describe, expect, it } from 'vitest';
import { transcriptEpoch, type TranscriptName } from '../../support/transcripts.js';
import { summarize } from './frames.js';
import { replayOnClock, transcriptReceived } from './replay.js';
import { winnerAgnostic } from './ringallWinner.js';
import { useSimulatorSessions, type Clocked } from './sessions.js';

const { startOnClock: start } = useSimulatorSessions();

/** Replays a transcript against a running simulator; `frames` are what the simulator sent, unsummarized. */
type Adjust = (frames: string[]) => string[];

async function compareOn({ simulator, clock }: Clocked, name: TranscriptName, keepAction: (frame: string) => boolean = () => true, keepStream: (stream: string) => boolean = () => true, adjust: Adjust = (frames) => frames) {
  const simulated = await replayOnClock(name, simulator.port, clock, keepAction);
  const real = transcriptReceived(name);
  expect(simulated.banner).toBe(real.banner);
  const frames = adjust(simulated.frames);
  return { simulated: summarize(frames, keepStream), real: summarize(real.frames, keepStream), frames };
}

/** A fresh simulator whose clock starts where the recording's did, so whole seconds fall as they did there. */
async function compare(name: TranscriptName, keepAction: (frame: string) => boolean = () => true, keepStream: (stream: string) => boolean = () => true, adjust?: Adjust) {
  return compareOn(await start(transcriptEpoch(name)), name, keepAction, keepStream, adjust);
}

/**
 * queue-admin was recorded before queues.conf had `helpdesk` (device-states, recorded later, lists it): its
 * unfiltered QueueStatus and QueueSummary are compared without helpdesk's items and with the counts they then have.
 */
function withoutHelpdesk(frames: string[]): string[] {
  const kept = frames.filter((frame) => !(frame.includes('\r\nActionID: ') && frame.includes('\r\nQueue: helpdesk\r\n')));
  return kept.map((frame) => {
    const complete = /^Event: (QueueStatusComplete|QueueSummaryComplete)\r\nActionID: (.*)\r\n/.exec(frame);
    if (complete === null) return frame;
    const items = kept.filter((item) => item.includes(`\r\nActionID: ${complete[2] ?? ''}\r\n`) && item.startsWith('Event: ') && item !== frame).length;
    return frame.replace(/ListItems: \d+/, `ListItems: ${items}`);
  });
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

describe('the simulator administers queues as Asterisk 22 does', () => {
  it('queue-admin as a whole: QueueAdd, QueuePause, QueueStatus, QueueSummary, QueueRemove (and its failure) match', async () => {
    const { simulated, real, frames } = await compare('queue-admin', () => true, () => true, withoutHelpdesk);
    expect(simulated).toEqual(real);
    expect(simulated['response rec-8']).toEqual(['Response,ActionID,Message | Response=Error | Message=Unable to remove interface: Not there']);
    // Values the summary leaves aside: the member as added and paused, the lists' counts, support before sales.
    const item = (event: string) => frames.filter((frame) => frame.startsWith(`Event: ${event}\r\n`));
    expect(item('QueueMemberPause')[0]).toContain('Queue: support\r\nMemberName: Agent 103\r\nInterface: Local/103@agents/n\r\nStateInterface: Local/103@agents\r\nMembership: dynamic\r\nPenalty: 1\r\n');
    expect(item('QueueMemberPause')[0]).toContain('Paused: 1\r\nPausedReason: lunch\r\nRinginuse: 1\r\n');
    expect(item('QueueMemberPause')[1]).toContain('Paused: 0\r\nPausedReason: \r\n');
    expect(item('QueueMember').map((frame) => /\r\nName: (.*)\r\n/.exec(frame)?.[1])).toEqual(['Agent 103', 'Agent 102', 'Agent 101']);
    expect(item('QueueMember')[0]).toContain('Paused: 1\r\nPausedReason: lunch\r\nWrapuptime: 0\r\n');
    expect(item('QueueParams').map((frame) => /\r\nStrategy: (.*)\r\n/.exec(frame)?.[1])).toEqual(['leastrecent', 'ringall']);
    expect(item('QueueSummary').map((frame) => /LoggedIn: (\d+)\r\nAvailable: (\d+)/.exec(frame)?.slice(1).join('/'))).toEqual(['1/0', '2/2']);
  });
});

describe('the simulator queues an answered customer as Asterisk 22 does', () => {
  it('answered-to-queue: QueueCallerJoin, AgentCalled to both agents, AgentConnect, bridge, AgentComplete, QueueCallerLeave', async () => {
    const { simulated, real, frames } = await compare('answered-to-queue');
    // Across streams, the one order a consumer needs: Queue() reports the call complete before the caller's ;1 goes.
    const ending = (all: readonly string[]) =>
      all.flatMap((frame) => {
        const event = /^Event: (AgentComplete|Hangup)\r\n/.exec(frame)?.[1];
        const leg = /\r\nChannel: Local\/1001@customers-[0-9a-f]+;(\d)\r\n/.exec(frame)?.[1];
        return event === undefined || leg === undefined ? [] : [`${event} ;${leg}`];
      });
    expect(ending(frames)).toEqual(ending(transcriptReceived('answered-to-queue').frames));
    expect(ending(frames)).toEqual(['Hangup ;2', 'AgentComplete ;1', 'Hangup ;1']);
    const streams = winnerAgnostic(simulated);
    expect(streams).toEqual(winnerAgnostic(real));
    // What the comparison covers: the winner's dial ends in AgentConnect and AgentComplete, the other is cancelled.
    expect(streams['dial Local/W@agents;1']?.map((event) => /DialStatus=(\w+)|HoldTime,(\w+)/.exec(event)?.slice(1).join('') ?? 'called')).toEqual(['called', 'called', 'ANSWER', 'RingTime', 'TalkTime']);
    expect(streams['dial Local/L@agents;1']?.map((event) => /DialStatus=(\w+)/.exec(event)?.[1] ?? 'called')).toEqual(['called', 'called', 'CANCEL', 'CANCEL']);
    expect(streams['channel Local/L@agents;2']?.at(-1)).toContain('Cause=26 | Cause-txt=Answered elsewhere');
    expect(streams['channel Local/1001@customers;1']?.filter((event) => event.includes('Queue')).length).toBeGreaterThanOrEqual(2);
    expect(streams['device Queue:sales']).toHaveLength(2);
    expect(streams['event QueueMemberStatus']).toHaveLength(4);
    expect(streams['event BridgeDestroy']).toHaveLength(1);
  });
});

describe('the simulator keeps device and extension states as Asterisk 22 does', () => {
  it('device-states: Custom:desk201 through every state, hint 202 following a Local call, the state lists in cache order', async () => {
    const { simulated, real } = await compare('device-states');
    expect(simulated).toEqual(real);
    // What the comparison covers: one ExtensionStatus per change of extension state, a queue member following the device.
    const statuses = (hint: string) => simulated[`extension hints,${hint}`]?.map((event) => /Status=(\d+)/.exec(event)?.[1]);
    expect(statuses('201')).toEqual(['1', '8', '9', '16', '2', '0', '4']);
    expect(statuses('202')).toEqual(['1', '0']);
    expect(simulated['event QueueMemberStatus']?.map((event) => /Status=(\d+)/.exec(event)?.[1])).toEqual(['1', '2', '6', '7', '8', '3', '1', '5']);
    expect(simulated['response rec-19']).toHaveLength(13);
  });
});

describe('the simulator runs app_agent_pool agents as Asterisk 22 does', () => {
  it('agents-login-queue: AgentLogin, the helpdesk call through AgentRequest, Agents lists, hard and soft AgentLogoff', async () => {
    const { simulated, real, frames } = await compare('agents-login-queue');
    expect(simulated).toEqual(real);
    // What the comparison covers: the agent's call on the agent-request legs, the login channel lent and returned.
    const agentDial = frames.filter((frame) => /\r\nDestChannel: Local\/1001@agent-request-[0-9a-f]{8};1\r\n/.test(frame)).map((frame) => /^Event: (\w+)/.exec(frame)?.[1]);
    expect(agentDial).toEqual(['AgentCalled', 'DialBegin', 'DialState', 'DialEnd', 'AgentConnect', 'AgentComplete']);
    expect(simulated['channel Local/1001@agent-login;2']?.filter((event) => event.includes('BridgeType=')).map((event) => /BridgeType=(\w+)/.exec(event)?.[1])).toEqual(['agent_hold', 'agent_hold', 'basic', 'basic', 'agent_hold', 'agent_hold']);
    const onCall = frames.find((frame) => frame.includes('Status: AGENT_ONCALL'));
    expect(onCall).toMatch(/\r\nCallStarted: \d+\nLoggedInTime: \d+\r\n/);
    expect(simulated['event AgentLogoff']).toBeUndefined();
  });
});

describe('the simulator hangs up as Asterisk 22 does', () => {
  it('hangup-and-setvar: Status lists both legs, Hangup by /regex/ lists the channel, then both legs go with Cause 16', async () => {
    // The recording's Setvar named a channel of an earlier run (-00000000, the call was -0000000a) and failed; on a
    // fresh simulator that name exists, so the Setvar is left out, and so is its answer.
    const { simulated, real } = await compare(
      'hangup-and-setvar',
      (frame) => !/^Action: Setvar\r\n/.test(frame),
      (stream) => stream !== 'response rec-4',
    );
    expect(simulated['response rec-3']).toHaveLength(4);
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
  it('park-then-hangup, then answered-to-park on the same simulator as they were recorded: one lot bridge, created once', async () => {
    const simulator = await start(transcriptEpoch('park-then-hangup'));
    const gaveUp = await compareOn(simulator, 'park-then-hangup');
    expect(gaveUp.simulated).toEqual(gaveUp.real);
    const timedOut = await compareOn(simulator, 'answered-to-park');
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
  });
});

describe('the simulator serves callers waiting for a busy queue as Asterisk 22 does', () => {
  /** What the queue did with each caller, in the order it happened: joins with their position, connects with the wait, abandons, and the last completed count. */
  function queueStory(frames: readonly string[]) {
    const field = (frame: string, key: string) => new RegExp(`\\r\\n${key}: (.*)\\r\\n`).exec(frame)?.[1] ?? '';
    const customer = (frame: string) => /Local\/(\d+)@customers/.exec(field(frame, 'Channel'))?.[1] ?? '?';
    const story: string[] = [];
    for (const frame of frames) {
      const event = /^Event: (\w+)/.exec(frame)?.[1];
      if (event === 'QueueCallerJoin') story.push(`${customer(frame)} joins at ${field(frame, 'Position')}`);
      if (event === 'QueueCallerAbandon') story.push(`${customer(frame)} abandons`);
      if (event === 'AgentConnect') story.push(`${customer(frame)} connected`);
      if (event === 'AgentComplete') story.push(`${customer(frame)} completed`);
    }
    const holdTimes = frames.filter((frame) => frame.startsWith('Event: AgentConnect\r\n')).map((frame) => Number(field(frame, 'HoldTime')));
    const completed = frames.filter((frame) => frame.startsWith('Event: QueueParams\r\n')).map((frame) => field(frame, 'Completed'));
    return { story, holdTimes, completed };
  }

  it('queue-wait-for-agent: the 3rd and 4th callers wait at positions 1 and 2, each is connected as an agent comes free, none abandons', async () => {
    const { frames, simulated: streams, real: realStreams } = await compare('queue-wait-for-agent');
    // The queue's device is cached: RINGING as the 1st, 2nd and 3rd callers find it empty, not again for the 4th.
    expect(streams['device Queue:sales']).toEqual(realStreams['device Queue:sales']);
    expect(realStreams['device Queue:sales']?.map((event) => /State=(\w+)/.exec(event)?.[1])).toEqual(['RINGING', 'NOT_INUSE', 'RINGING', 'NOT_INUSE', 'RINGING', 'NOT_INUSE']);
    const simulated = queueStory(frames);
    const real = queueStory(transcriptReceived('queue-wait-for-agent').frames);
    expect(real.story.filter((line) => line.includes('joins'))).toEqual(['6201 joins at 1', '6202 joins at 1', '6203 joins at 1', '6204 joins at 2']);
    expect(simulated.story.filter((line) => !line.includes('completed'))).toEqual(real.story.filter((line) => !line.includes('completed')));
    expect(simulated.story.filter((line) => line.includes('completed')).sort()).toEqual(real.story.filter((line) => line.includes('completed')).sort());
    expect(simulated.completed).toEqual(real.completed);
    // Whole seconds of the PBX's clock (app_queue subtracts time(NULL) values), here where the recording's fell.
    expect(real.holdTimes).toEqual([0, 0, 5, 5]);
    expect(simulated.holdTimes).toEqual(real.holdTimes);
  });
});

describe('the simulator refuses a second login of an agent as Asterisk 22 does', () => {
  it('agent-double-login: AGENT_STATUS ALREADY_LOGGED_IN half a second in, Hangup(), both legs go; the first session stays', async () => {
    const { simulated, real } = await compare('agent-double-login');
    expect(simulated).toEqual(real);
    // What the comparison covers: the refused session's legs hang up with cause 16, the device stays INUSE (the first holds it).
    expect(simulated['channel Local/1001@agent-login;2']?.filter((event) => event.includes('Variable=AGENT_STATUS'))).toHaveLength(1);
    expect(simulated['device Local/1001@agent-login']?.map((event) => /State=(\w+)/.exec(event)?.[1])).toEqual(['INUSE', 'INUSE', 'INUSE', 'INUSE', 'INUSE', 'INUSE', 'NOT_INUSE', 'NOT_INUSE']);
  });
});

describe('the simulator ends an agent call on a hard logoff as Asterisk 22 does', () => {
  it('agent-logoff-mid-call: Cause 32 on the login channel, AgentLogoff, AgentComplete Reason agent, every leg of the call hangs up', async () => {
    // This recording's originate DialBegin caught ;1 already Ringing, where answered-to-park's shows it Down: Asterisk
    // publishes it from the dialing thread, which races the channel's own state change. That stream alone is left out.
    const { simulated, real } = await compare('agent-logoff-mid-call', () => true, (stream) => stream !== 'dial Local/6107@customers;1');
    expect(simulated).toEqual(real);
    // What the comparison covers: the explicit soft hangup, the logoff in the call, the customer dropped with it.
    expect(simulated['channel Local/1001@agent-login;2']?.filter((event) => event.endsWith('| Cause=32'))).toHaveLength(1);
    expect(simulated['dial Local/1001@agent-request;1']?.at(-1)).toContain('Reason=agent');
    expect(simulated['channel Local/6107@customers;2']?.at(-1)).toContain('Cause=16');
    expect(simulated['response rec-10']?.at(-1)).toContain('ListItems=0');
  });
});

describe('the simulator waits for an agent who acknowledges calls as Asterisk 22 does', () => {
  it('agents-ackcall-accept: the offer rings until PlayDTMF # reaches the login channel, then AgentConnect (RingTime 1); wrap-up after', async () => {
    const { simulated, real } = await compare('agents-ackcall-accept');
    expect(simulated).toEqual(real);
    // What the comparison covers: the digit heard on the login's ;2, then the agent's session bridged to the call.
    const login = simulated['channel Local/1002@agent-login;2'] ?? [];
    const heard = login.findIndex((event) => event.includes('Privilege=dtmf,all'));
    expect(heard).toBeGreaterThan(0);
    expect(login.slice(heard + 1).find((event) => event.includes('BridgeType=basic'))).toBeDefined();
    expect(simulated['dial Local/1002@agent-request;1']?.find((event) => event.includes('RingTime'))).toBeDefined();
  });
});
