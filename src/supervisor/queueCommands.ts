import { integer, Problems } from '../validate.js';
import { fields } from './fields.js';
import { sendCommand, type CommandResult, type Pbxs } from './send.js';

export type AddQueueMemberInput = {
  server: string;
  queue: string;
  /** The member's interface as the queue dials it (PJSIP/2001, Local/1001@agent-request). */
  interface: string;
  memberName?: string | null;
  penalty?: number | null;
  paused?: boolean | null;
  /** The device whose state the queue follows, when it is not the interface's (Agent:1001 for a Local member). */
  stateInterface?: string | null;
};

/** Adds a dynamic member to a queue (QueueAdd). */
export function addQueueMember(pbxs: Pbxs, input: AddQueueMemberInput): Promise<CommandResult> {
  const problems = new Problems();
  const server = fields.server(problems, input.server);
  const queue = fields.queue(problems, 'queue', input.queue);
  const memberInterface = fields.endpoint(problems, 'interface', input.interface);
  const memberName = fields.label(problems, 'memberName', input.memberName);
  integer(problems, 'penalty', input.penalty, { min: 0, max: 1_000 });
  const stateInterface = input.stateInterface == null ? undefined : stateDevice(problems, input.stateInterface);
  return sendCommand(pbxs, problems, server, {
    action: 'QueueAdd',
    Queue: queue,
    Interface: memberInterface,
    MemberName: memberName ?? undefined,
    Penalty: input.penalty ?? undefined,
    Paused: input.paused ?? undefined,
    StateInterface: stateInterface,
  });
}

// A device as Asterisk names it for states: an endpoint, or TECH:resource (Agent:1001, Custom:desk201).
function stateDevice(problems: Problems, value: string): string {
  if (/^[A-Za-z][A-Za-z0-9_]*:[A-Za-z0-9_.@-]+$/.test(value.trim())) return value.trim();
  return fields.endpoint(problems, 'stateInterface', value);
}

export type RemoveQueueMemberInput = { server: string; queue: string; interface: string };

/** Removes a dynamic member from a queue (QueueRemove); a member from queues.conf cannot be removed. */
export function removeQueueMember(pbxs: Pbxs, input: RemoveQueueMemberInput): Promise<CommandResult> {
  const problems = new Problems();
  const server = fields.server(problems, input.server);
  const queue = fields.queue(problems, 'queue', input.queue);
  const memberInterface = fields.endpoint(problems, 'interface', input.interface);
  return sendCommand(pbxs, problems, server, { action: 'QueueRemove', Queue: queue, Interface: memberInterface });
}

export type PauseQueueMemberInput = {
  server: string;
  /** One queue; every queue the interface is a member of when absent. */
  queue?: string | null;
  interface: string;
  paused: boolean;
  /** Why (lunch, training): shown with the member's state and in queue_log. */
  reason?: string | null;
};

/** Pauses or unpauses a member (QueuePause), with a reason. */
export function pauseQueueMember(pbxs: Pbxs, input: PauseQueueMemberInput): Promise<CommandResult> {
  const problems = new Problems();
  const server = fields.server(problems, input.server);
  const queue = input.queue == null ? undefined : fields.queue(problems, 'queue', input.queue);
  const memberInterface = fields.endpoint(problems, 'interface', input.interface);
  const reason = fields.label(problems, 'reason', input.reason);
  return sendCommand(pbxs, problems, server, {
    action: 'QueuePause',
    Queue: queue,
    Interface: memberInterface,
    Paused: input.paused,
    Reason: reason ?? undefined,
  });
}

export type LogOffAgentInput = { server: string; agent: string; soft?: boolean | null };

/** Logs an app_agent_pool agent off; soft waits for the call they are on to end. */
export function logOffAgent(pbxs: Pbxs, input: LogOffAgentInput): Promise<CommandResult> {
  const problems = new Problems();
  const server = fields.server(problems, input.server);
  const agent = fields.agent(problems, 'agent', input.agent);
  return sendCommand(pbxs, problems, server, { action: 'AgentLogoff', Agent: agent, Soft: input.soft ?? false });
}
