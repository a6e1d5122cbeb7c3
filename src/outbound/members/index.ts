export { addMembers, importMembers, DEFAULT_MAX_REPORTED_ERRORS } from './intake.js';
export { MemberImportError, type MemberImportErrorCode } from './errors.js';
export { ACCEPTED_COLUMNS } from './csvLayout.js';
export { UCONTACT_FORMAT } from './ucontact.js';
export { validateMember, inputFieldNames, LIMITS, MAX_NUMBERS } from './validation.js';
export type { FieldError, FieldNames, RawMember, RawNumber, ValidMember } from './validation.js';
export type {
  AddMembersOptions,
  Dedupe,
  ImportFormat,
  ImportMembersOptions,
  IntakeResult,
  MemberInput,
  NumberInput,
  RowError,
} from './types.js';
