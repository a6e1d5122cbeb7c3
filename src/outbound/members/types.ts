/** One of a member's numbers as a caller gives it; its slot is its position in the list plus one. */
export type NumberInput = {
  number: string;
  /** Free type code such as `mobile` or `home`. */
  type?: string | null;
  /** Higher is tried first. */
  priority?: number | null;
};

/** One member as `addMembers` receives it. */
export type MemberInput = {
  name?: string | null;
  detail?: string | null;
  externalKey?: string | null;
  email?: string | null;
  variables?: Record<string, string> | null;
  priority?: number | null;
  expiresAt?: Date | null;
  /** IANA zone the member is called in, such as `Europe/Madrid`. */
  timezone?: string | null;
  /** The agent (phone or name) this member is for, as uContact's agentphone. */
  agent?: string | null;
  /** 1 to 8 numbers, in slot order. */
  numbers: NumberInput[];
};

/** A problem with one input row. `row` is the 1-based line of a file, or the 1-based item of a list. */
export type RowError = { row: number; field: string | null; message: string };

/** Every row is counted once: `received = created + duplicates + failed`. */
export type IntakeResult = {
  received: number;
  created: number;
  /** Rows skipped because dedupe found their number or key already in the list or earlier in the intake. */
  duplicates: number;
  /** Rows with at least one error; none of them was written. */
  failed: number;
  /** The first errors by row, at most `maxReportedErrors` of them. */
  errors: RowError[];
};

/**
 * What makes a row a duplicate that is skipped (and counted) instead of created:
 * NONE, nothing (a repeated external key is then a row error); NUMBER, any of its numbers is already in
 * the list or in an earlier row of the intake; EXTERNAL_KEY, its external key is (rows without one never are).
 */
export type Dedupe = 'NONE' | 'NUMBER' | 'EXTERNAL_KEY';

export type ImportFormat = 'AUTO' | 'UCONTACT' | 'CSV';

export type AddMembersOptions = {
  dedupe: Dedupe;
  /** Default 1000; the counts are complete whatever the cap. */
  maxReportedErrors?: number;
};

export type ImportMembersOptions = {
  format: ImportFormat;
  dedupe: Dedupe;
  /** The zone of members that do not name one (uContact's uploadbasewithtimezone). */
  timezone?: string | null;
  /** Default 1000; the counts are complete whatever the cap. */
  maxReportedErrors?: number;
};
