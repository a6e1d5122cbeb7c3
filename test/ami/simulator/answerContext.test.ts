import { describe, expect, it } from 'vitest';
import { separateArguments } from '../../../src/ami/simulator/actions/variables.js';
import { recordingFileOf, throughAnswerContext } from '../../../src/dialer/answerContext.js';
import { escapeVariableValue } from '../../../src/ami/variableValue.js';
import { pairs, role } from './frames.js';
import type { RawClient } from './rawClient.js';
import { useSimulatorSessions } from './sessions.js';
import { trail } from './trail.js';

const sessions = useSimulatorSessions();

const loggedIn = async (speed = 20): Promise<RawClient> => (await sessions.loggedIn(speed)).client;

const PLAN = {
  amdEnabled: true,
  recordCalls: true,
  amdAllowNotSure: false,
  amdInitialSilenceMs: 2500,
  amdGreetingMs: 1500,
  amdAfterGreetingSilenceMs: 800,
  amdTotalAnalysisTimeMs: 5000,
  amdMinWordLengthMs: 100,
  amdBetweenWordsSilenceMs: 50,
  amdMaximumNumberOfWords: 2,
  amdSilenceThreshold: 256,
  amdMaximumWordLengthMs: 5000,
  machineMessage: null as string | null,
};

type Target = Parameters<typeof throughAnswerContext>[0];

const ECHO: Target = { type: 'EXTENSION', context: 'dest', exten: 'echo', priority: '1', application: null, data: null, variables: { ACCOUNT: '42' } };
const QUEUE_SALES: Target = { type: 'APPLICATION', context: null, exten: null, priority: null, application: 'Queue', data: 'sales,,,,60', variables: {} };
const FILE = recordingFileOf('campaign-1', 'dialing-1');

/** The Originate the dialer sends through switchboard-answer: its target, and one escaped `Variable:` line per variable. */
function originateThroughAnswer(client: RawClient, number: string, destination: Target, plan: typeof PLAN): void {
  const target = throughAnswerContext(destination, plan, FILE);
  client.sendLines([
    ['Action', 'Originate'],
    ['ActionID', 'o'],
    ['Channel', `Local/${number}@customers`],
    ['Context', target.context ?? ''],
    ['Exten', target.exten ?? ''],
    ['Priority', target.priority ?? ''],
    ['CallerID', '"Campaign A" <5550000>'],
    ['Async', 'true'],
    ...Object.entries(target.variables as Record<string, string>).map(([name, value]) => ['Variable', `${name}=${escapeVariableValue(value)}`] as const),
  ]);
}

/** Waits for `channel`'s Hangup, then a Ping: whatever was sent in the same moment has arrived before its answer. */
async function hungUp(client: RawClient, channel: string): Promise<void> {
  await client.frame((fields) => fields.get('Event') === 'Hangup' && role(fields.get('Channel') ?? '') === channel);
  client.send({ Action: 'Ping', ActionID: 'ping' });
  await client.response('ping');
}

/** ;1's events from its first priority in switchboard-answer on. */
function fromAnswerContext(frames: readonly string[], number: string): string[] {
  const events = trail(frames, `Local/${number}@customers;1`);
  return events.slice(events.indexOf('Newexten GotoIf'));
}

/** `Context,Priority Application(AppData)` of each Newexten along a channel. */
function dialplanOf(frames: readonly string[], channel: string): string[] {
  return frames.flatMap((frame) => {
    const fields = new Map(pairs(frame));
    if (fields.get('Event') !== 'Newexten' || role(fields.get('Channel') ?? '') !== channel) return [];
    return [`${fields.get('Context') ?? ''},${fields.get('Priority') ?? ''} ${fields.get('Application') ?? ''}(${fields.get('AppData') ?? ''})`];
  });
}

function varSet(frames: readonly string[], channel: string, variable: string): string | undefined {
  const frame = frames.find((text) => {
    const fields = new Map(pairs(text));
    return fields.get('Event') === 'VarSet' && role(fields.get('Channel') ?? '') === channel && fields.get('Variable') === variable;
  });
  return frame === undefined ? undefined : new Map(pairs(frame)).get('Value');
}

