import type { ApplicationStart, ChannelEvents } from '../model/channelEvents.js';
import type { SimChannel } from '../model/channels.js';
import { DESTINATIONS, amdVerdict, type Destination } from '../model/customers.js';
import { applicationDestination, describeApplication, type OriginateApplication } from './originateApplication.js';

/** Where the dialer originates a plan with AMD or recording: the README's `[switchboard-answer]`, at `s,1`. */
export const SWITCHBOARD_ANSWER = { context: 'switchboard-answer', exten: 's' } as const;

/** ast_config_AST_MONITOR_DIR: MixMonitor puts a relative file name under it, and says so in MIXMONITOR_FILENAME. */
const MONITOR_DIR = '/var/spool/asterisk/monitor';

/** The README's priorities: its labels amd (3), deliver (8), app (10), machine (12) and done (16), and each step's own. */
const PRIORITY = {
  record: 1,
  mixMonitor: 2,
  amd: 3,
  runAmd: 4,
  userEvent: 5,
  isMachine: 6,
  isNotSure: 7,
  deliver: 8,
  goto: 9,
  app: 10,
  appEnd: 11,
  machine: 12,
  waitForSilence: 13,
  playback: 14,
  messageEvent: 15,
  done: 16,
} as const;

/** Simulated: the rest of a machine's greeting and its beep, until WaitForSilence hears the silence it waits for. */
const BEEP_MS = 1000;

/** Simulated: how long Playback plays each file of a message (the PBX's sounds are not simulated). */
const PLAYBACK_MS_PER_FILE = 1000;

/** What the SB_* variables of an Originate into switchboard-answer ask the context to do. */
export type AnswerContextCall = {
  /** SB_RECORDING_FILE when SB_RECORD is 1. */
  recordingFile: string | undefined;
  /** SB_AMD_PARAMS when SB_AMD is 1. */
  amdParameters: string | undefined;
  /** SB_MACHINE_MESSAGE, played to a machine after its beep; undefined when empty (a machine is hung up on). */
  machineMessage: string | undefined;
  destination: Destination;
  /** SB_DEST_APP and SB_DEST_DATA, run by Exec(); undefined when the call goes to SB_DEST_CONTEXT,SB_DEST_EXTEN,SB_DEST_PRIORITY. */
  application: OriginateApplication | undefined;
  /** Goto()'s data: `SB_DEST_CONTEXT,SB_DEST_EXTEN,SB_DEST_PRIORITY`. */
  goto: string;
};

/**
 * Reads the SB_* variables (a later Variable wins, as Asterisk sets them in order). Undefined where the context
 * would do what is not simulated: a destination the simulator does not run (priority 1 of DESTINATIONS, or an
 * application applicationDestination knows), or MixMonitor with no file (it fails and the call hangs up).
 */
export function answerContextCall(variables: readonly (readonly [string, string])[]): AnswerContextCall | undefined {
  const values = new Map(variables);
  const get = (name: string) => values.get(name) ?? '';
  const record = get('SB_RECORD') === '1';
  if (record && get('SB_RECORDING_FILE') === '') return undefined;
  const application = get('SB_DEST_APP') === '' ? undefined : { name: get('SB_DEST_APP'), data: get('SB_DEST_DATA') };
  const goto = `${get('SB_DEST_CONTEXT')},${get('SB_DEST_EXTEN')},${get('SB_DEST_PRIORITY')}`;
  const destination =
    application !== undefined
      ? applicationDestination(application)
      : get('SB_DEST_PRIORITY') === '1'
        ? DESTINATIONS.get(`${get('SB_DEST_CONTEXT')},${get('SB_DEST_EXTEN')}`)
        : undefined;
  if (destination === undefined) return undefined;
  return {
    recordingFile: record ? get('SB_RECORDING_FILE') : undefined,
    amdParameters: get('SB_AMD') === '1' ? get('SB_AMD_PARAMS') : undefined,
    machineMessage: get('SB_MACHINE_MESSAGE') === '' ? undefined : get('SB_MACHINE_MESSAGE'),
    destination,
    application,
    goto,
  };
}

/** What the answered call lends the context: its clock, and what it does on leaving it. */
export type AnswerContextHost = {
  after(ms: number, run: () => void): void;
  /** ;1 goes on to `destination`: by Goto (no `start`, the destination's own priority 1) or running it in Exec(). */
  deliver(destination: Destination, start: ApplicationStart | undefined): void;
  /** Hangup() on ;1 (cause 16), the other leg following. */
  hangUp(): void;
};

