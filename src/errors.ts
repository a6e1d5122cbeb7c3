import type { Role } from './generated/prisma/enums.js';

/**
 * Expected failures, the same in every layer. The GraphQL layer turns each into a typed error object;
 * nothing here knows GraphQL.
 */

export type FieldProblem = { field: string; message: string };

export class ValidationError extends Error {
  override name = 'ValidationError';
  constructor(
    message: string,
    readonly problems: FieldProblem[] = [],
  ) {
    super(message);
  }

  static of(field: string, message: string): ValidationError {
    return new ValidationError(`${field}: ${message}`, [{ field, message }]);
  }
}

export class NotFoundError extends Error {
  override name = 'NotFoundError';
  constructor(
    readonly resource: string,
    readonly id: string,
  ) {
    super(`${resource} ${id} does not exist or was deleted`);
  }
}

/** Something that stands in the way of a change, by its type and database id. */
export type Blocker = { typename: string; id: string };

export class ConflictError extends Error {
  override name = 'ConflictError';
  constructor(
    message: string,
    /** What stands in the way, so a client can show or remove it. */
    readonly blocking: Blocker[] = [],
  ) {
    super(message);
  }
}

export class ForbiddenError extends Error {
  override name = 'ForbiddenError';
  constructor(
    message: string,
    readonly requiredRole: Role,
  ) {
    super(message);
  }
}

/** No credentials, or credentials that are wrong, expired or revoked. */
export class AuthenticationError extends Error {
  override name = 'AuthenticationError';
}

/** The PBX could not be asked: no connection to it (down, reconnecting), or no worker took the request in time. */
export class PbxUnavailableError extends Error {
  override name = 'PbxUnavailableError';
  constructor(
    readonly server: string,
    message: string,
  ) {
    super(message);
  }
}

/** The PBX answered `Response: Error`: the action was refused, for Asterisk's own reason. */
export class PbxRefusedError extends Error {
  override name = 'PbxRefusedError';
  constructor(
    readonly server: string,
    readonly action: string,
    /** Asterisk's Message, as it wrote it (e.g. "No such channel"). */
    readonly asteriskMessage: string,
  ) {
    super(`${server} refused ${action}: ${asteriskMessage || 'no reason given'}`);
  }
}
