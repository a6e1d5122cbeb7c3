import type { AmiAction } from './connection.js';
import { AmiInjectionError, AmiInvalidActionError } from './errors.js';

// AMI is line based: Asterisk ends a header at LF (with or without CR) and a C string at NUL, so any of
// them inside a name or value would let a caller's data add headers or whole actions of its own.
const FORBIDDEN: ReadonlyArray<readonly [string, string]> = [
  ['\r', 'a carriage return (CR)'],
  ['\n', 'a line feed (LF)'],
  ['\0', 'a NUL byte'],
];

// Header names are plain words in every AMI action; anything else (spaces, colons) changes how the line parses.
const FIELD_NAME = /^[A-Za-z0-9_-]+$/;

/** Throws AmiInjectionError when `value` holds CR, LF or NUL; `field` names where it came from. */
export function assertSafeText(field: string, value: string): void {
  for (const [character, description] of FORBIDDEN) {
    if (value.includes(character)) throw new AmiInjectionError(field, description);
  }
}

/**
 * Checks every name and value of an action before anything is written: CR, LF and NUL anywhere (names,
 * values, array items, Variable names and values) reject with AmiInjectionError; shapes the package would
 * mangle or choke on (it console.logs and holds the action forever) reject with AmiInvalidActionError.
 */
export function assertSafeAction(action: AmiAction): void {
  if (typeof action.action !== 'string' || action.action === '') {
    throw new AmiInvalidActionError('AMI action has no name', 'Action');
  }
  const seen = new Set<string>();
  for (const [name, value] of Object.entries(action)) {
    assertSafeText(JSON.stringify(name), name);
    if (!FIELD_NAME.test(name)) throw new AmiInvalidActionError(`AMI field name ${JSON.stringify(name)} is not a plain word`, name);
    const key = name.toLowerCase();
    if (key === 'actionid') throw new AmiInvalidActionError('ActionID is assigned by the connection: do not pass one', name);
    // Asterisk reads the first of two same-named headers, the package sends both: refuse the ambiguity.
    if (seen.has(key)) throw new AmiInvalidActionError(`AMI field ${name} is given twice (names ignore case)`, name);
    seen.add(key);
    assertSafeValue(name, value);
  }
}

function assertSafeValue(name: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value === 'string') return assertSafeText(name, value);
  if (typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new AmiInvalidActionError(`AMI field ${name} is not a finite number`, name);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item: unknown, index) => {
      const path = `${name}[${index}]`;
      if (typeof item !== 'string') throw new AmiInvalidActionError(`AMI field ${path} is not a string`, path);
      assertSafeText(path, item);
    });
    return;
  }
  if (isPlainRecord(value)) {
    for (const [entry, entryValue] of Object.entries(value)) {
      const path = `${name}[${JSON.stringify(entry)}]`;
      assertSafeText(path, entry);
      // Sent as `Name: entry=value`; Asterisk splits at the first '=', so an entry name cannot hold one.
      if (entry === '' || entry.includes('=')) throw new AmiInvalidActionError(`AMI field ${path}: name is empty or holds '='`, path);
      if (typeof entryValue !== 'string') throw new AmiInvalidActionError(`AMI field ${path} is not a string`, path);
      assertSafeText(path, entryValue);
    }
    return;
  }
  throw new AmiInvalidActionError(`AMI field ${name} is neither text, number, boolean, list nor map`, name);
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