/**
 * The answered ;1 leg runs `[switchboard-answer]` as the README gives it, one Newexten a priority, each GotoIf's
 * AppData as substituted (`0?amd`). `number` is the customer, whose AMD verdict is simulated (amdVerdict).
 */
export function runAnswerContext(events: ChannelEvents, one: SimChannel, number: string, call: AnswerContextCall, host: AnswerContextHost): void {
  const step = (priority: number, application: string, data: string) => {
    one.priority = priority;
    events.newexten(one, application, data);
  };
  const deliver = () => {
    const { application } = call;
    step(PRIORITY.deliver, 'GotoIf', `${application === undefined ? 0 : 1}?app`);
    if (application === undefined) {
      step(PRIORITY.goto, 'Goto', call.goto);
      return host.deliver(call.destination, undefined);
    }
    // Exec() runs the application at its own priority: no Newexten for it, as for an application Originate.
    step(PRIORITY.app, 'Exec', describeApplication(application));
    host.deliver(call.destination, { data: application.data, at: undefined });
  };
  const hangUp = () => {
    step(PRIORITY.done, 'Hangup', '');
    host.hangUp();
  };
  // The machine path: its message after the beep, or none; a customer who hangs up first ends it (no UserEvent).
  const leaveMessage = () => {
    const message = call.machineMessage;
    step(PRIORITY.machine, 'GotoIf', `${message === undefined ? 1 : 0}?done`);
    if (message === undefined) return hangUp();
    step(PRIORITY.waitForSilence, 'WaitForSilence', '1500,1,20');
    host.after(BEEP_MS, () => {
      events.varSet(one, 'WAITSTATUS', 'SILENCE');
      step(PRIORITY.playback, 'Playback', message);
      host.after(PLAYBACK_MS_PER_FILE * message.split('&').length, () => {
        events.varSet(one, 'PLAYBACKSTATUS', 'SUCCESS');
        step(PRIORITY.messageEvent, 'UserEvent', 'SwitchboardMessage,Status: SUCCESS');
        events.channelEvent('UserEvent', one, [['UserEvent', 'SwitchboardMessage'], ['Status', 'SUCCESS']], 'user,all');
        hangUp();
      });
    });
  };
  Object.assign(one, { context: SWITCHBOARD_ANSWER.context, exten: SWITCHBOARD_ANSWER.exten });
  const file = call.recordingFile;
  step(PRIORITY.record, 'GotoIf', `${file === undefined ? 1 : 0}?amd`);
  if (file !== undefined) {
    step(PRIORITY.mixMonitor, 'MixMonitor', file);
    events.varSet(one, 'MIXMONITOR_FILENAME', file.startsWith('/') ? file : `${MONITOR_DIR}/${file}`);
  }
  step(PRIORITY.amd, 'GotoIf', `${call.amdParameters === undefined ? 1 : 0}?deliver`);
  if (call.amdParameters === undefined) return deliver();
  step(PRIORITY.runAmd, 'AMD', call.amdParameters);
  const verdict = amdVerdict(number);
  host.after(verdict.afterMs, () => {
    events.varSet(one, 'AMDSTATUS', verdict.status);
    events.varSet(one, 'AMDCAUSE', verdict.cause);
    step(PRIORITY.userEvent, 'UserEvent', `SwitchboardAmd,Status: ${verdict.status},Cause: ${verdict.cause}`);
    events.channelEvent('UserEvent', one, [['UserEvent', 'SwitchboardAmd'], ['Status', verdict.status], ['Cause', verdict.cause]], 'user,all');
    const machine = verdict.status === 'MACHINE';
    step(PRIORITY.isMachine, 'GotoIf', `${machine ? 1 : 0}?machine`);
    if (machine) return leaveMessage();
    // AMD here never says NOTSURE, so the NOTSURE test is false whatever SB_AMD_ALLOW_NOTSURE says.
    step(PRIORITY.isNotSure, 'GotoIf', '0?machine');
    deliver();
  });
}

/** Exec() returned (Queue ended, Park failed): the context's next priority, Hangup(), when ;1 is still in it. */
export function execReturned(events: ChannelEvents, one: SimChannel): void {
  if (one.context !== SWITCHBOARD_ANSWER.context) return;
  one.priority = PRIORITY.appEnd;
  events.newexten(one, 'Hangup', '');
}