describe('Originate into switchboard-answer with recording and AMD, a human, to dest,echo', () => {
  it('records, runs AMD, sends SwitchboardAmd HUMAN, then goes to dest,echo as the README dialplan says', async () => {
    const client = await loggedIn();
    originateThroughAnswer(client, '1001', ECHO, PLAN);
    expect(await client.response('o')).toContain('Message: Originate successfully queued\r\n');
    await hungUp(client, 'Local/1001@customers;1');
    expect(fromAnswerContext(client.frames, '1001')).toEqual([
      'Newexten GotoIf', 'Newexten MixMonitor', 'VarSet MIXMONITOR_FILENAME', 'Newexten GotoIf', 'Newexten AMD', 'VarSet AMDSTATUS', 'VarSet AMDCAUSE',
      'Newexten UserEvent', 'UserEvent SwitchboardAmd', 'Newexten GotoIf', 'Newexten GotoIf', 'Newexten GotoIf', 'Newexten Goto',
      'Newexten Answer', 'Newexten Wait', 'Newexten Hangup', 'SoftHangupRequest 16', 'Hangup 16',
    ]);
    expect(dialplanOf(client.frames, 'Local/1001@customers;1').slice(1)).toEqual([
      'switchboard-answer,1 GotoIf(0?amd)',
      `switchboard-answer,2 MixMonitor(${FILE})`,
      'switchboard-answer,3 GotoIf(0?deliver)',
      'switchboard-answer,4 AMD(2500,1500,800,5000,100,50,2,256,5000)',
      'switchboard-answer,5 UserEvent(SwitchboardAmd,Status: HUMAN,Cause: HUMAN-1-1)',
      'switchboard-answer,6 GotoIf(0?machine)',
      'switchboard-answer,7 GotoIf(0?machine)',
      'switchboard-answer,8 GotoIf(0?app)',
      'switchboard-answer,9 Goto(dest,echo,1)',
      'dest,1 Answer()',
      'dest,2 Wait(3)',
      'dest,3 Hangup()',
    ]);
    expect(varSet(client.frames, 'Local/1001@customers;1', 'MIXMONITOR_FILENAME')).toBe(`/var/spool/asterisk/monitor/${FILE}`);
    expect(varSet(client.frames, 'Local/1001@customers;1', 'AMDSTATUS')).toBe('HUMAN');
    expect(varSet(client.frames, 'Local/1001@customers;1', 'AMDCAUSE')).toBe('HUMAN-1-1');
  });

  it('un-escapes the Variable values as Asterisk does: the AMD parameters keep their commas', async () => {
    const client = await loggedIn();
    originateThroughAnswer(client, '1002', ECHO, PLAN);
    await hungUp(client, 'Local/1002@customers;1');
    for (const leg of ['Local/1002@customers;1', 'Local/1002@customers;2']) {
      expect(varSet(client.frames, leg, 'SB_AMD_PARAMS')).toBe('2500,1500,800,5000,100,50,2,256,5000');
      expect(varSet(client.frames, leg, 'SB_DEST_CONTEXT')).toBe('dest');
      expect(varSet(client.frames, leg, 'ACCOUNT')).toBe('42');
    }
  });

  it('sends the UserEvent shaped as the transcripts: ;1 snapshot at switchboard-answer,s,5, then UserEvent, Status, Cause', async () => {
    const client = await loggedIn();
    originateThroughAnswer(client, '1003', ECHO, PLAN);
    const frame = await client.frame((fields) => fields.get('Event') === 'UserEvent');
    expect(pairs(frame).map(([key]) => key)).toEqual([
      'Event', 'Privilege', 'Timestamp', 'Channel', 'ChannelState', 'ChannelStateDesc', 'CallerIDNum', 'CallerIDName', 'ConnectedLineNum', 'ConnectedLineName',
      'Language', 'AccountCode', 'Context', 'Exten', 'Priority', 'Uniqueid', 'Linkedid', 'UserEvent', 'Status', 'Cause',
    ]);
    const fields = new Map(pairs(frame));
    expect([fields.get('Privilege'), role(fields.get('Channel') ?? ''), fields.get('Context'), fields.get('Exten'), fields.get('Priority')]).toEqual([
      'user,all', 'Local/1003@customers;1', 'switchboard-answer', 's', '5',
    ]);
    expect([fields.get('UserEvent'), fields.get('Status'), fields.get('Cause')]).toEqual(['SwitchboardAmd', 'HUMAN', 'HUMAN-1-1']);
  });

  it('says Context switchboard-answer and Exten s in the OriginateResponse', async () => {
    const client = await loggedIn();
    originateThroughAnswer(client, '1004', ECHO, PLAN);
    const response = new Map(pairs(await client.frame((fields) => fields.get('Event') === 'OriginateResponse')));
    expect([response.get('Response'), response.get('Context'), response.get('Exten'), response.get('Reason')]).toEqual(['Success', 'switchboard-answer', 's', '4']);
  });
});

