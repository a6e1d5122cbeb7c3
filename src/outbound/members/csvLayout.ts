import { MemberImportError } from './errors.js';
import type { SourceRow } from './sourceRow.js';
import { parseVariablePairs } from './variablePairs.js';
import { variableNameProblem } from '../../validate.js';
import { MAX_NUMBERS, type FieldError, type FieldNames, type MemberField, type RawMember, type RawNumber } from './validation.js';

/** Member fields a CSV column can hold directly, by the lower-case names (and aliases) we accept. */
const FIELD_COLUMNS: Readonly<Record<string, Exclude<MemberField, 'numbers'>>> = {
  name: 'name',
  detail: 'detail',
  externalkey: 'externalKey',
  external_key: 'externalKey',
  key: 'externalKey',
  ukey: 'externalKey',
  email: 'email',
  priority: 'priority',
  expiresat: 'expiresAt',
  expires_at: 'expiresAt',
  timezone: 'timezone',
  agent: 'agent',
  agentphone: 'agent',
  variables: 'variables',
};
/** number, phone, phone_number, tel or telephone, optionally with its slot (phone2). */
const NUMBER_COLUMN = /^(?:number|phone|phone_?number|tel|telephone)([1-8])?$/;
const TYPE_COLUMN = /^(?:number_?type|type)([1-8])?$/;
const VARIABLE_COLUMN = /^var_/i;

export const ACCEPTED_COLUMNS =
  'name, detail, externalKey (or key, ukey), email, priority, expiresAt, timezone, agent, number (or number1, phone, ' +
  'tel, telephone) to number8, type1 to type8 (or numberType1..), variables (name=value:name2=value2), and var_<NAME> for one variable';

type Target =
  | { kind: 'field'; field: Exclude<MemberField, 'numbers'> }
  | { kind: 'number'; slot: number }
  | { kind: 'type'; slot: number }
  | { kind: 'variable'; name: string };

function targetOf(header: string): Target | null {
  const name = header.trim();
  const lower = name.toLowerCase();
  const field = FIELD_COLUMNS[lower];
  if (field) return { kind: 'field', field };
  const number = NUMBER_COLUMN.exec(lower);
  if (number) return { kind: 'number', slot: Number(number[1] ?? 1) };
  const type = TYPE_COLUMN.exec(lower);
  if (type) return { kind: 'type', slot: Number(type[1] ?? 1) };
  if (VARIABLE_COLUMN.test(name)) return { kind: 'variable', name: name.slice(4) };
  return null;
}

function keyOf(target: Target): string {
  switch (target.kind) {
    case 'field':
      return target.field;
    case 'number':
    case 'type':
      return `${target.kind}${target.slot}`;
    case 'variable':
      return `var:${target.name}`;
  }
}

/** True when a header line names a number column, which is how AUTO tells a CSV from uContact lines. */
export function namesNumberColumn(fields: readonly string[]): boolean {
  return fields.some((field) => NUMBER_COLUMN.test(field.trim().replace(/^"|"$/g, '').toLowerCase()));
}

/** What a CSV's header says each column holds; turns each record into a member. */
export class CsvLayout {
  readonly names: FieldNames;
  readonly #width: number;
  readonly #fields: { index: number; field: Exclude<MemberField, 'numbers' | 'variables'> }[] = [];
  readonly #numbers: { index: number; typeIndex: number; slot: number }[] = [];
  readonly #variables: { index: number; name: string }[] = [];
  readonly #variablesIndex: number;
  readonly #headers: string[];

