import type { Plan } from '../../generated/prisma/client.js';
import { dialStringTemplateProblem, endpointNameProblem } from '../../outbound/dialStringRules.js';
import { TECH_RESOURCE } from '../../validate.js';
import { assertFitsOriginateBuffer } from './amiLimits.js';
import { OriginateFieldError } from './originateFieldError.js';

export type DialStringPlan = Pick<Plan, 'techName' | 'trunkName' | 'dialStringTemplate'>;

function fromTemplate(template: string, plan: DialStringPlan, number: string): string {
  if (template.includes('{trunk}') && !plan.trunkName) {
    throw new OriginateFieldError('Channel', 'the plan dial string template uses {trunk} but the plan has no trunk name: set one or change the template');
  }
  return template.replaceAll('{number}', number).replaceAll('{tech}', plan.techName).replaceAll('{trunk}', plan.trunkName ?? '');
}

/**
 * The Originate Channel that dials the number: the plan's template with {number}, {tech} and {trunk}
 * replaced; else TECH/number@trunk, or TECH/number without a trunk, as jade builds it (ob_dl_handler.c
 * create_chan_addr_for_dial; "SIP/300" in the jade docs, J 24669-24760). Refused when Asterisk would read it as something else (a space, a
 * comma, '&', '|', a quote) or cut it short, and when the template or trunk breaks outbound/dialStringRules.ts.
 */
export function dialString(plan: DialStringPlan, number: string): string {
  // Checked again here, not only when stored: a plan or trunk saved before these rules (or written past the API)
  // must not have the PBX dial an address or a URI either.
  const templateProblem = plan.dialStringTemplate === null ? null : dialStringTemplateProblem(plan.dialStringTemplate, ['{tech}', '{trunk}']);
  if (templateProblem) throw new OriginateFieldError('Channel', `the dial string template ${JSON.stringify(plan.dialStringTemplate)} ${templateProblem}: fix the plan or the trunk`);
  const trunkProblem = plan.trunkName ? endpointNameProblem(plan.trunkName) : null;
  if (trunkProblem) throw new OriginateFieldError('Channel', `the trunk ${JSON.stringify(plan.trunkName)} ${trunkProblem}: fix the plan or the trunk`);
  const channel = plan.dialStringTemplate !== null
    ? fromTemplate(plan.dialStringTemplate, plan, number)
    : `${plan.techName}/${number}${plan.trunkName ? `@${plan.trunkName}` : ''}`;
  if (!TECH_RESOURCE.test(channel)) {
    throw new OriginateFieldError('Channel', `the dial string ${JSON.stringify(channel)} is not TECH/resource without spaces, commas, '&', '|' or quotes: check the plan's tech, trunk or template and the number`);
  }
  assertFitsOriginateBuffer('Channel', channel);
  return channel;
}
