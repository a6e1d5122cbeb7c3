import type { Destination, Plan } from '../generated/prisma/client.js';
import { applicationProblem, type ApplicationPolicy } from '../outbound/applications.js';
import { dialStringTemplateProblem, endpointNameProblem } from '../outbound/dialStringRules.js';
import { soundFilesProblem } from '../outbound/soundFiles.js';
import type { TrunkRoute } from './routes.js';

/**
 * What in a campaign's setup the dialer will not send, whoever the member: a destination application the policy
 * (DIALPLAN_APPLICATIONS) no longer allows, a dial string or endpoint that names an address or a URI, a machine
 * message Playback would misread. Such values were stored before the rules, or written past the API. The campaign
 * holds on it (SETUP_INVALID) instead of recording every member it leases as failed: a fix, not a retry, is wanted.
 */
export function setupProblem(
  plan: Pick<Plan, 'name' | 'machineMessage'>,
  destination: Pick<Destination, 'name' | 'type' | 'application' | 'data'>,
  routes: readonly TrunkRoute[],
  applications: ApplicationPolicy,
): string | null {
  if (destination.type === 'APPLICATION') {
    const refused = applicationProblem(applications, destination.application ?? '', destination.data);
    if (refused) return `destination "${destination.name}": its ${refused.field} ${refused.message}`;
  }
  for (const route of routes) {
    const owner = route.trunkId === null ? `plan "${plan.name}"` : `trunk "${route.name}"`;
    // The plan's own template may name its {tech} and {trunk}; a trunk's only the number, as each is saved.
    const template = route.dialStringTemplate === null ? null : dialStringTemplateProblem(route.dialStringTemplate, route.trunkId === null ? ['{tech}', '{trunk}'] : []);
    if (template) return `${owner}: its dial string template ${template}`;
    const endpoint = route.endpoint === null ? null : endpointNameProblem(route.endpoint);
    if (endpoint) return `${owner}: its ${route.trunkId === null ? 'trunkName' : 'endpoint'} ${endpoint}`;
  }
  const message = plan.machineMessage === null ? null : soundFilesProblem(plan.machineMessage);
  return message ? `plan "${plan.name}": its machineMessage ${message}` : null;
}
