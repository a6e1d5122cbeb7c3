import type { Destination, Plan } from '../generated/prisma/client.js';
import { soundFilesProblem } from '../outbound/soundFiles.js';
import { OriginateFieldError } from './dialString/originateFieldError.js';

/**
 * A plan with AMD or call recording sends the answered call through a dialplan context of ours first (the
 * README gives it for the PBX, as WombatDialer ships its own): it starts MixMonitor, runs AMD() and reports its
 * verdict in a SwitchboardAmd UserEvent, leaves a machine the plan's machineMessage after its beep (saying so in
 * a SwitchboardMessage UserEvent) or hangs up on it, and goes on to the real destination, which it reads from the
 * SB_DEST_* variables set here.
 */
export const ANSWER_CONTEXT = 'switchboard-answer';

type AnswerPlan = Pick<
  Plan,
  | 'amdEnabled'
  | 'recordCalls'
  | 'amdAllowNotSure'
  | 'amdInitialSilenceMs'
  | 'amdGreetingMs'
  | 'amdAfterGreetingSilenceMs'
  | 'amdTotalAnalysisTimeMs'
  | 'amdMinWordLengthMs'
  | 'amdBetweenWordsSilenceMs'
  | 'amdMaximumNumberOfWords'
  | 'amdSilenceThreshold'
  | 'amdMaximumWordLengthMs'
  | 'machineMessage'
>;

type Target = Pick<Destination, 'type' | 'context' | 'exten' | 'priority' | 'application' | 'data' | 'variables'>;

export function usesAnswerContext(plan: AnswerPlan): boolean {
  return plan.amdEnabled || plan.recordCalls;
}

/** Where MixMonitor writes a dialing's recording (under Asterisk's monitor folder). */
export function recordingFileOf(campaignId: string, dialingId: string): string {
  return `switchboard/${campaignId}/${dialingId}.wav`;
}

/**
 * The destination to originate into instead of `destination`, carrying it and the plan's AMD settings as variables.
 * The machine message is checked again here, not only when saved: the context hands it to Playback(), where a
 * comma would start its options.
 */
export function throughAnswerContext(destination: Target, plan: AnswerPlan, recordingFile: string): Target {
  const messageProblem = plan.machineMessage === null ? null : soundFilesProblem(plan.machineMessage);
  if (messageProblem) throw new OriginateFieldError('Variable.SB_MACHINE_MESSAGE', `the plan's machineMessage ${messageProblem}`);
  // AMD()'s own argument order: initial silence, greeting, after-greeting silence, total analysis time, minimum word
  // length, between-words silence, maximum number of words, silence threshold, maximum word length.
  const amdParameters = [
    plan.amdInitialSilenceMs,
    plan.amdGreetingMs,
    plan.amdAfterGreetingSilenceMs,
    plan.amdTotalAnalysisTimeMs,
    plan.amdMinWordLengthMs,
    plan.amdBetweenWordsSilenceMs,
    plan.amdMaximumNumberOfWords,
    plan.amdSilenceThreshold,
    plan.amdMaximumWordLengthMs,
  ].join(',');
  const next =
    destination.type === 'APPLICATION'
      ? { SB_DEST_APP: destination.application ?? '', SB_DEST_DATA: destination.data ?? '' }
      : { SB_DEST_CONTEXT: destination.context ?? '', SB_DEST_EXTEN: destination.exten ?? '', SB_DEST_PRIORITY: destination.priority ?? '1' };
  return {
    type: 'EXTENSION',
    context: ANSWER_CONTEXT,
    exten: 's',
    priority: '1',
    application: null,
    data: null,
    variables: {
      ...(destination.variables as Record<string, string>),
      SB_AMD: plan.amdEnabled ? '1' : '0',
      SB_AMD_PARAMS: amdParameters,
      SB_AMD_ALLOW_NOTSURE: plan.amdAllowNotSure ? '1' : '0',
      SB_MACHINE_MESSAGE: plan.machineMessage ?? '',
      SB_RECORD: plan.recordCalls ? '1' : '0',
      SB_RECORDING_FILE: plan.recordCalls ? recordingFile : '',
      ...next,
    },
  };
}

/** AMD's verdict read as the outcome needs it: a machine, or a not-sure the plan does not let through. */
export function judgedMachine(amd: { status: string } | null, plan: Pick<Plan, 'amdAllowNotSure'>): boolean {
  if (amd === null) return false;
  return amd.status === 'MACHINE' || (amd.status === 'NOTSURE' && !plan.amdAllowNotSure);
}
