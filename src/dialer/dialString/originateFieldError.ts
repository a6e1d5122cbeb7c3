/**
 * A campaign's data that cannot go into an Originate as it is: the dialing is not placed, and the message
 * says which field (or channel variable) to change and why.
 */
export class OriginateFieldError extends Error {
  override name = 'OriginateFieldError';
  constructor(
    /** The Originate field at fault; `Variable.NAME` for one channel variable. */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