describe('Originate into switchboard-answer with AMD, an answering machine (8XXX, simulated)', () => {
  it('sends SwitchboardAmd MACHINE, then ;1 hangs up (cause 16) and the customer follows', async () => {
    const client = await loggedIn();
    originateThroughAnswer(client, '8001', ECHO, { ...PLAN, recordCalls: false });
    await hungUp(client, 'Local/8001@customers;2');
    expect(fromAnswerContext(client.frames, '8001')).toEqual([
      'Newexten GotoIf', 'Newexten GotoIf', 'Newexten AMD', 'VarSet AMDSTATUS', 'VarSet AMDCAUSE', 'Newexten UserEvent', 'UserEvent SwitchboardAmd',
      'Newexten GotoIf', 'Newexten GotoIf', 'Newexten Hangup', 'SoftHangupRequest 16', 'Hangup 16',
    ]);
    expect(dialplanOf(client.frames, 'Local/8001@customers;1').slice(-4)).toEqual([
      'switchboard-answer,5 UserEvent(SwitchboardAmd,Status: MACHINE,Cause: LONGGREETING-1500-1500)',
      'switchboard-answer,6 GotoIf(1?machine)',
      'switchboard-answer,12 GotoIf(1?done)',
      'switchboard-answer,16 Hangup()',
    ]);
    expect(trail(client.frames, 'Local/8001@customers;2').slice(-3)).toEqual(['HangupRequest 16', 'SoftHangupRequest 16', 'Hangup 16']);
    const userEvent = new Map(pairs(await client.frame((fields) => fields.get('Event') === 'UserEvent')));
    expect([userEvent.get('Status'), userEvent.get('Cause')]).toEqual(['MACHINE', 'LONGGREETING-1500-1500']);
  });

  it("leaves the plan's machineMessage after the beep: WaitForSilence, Playback, SwitchboardMessage SUCCESS, then ;1 hangs up", async () => {
    const client = await loggedIn();
    originateThroughAnswer(client, '8002', ECHO, { ...PLAN, recordCalls: false, machineMessage: 'custom/offer' });
    await hungUp(client, 'Local/8002@customers;2');
    expect(dialplanOf(client.frames, 'Local/8002@customers;1').slice(-6)).toEqual([
      'switchboard-answer,6 GotoIf(1?machine)',
      'switchboard-answer,12 GotoIf(0?done)',
      'switchboard-answer,13 WaitForSilence(1500,1,20)',
      'switchboard-answer,14 Playback(custom/offer)',
      'switchboard-answer,15 UserEvent(SwitchboardMessage,Status: SUCCESS)',
      'switchboard-answer,16 Hangup()',
    ]);
    expect(varSet(client.frames, 'Local/8002@customers;1', 'WAITSTATUS')).toBe('SILENCE');
    expect(varSet(client.frames, 'Local/8002@customers;1', 'PLAYBACKSTATUS')).toBe('SUCCESS');
    const message = new Map(pairs(await client.frame((fields) => fields.get('UserEvent') === 'SwitchboardMessage')));
    expect(role(message.get('Channel') ?? '')).toBe('Local/8002@customers;1');
    expect(message.get('Status')).toBe('SUCCESS');
    expect(trail(client.frames, 'Local/8002@customers;1').slice(-2)).toEqual(['SoftHangupRequest 16', 'Hangup 16']);
  });

  it('sends no SwitchboardMessage when the machine hangs up before the message ends', async () => {
    const client = await loggedIn();
    // Three files outlast what the simulated machine records (it hangs up 4.5 s after its answer).
    originateThroughAnswer(client, '8003', ECHO, { ...PLAN, recordCalls: false, machineMessage: 'custom/a&custom/b&custom/c' });
    await hungUp(client, 'Local/8003@customers;1');
    expect(dialplanOf(client.frames, 'Local/8003@customers;1').at(-1)).toBe('switchboard-answer,14 Playback(custom/a&custom/b&custom/c)');
    expect(client.frames.some((frame) => new Map(pairs(frame)).get('UserEvent') === 'SwitchboardMessage')).toBe(false);
  });

  it('rings and answers as a 1XXX customer does', async () => {
    const client = await loggedIn();
    originateThroughAnswer(client, '8002', ECHO, PLAN);
    await hungUp(client, 'Local/8002@customers;2');
    expect(trail(client.frames, 'Local/8002@customers;2').filter((event) => event.startsWith('Newexten'))).toEqual([
      'Newexten Ringing', 'Newexten Wait', 'Newexten Answer', 'Newexten Wait',
    ]);
  });
});

