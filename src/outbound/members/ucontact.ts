/**
 * uContact's dial list upload line: `campaign;number;var1=val1:var2=val2;alt1:alt2;priority;agentphone`
 * (priority and agentphone optional). We import into a dial list, not a campaign, so the campaign field is
 * accepted and ignored; the number and its alternatives become slots 1..n, agentphone the member's agent.
 */
import type { SourceRow } from './sourceRow.js';
import type { FieldError, FieldNames, RawNumber } from './validation.js';
import { parseVariablePairs } from './variablePairs.js';

export const UCONTACT_FORMAT = 'campaign;number;var1=val1:var2=val2;alt1:alt2;priority;agentphone';

const MEMBER_FIELD_NAMES: Readonly<Record<string, string>> = { agent: 'agentphone', numbers: 'number' };

export const ucontactFieldNames: FieldNames = {
  member: (field) => MEMBER_FIELD_NAMES[field] ?? field,
  number: (index) => (index === 0 ? 'number' : 'alternatives'),
  variable: () => 'variables',
};

/** The member one line holds; null for a blank line. */
export function readUcontactLine(fields: readonly string[], row: number): SourceRow | null {
  if (fields.length < 2) {
    if ((fields[0] ?? '').trim().length === 0) return null;
    return { row, member: null, errors: [{ field: null, message: `expected at least campaign;number (the format is ${UCONTACT_FORMAT})` }] };
  }
  if (fields.length > 6) {
    const message = `the line has ${fields.length} fields; the format has at most 6: ${UCONTACT_FORMAT}`;
    return { row, member: null, errors: [{ field: null, message }] };
  }
  const [, number = '', variables = '', alternatives = '', priority = '', agent = ''] = fields;
  if (number.length === 0 && fields.every((field) => field.trim().length === 0)) return null;
  const numbers: RawNumber[] = [{ number }];
  if (alternatives.length > 0) {
    for (const alternative of alternatives.split(':')) {
      if (alternative.trim().length > 0) numbers.push({ number: alternative });
    }
  }
  let errors: FieldError[] | null = null;
  let pairs: [string, string][] | null = null;
  if (variables.length > 0) {
    errors = [];
    pairs = parseVariablePairs(variables, 'variables', errors);
    if (errors.length === 0) errors = null;
  }
  return {
    row,
    member: {
      numbers,
      variables: pairs,
      priority: priority.length > 0 ? priority : null,
      agent: agent.length > 0 ? agent : null,
    },
    errors,
  };
}
