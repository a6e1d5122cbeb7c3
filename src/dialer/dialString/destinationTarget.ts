import type { Destination } from '../../generated/prisma/client.js';
import { OriginateFieldError } from './originateFieldError.js';

/** Where Asterisk sends the answered call: a dialplan extension, or an application with its data. */
export type OriginateTarget = { Context: string; Exten: string; Priority: string } | { Application: string; Data: string };

/**
 * The destination as Originate fields. EXTENSION: Context/Exten/Priority (priority 1 when unset; a label
 * also works, Asterisk looks it up). APPLICATION: Application/Data, e.g. Queue with `sales`, or Park;
 * Data goes as written, its commas being the application's own argument separators.
 */
export function destinationTarget(destination: Pick<Destination, 'type' | 'context' | 'exten' | 'priority' | 'application' | 'data'>): OriginateTarget {
  if (destination.type === 'EXTENSION') {
    if (!destination.context || !destination.exten) {
      throw new OriginateFieldError('Context', 'the EXTENSION destination has no context or extension: set both');
    }
    return { Context: destination.context, Exten: destination.exten, Priority: destination.priority || '1' };
  }
  if (!destination.application) {
    throw new OriginateFieldError('Application', 'the APPLICATION destination names no application: set one (e.g. Queue or Park)');
  }
  return { Application: destination.application, Data: destination.data ?? '' };
}
