export type MemberImportErrorCode =
  /** The CSV header names a column we do not know. */
  | 'UNKNOWN_COLUMN'
  /** The CSV header names the same column twice (or two aliases of one). */
  | 'DUPLICATE_COLUMN'
  /** The CSV header names no number column. */
  | 'NO_NUMBER_COLUMN'
  /** The CSV header line cannot be read (a quote never closed). */
  | 'BAD_HEADER'
  /** An option of the intake itself is wrong (time zone, error cap). */
  | 'BAD_OPTION'
  /** Embedded database only: the database failed while members were landing slice by slice; some are in. */
  | 'INTERRUPTED';

/**
 * A problem with the whole intake, found before anything is written: nothing was imported. The one exception
 * is INTERRUPTED, whose message says which rows are in. Problems with single rows are never thrown; they come
 * back as row errors.
 */
export class MemberImportError extends Error {
  override name = 'MemberImportError';

  constructor(
    readonly code: MemberImportErrorCode,
    message: string,
    /** The columns or option the message is about. */
    readonly subjects: readonly string[] = [],
  ) {
    super(message);
  }
}
