import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';

/**
 * The typed errors a field can answer, by what it does; each result union lists only these (a field that can
 * fail some other way lists its own). ForbiddenError is for fields a VIEWER may not call: a VIEWER-scoped field
 * never answers it.
 */

/** Reads something by id: a malformed id, or nothing there. */
export const LOOKUP_ERRORS = { types: [ValidationError, NotFoundError] };

/** Creates something from its input alone. */
export const CREATE_ERRORS = { types: [ValidationError, ForbiddenError] };

/** Changes something named by id, whatever state it is in. */
export const EDIT_ERRORS = { types: [ValidationError, NotFoundError, ForbiddenError] };

/** Changes something named by id that its state may refuse (being dialed, in use, not running...). */
export const GUARDED_ERRORS = { types: [ValidationError, NotFoundError, ConflictError, ForbiddenError] };
