import type { FieldError } from './validation.js';

/**
 * Reads variables written as `name=value:name2=value2` (uContact's parameters field, our CSV `variables`
 * column). A value cannot hold `:`; the first `=` ends the name, so a value may hold `=`.
 */
export function parseVariablePairs(text: string, field: string, errors: FieldError[]): [string, string][] {
  const pairs: [string, string][] = [];
  if (text.trim().length === 0) return pairs;
  for (const item of text.split(':')) {
    if (item.trim().length === 0) continue;
    const equals = item.indexOf('=');
    if (equals <= 0) {
      errors.push({ field, message: `${JSON.stringify(item)} is not name=value (variables are written name=value:name2=value2)` });
      continue;
    }
    pairs.push([item.slice(0, equals).trim(), item.slice(equals + 1)]);
  }
  return pairs;
}