  /** Reads the header; a column we cannot use stops the whole import before anything is written. */
  constructor(header: readonly string[]) {
    this.#width = header.length;
    this.#headers = header.map((name) => name.trim());
    const byKey = new Map<string, number>();
    const unknown: string[] = [];
    const problems: string[] = [];
    const badNames: string[] = [];
    header.forEach((raw, index) => {
      const name = raw.trim();
      const target = targetOf(name);
      if (target === null) {
        unknown.push(name.length === 0 ? `(column ${index + 1} has no name)` : name);
        return;
      }
      const nameProblem = target.kind === 'variable' ? variableNameProblem(target.name) : null;
      if (target.kind === 'variable' && nameProblem !== null) {
        problems.push(`${name}: ${JSON.stringify(target.name)} ${nameProblem}`);
        badNames.push(name);
        return;
      }
      const key = keyOf(target);
      const earlier = byKey.get(key);
      if (earlier !== undefined) {
        throw new MemberImportError(
          'DUPLICATE_COLUMN',
          `The header has column ${JSON.stringify(name)} twice (columns ${earlier + 1} and ${index + 1} mean the same): keep one`,
          [name],
        );
      }
      byKey.set(key, index);
    });
    if (unknown.length > 0 || problems.length > 0) {
      const parts = [];
      if (unknown.length > 0) parts.push(`The header has columns we do not know: ${unknown.join(', ')}. The columns are ${ACCEPTED_COLUMNS}`);
      parts.push(...problems);
      throw new MemberImportError('UNKNOWN_COLUMN', `${parts.join('. ')}.`, [...unknown, ...badNames]);
    }
    for (const index of byKey.values()) {
      const target = targetOf(this.#headers[index] as string) as Target;
      if (target.kind === 'field') {
        if (target.field === 'variables') continue;
        this.#fields.push({ index, field: target.field });
      } else if (target.kind === 'number') {
        this.#numbers.push({ index, typeIndex: byKey.get(`type${target.slot}`) ?? -1, slot: target.slot });
      } else if (target.kind === 'type') {
        if (!byKey.has(`number${target.slot}`)) {
          throw new MemberImportError(
            'UNKNOWN_COLUMN',
            `Column ${JSON.stringify(this.#headers[index])} gives the type of number ${target.slot}, but no column holds number ${target.slot}`,
            [this.#headers[index] as string],
          );
        }
      } else this.#variables.push({ index, name: target.name });
    }
    if (this.#numbers.length === 0) {
      throw new MemberImportError(
        'NO_NUMBER_COLUMN',
        `The header names no number column: add a column "number" (or number1 to number${MAX_NUMBERS}). The columns are ${ACCEPTED_COLUMNS}.`,
      );
    }
    this.#numbers.sort((a, b) => a.slot - b.slot);
    this.#variablesIndex = byKey.get('variables') ?? -1;
    this.names = this.#fieldNames(byKey);
  }

  #fieldNames(byKey: Map<string, number>): FieldNames {
    const headers = this.#headers;
    const header = (key: string, fallback: string) => {
      const index = byKey.get(key);
      return index === undefined ? fallback : (headers[index] as string);
    };
    const numbersHeader = headers[(this.#numbers[0] as { index: number }).index] as string;
    const variablesHeader = header('variables', 'variables');
    return {
      member: (field) => (field === 'numbers' ? numbersHeader : header(field, field)),
      number: (_index, part, column) =>
        part === 'number' ? header(`number${column}`, `number${column}`) : header(`${part}${column}`, `${part}${column}`),
      variable: (name) => header(`var:${name}`, variablesHeader),
    };
  }

  /** The member the record on line `row` holds, with what is wrong in its layout; null for a blank record. */
  read(fields: readonly string[], row: number): SourceRow | null {
    if (fields.length !== this.#width) {
      if (fields.every((field) => field.trim().length === 0)) return null;
      const message = `the row has ${fields.length} fields but the header has ${this.#width}: check the delimiter and the quoting`;
      return { row, member: null, errors: [{ field: null, message }] };
    }
    const member: RawMember & Record<string, unknown> = { numbers: [] };
    let blank = true;
    for (const { index, field } of this.#fields) {
      const value = fields[index] as string;
      if (value.length > 0) {
        member[field] = value;
        blank = false;
      }
    }
    const numbers: RawNumber[] = [];
    let errors: FieldError[] | null = null;
    for (const { index, typeIndex, slot } of this.#numbers) {
      const number = fields[index] as string;
      const type = typeIndex === -1 ? '' : (fields[typeIndex] as string);
      if (number.trim().length === 0) {
        if (type.trim().length > 0) {
          (errors ??= []).push({ field: this.#headers[typeIndex] as string, message: `gives a type, but ${this.#headers[index]} is empty` });
        }
        continue;
      }
      numbers.push(type.length > 0 ? { number, type, column: slot } : { number, column: slot });
    }
    member.numbers = numbers;
    if (numbers.length > 0) blank = false;
    let pairs: [string, string][] | null = null;
    if (this.#variablesIndex !== -1) {
      const text = fields[this.#variablesIndex] as string;
      if (text.length > 0) {
        pairs = parseVariablePairs(text, this.#headers[this.#variablesIndex] as string, (errors ??= []));
        blank = false;
      }
    }
    for (const { index, name } of this.#variables) {
      const value = fields[index] as string;
      if (value.length === 0) continue;
      (pairs ??= []).push([name, value]);
      blank = false;
    }
    if (pairs !== null) member.variables = pairs;
    if (blank && errors === null && fields.every((field) => field.trim().length === 0)) return null;
    return { row, member, errors: errors !== null && errors.length > 0 ? errors : null };
  }
}
