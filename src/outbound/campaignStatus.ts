import { ConflictError } from '../errors.js';
import type { CampaignStatus } from '../generated/prisma/enums.js';

/** What a person may ask of a campaign; the dialer walks it through jade's transitional states. */
export type RequestedStatus = 'RUNNING' | 'PAUSED' | 'STOPPED';

const ACTIVE: ReadonlySet<CampaignStatus> = new Set(['STARTING', 'RUNNING', 'PAUSING', 'PAUSED']);

/**
 * The status a campaign moves to when `requested` is asked of it in `current` (jade's state machine):
 * starting, pausing and stopping pass through STARTING, PAUSING and STOPPING until the dialer confirms;
 * a forced stop is FORCE_STOPPING, which hangs up live calls. Asking for what is already under way is
 * not an error.
 */
export function nextCampaignStatus(current: CampaignStatus, requested: RequestedStatus, force: boolean): CampaignStatus {
  switch (requested) {
    case 'RUNNING':
      if (current === 'RUNNING' || current === 'STARTING') return current;
      if (current === 'STOPPING' || current === 'FORCE_STOPPING') {
        throw new ConflictError(`The campaign is ${current}: wait until it has STOPPED before starting it`);
      }
      return 'STARTING';
    case 'PAUSED':
      if (current === 'PAUSED' || current === 'PAUSING') return current;
      if (current === 'RUNNING' || current === 'STARTING') return 'PAUSING';
      throw new ConflictError(`The campaign is ${current}: only a running campaign can be paused`);
    case 'STOPPED':
      if (force && (ACTIVE.has(current) || current === 'STOPPING')) return 'FORCE_STOPPING';
      if (ACTIVE.has(current)) return 'STOPPING';
      return current;
  }
}
