import { decodeGlobalID } from '@pothos/plugin-relay';
import { ValidationError } from '../errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The database id inside a global id, checked to be one of `typename`'s, or a ValidationError naming `field`. */
export function localId(globalId: string, typename: string, field = 'id'): string {
  let decoded: { typename: string; id: string };
  try {
    decoded = decodeGlobalID(globalId);
  } catch {
    throw ValidationError.of(field, `${JSON.stringify(globalId)} is not an id this API gave out`);
  }
  if (decoded.typename !== typename) {
    throw ValidationError.of(field, `expected a ${typename} id, got a ${decoded.typename || 'malformed'} id`);
  }
  if (!UUID.test(decoded.id)) throw ValidationError.of(field, `${JSON.stringify(globalId)} is not an id this API gave out`);
  return decoded.id;
}

/** Like localId for an optional field: null and undefined pass through. */
export function optionalLocalId(globalId: string | null | undefined, typename: string, field: string): string | null | undefined {
  return globalId === null || globalId === undefined ? globalId : localId(globalId, typename, field);
}
