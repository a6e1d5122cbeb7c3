import { ForbiddenError, ValidationError } from '../errors.js';

/**
 * Which phone a supervisor's own call rings: the one asked for, or their own (the user's endpoint). Spying
 * puts someone on a customer's call, so only an ADMIN may point it at a phone that is not their own.
 */
export function ringEndpoint(requested: string | null | undefined, own: string | null, mayRingOthers: boolean): string {
  const endpoint = requested?.trim() || own;
  if (!endpoint) {
    throw ValidationError.of('endpoint', 'give the endpoint to ring, or set your own (updateUser endpoint), as an API token has none');
  }
  if (endpoint !== own && !mayRingOthers) {
    throw new ForbiddenError('Only an ADMIN may ring an endpoint that is not their own', 'ADMIN');
  }
  return endpoint;
}
