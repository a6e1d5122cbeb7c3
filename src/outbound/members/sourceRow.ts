import type { FieldError, RawMember } from './validation.js';

/**
 * One row as a source read it, before validation: the member it holds (null when the row could not be read
 * as one) and the problems found while reading it. `row` is the 1-based line or item number.
 */
export type SourceRow = { row: number; member: RawMember | null; errors: FieldError[] | null };