describe('Originate into switchboard-answer with an application destination (SB_DEST_APP)', () => {
  it('Queue(sales,,,,60) through Exec: the same queue call, ;1 at switchboard-answer,s,10 running Queue', async () => {
    const client = await loggedIn();
    originateThroughAnswer(client, '1005', QUEUE_SALES, { ...PLAN, recordCalls: false });
    await hungUp(client, 'Local/1005@customers;1');
    expect(fromAnswerContext(client.frames, '1005')).toEqual([
      'Newexten GotoIf', 'Newexten GotoIf', 'Newexten AMD', 'VarSet AMDSTATUS', 'VarSet AMDCAUSE', 'Newexten UserEvent', 'UserEvent SwitchboardAmd',
      'Newexten GotoIf', 'Newexten GotoIf', 'Newexten GotoIf', 'Newexten Exec',
      'VarSet ANSWEREDTIME', 'VarSet ANSWEREDTIME_MS', 'VarSet DIALEDTIME', 'VarSet DIALEDTIME_MS', 'VarSet QUEUEWAIT', 'VarSet QUEUEWAIT_MS',
      'QueueCallerJoin sales', 'AgentCalled sales', 'DialBegin', 'AgentCalled sales', 'DialBegin', 'DialEnd ANSWER', 'DialEnd CANCEL', 'DialEnd CANCEL',
      'QueueCallerLeave sales', 'VarSet QUEUEPOSITION', 'VarSet QUEUEWAIT', 'VarSet QUEUEWAIT_MS', 'AgentConnect sales', 'BridgeEnter', 'VarSet BRIDGEPEER',
      'HangupRequest 16', 'VarSet BRIDGEPEER', 'BridgeLeave', 'VarSet ANSWEREDTIME', 'VarSet ANSWEREDTIME_MS', 'VarSet DIALEDTIME', 'VarSet DIALEDTIME_MS',
      'SoftHangupRequest 16', 'AgentComplete caller', 'Hangup 16',
    ]);
    expect(dialplanOf(client.frames, 'Local/1005@customers;1').slice(-2)).toEqual(['switchboard-answer,8 GotoIf(1?app)', 'switchboard-answer,10 Exec(Queue(sales,,,,60))']);
    expect(varSet(client.frames, 'Local/1005@customers;1', 'SB_DEST_DATA')).toBe('sales,,,,60');
    const join = new Map(pairs(await client.frame((fields) => fields.get('Event') === 'QueueCallerJoin')));
    expect([join.get('Context'), join.get('Exten'), join.get('Priority')]).toEqual(['switchboard-answer', 's', '10']);
  });
});

describe('Originate into switchboard-answer for a PREVIEW call (SB_DEST_APP Dial, an agent\'s phone)', () => {
  it('runs Dial(PJSIP/2001) through Exec after AMD, and ;1 hangs up through the context once the customer goes', async () => {
    const client = await loggedIn();
    originateThroughAnswer(client, '1007', { ...QUEUE_SALES, application: 'Dial', data: 'PJSIP/2001' }, PLAN);
    await hungUp(client, 'Local/1007@customers;1');
    expect(dialplanOf(client.frames, 'Local/1007@customers;1').slice(-2)).toEqual(['switchboard-answer,8 GotoIf(1?app)', 'switchboard-answer,10 Exec(Dial(PJSIP/2001))']);
    const events = fromAnswerContext(client.frames, '1007');
    expect(events.slice(events.indexOf('DialBegin'), events.indexOf('DialBegin') + 6)).toEqual(['DialBegin', 'DialState', 'VarSet DIALSTATUS', 'VarSet DIALEDPEERNAME', 'VarSet DIALEDPEERNUMBER', 'DialEnd ANSWER']);
    expect(events.slice(-2)).toEqual(['SoftHangupRequest 16', 'Hangup 16']);
    expect(trail(client.frames, 'PJSIP/2001-00000000').at(-1)).toBe('Hangup 16');
  });
});

describe('what switchboard-answer does not simulate', () => {
  it('refuses a destination the simulator does not run, saying so', async () => {
    const client = await loggedIn();
    originateThroughAnswer(client, '1006', { ...ECHO, exten: 'nowhere' }, PLAN);
    expect(await client.response('o')).toContain('Message: Simulator: this Originate is not simulated yet (Local/1006@customers to switchboard-answer,s)\r\n');
  });
});

describe("Variable values split as Asterisk's __ast_app_separate_args does", () => {
  it('splits at commas, takes the character after a backslash literally and drops double quotes', () => {
    expect(separateArguments('A=1\\,2,B="x,y",C=a\\\\b')).toEqual(['A=1,2', 'B=x,y', 'C=a\\b']);
  });

  it('keeps commas inside parentheses and brackets, and an empty last argument after a trailing comma', () => {
    expect(separateArguments('A=f(1,2),B=[3,4],')).toEqual(['A=f(1,2)', 'B=[3,4]', '']);
  });
});
