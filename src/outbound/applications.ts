import type { Problems } from '../validate.js';

/**
 * Which dialplan applications a destination may name: the PBX runs them for the API's roles, so the list comes
 * from configuration (DIALPLAN_APPLICATIONS, AGI_HOSTS), never from the API. Applications that run shell
 * commands, other applications, write files or set functions are never allowed, whatever the configuration.
 */
export type ApplicationPolicy = {
  /** Allowed application names, lower case (Asterisk matches them in any case). */
  readonly allowed: ReadonlySet<string>;
  /** Hosts an AGI destination may reach (agi://host[:port]/...); none: no AGI at all. */
  readonly agiHosts: ReadonlySet<string>;
};

/**
 * Never allowed: they run a shell or another application (System, Exec, ...), place calls anywhere (Originate),
 * write files or dialplan functions (Set, MixMonitor's post-command, Record), or run programs on the PBX host.
 */
export const NEVER_ALLOWED: ReadonlySet<string> = new Set(
  ['System', 'TrySystem', 'Exec', 'ExecIf', 'ExecIfTime', 'TryExec', 'Originate', 'Macro', 'MacroIf', 'MacroExclusive', 'Gosub', 'GosubIf', 'Set', 'MSet', 'ExternalIVR', 'EAGI', 'DeadAGI', 'MixMonitor', 'Monitor', 'Record', 'Dial']
    .map((name) => name.toLowerCase()),
);

/** What a call centre sends answered calls to, and nothing that reaches further. */
export const DEFAULT_APPLICATIONS = ['Queue', 'Park', 'ParkedCall', 'Playback', 'Background', 'VoiceMail', 'ConfBridge', 'AgentRequest', 'Echo', 'MusicOnHold', 'Wait', 'Answer', 'Hangup'];

export const DEFAULT_APPLICATION_POLICY = applicationPolicy(DEFAULT_APPLICATIONS, []);

export class ApplicationPolicyError extends Error {
  override name = 'ApplicationPolicyError';
}

/** A policy from configuration; naming a never-allowed application is refused outright. */
export function applicationPolicy(applications: readonly string[], agiHosts: readonly string[]): ApplicationPolicy {
  const refused = applications.filter((name) => NEVER_ALLOWED.has(name.toLowerCase()));
  if (refused.length > 0) throw new ApplicationPolicyError(`${refused.join(', ')} can never be allowed: they would let API users run commands or reach anything on the PBX`);
  const allowed = new Set(applications.map((name) => name.toLowerCase()));
  if (agiHosts.length > 0) allowed.add('agi');
  return { allowed, agiHosts: new Set(agiHosts.map((host) => host.toLowerCase())) };
}

/** What is wrong with sending a call to `application(data)` under the policy, or null. */
export function applicationProblem(policy: ApplicationPolicy, application: string, data: string | null | undefined): { field: string; message: string } | null {
  const name = application.toLowerCase();
  if (NEVER_ALLOWED.has(name) || !policy.allowed.has(name)) {
    return { field: 'application', message: `${application} is not allowed here; allowed: ${[...policy.allowed].sort().join(', ')} (DIALPLAN_APPLICATIONS)` };
  }
  // Expressions would be evaluated where the answer context runs the destination: ${SHELL(...)} included.
  if (data && /\$[{[]/.test(data)) return { field: 'data', message: 'must not contain dialplan expressions (${...} or $[...])' };
  if (name === 'agi') {
    const host = /^agi:\/\/([^/:]+)(?::\d+)?\//i.exec(data ?? '')?.[1]?.toLowerCase();
    if (host === undefined || !policy.agiHosts.has(host)) return { field: 'data', message: `must be agi://<host>/<script> on one of the AGI_HOSTS (${[...policy.agiHosts].join(', ')})` };
  }
  return null;
}

/** Adds the problem of a destination's application and data to problems, if there is one. */
export function checkApplication(problems: Problems, policy: ApplicationPolicy, application: string, data: string | null | undefined): void {
  const problem = applicationProblem(policy, application, data);
  if (problem) problems.add(problem.field, problem.message);
}
