/**
 * Who moved a campaign or the engine when no person or API token did, as runs (startedBy, stoppedBy), a campaign's
 * statusRequestedBy and the logs name them. A user's or token's name may never read as one of these: autoRun
 * restarts only the campaigns END_OF_LIST stopped, and a run stopped by a person must not say the schedule did.
 */
export const SCHEDULE = 'schedule';
export const END_OF_LIST = 'end of list';
/** A request whose caller is not known (none reaches a mutation unauthenticated: the last resort of a log line). */
export const UNKNOWN_REQUESTER = 'unknown';

/** A campaign started by the end of the one chained before it. */
export function afterCampaign(name: string): string {
  return `after ${name}`;
}

/** Why a user's or API token's name would pass for one of the dialer's own requesters, or null. */
export function requesterNameProblem(name: string): string | null {
  const folded = name.trim().toLowerCase();
  const reserved = [SCHEDULE, END_OF_LIST, UNKNOWN_REQUESTER].includes(folded) || folded.startsWith(afterCampaign(''));
  return reserved ? `must not be "${SCHEDULE}", "${END_OF_LIST}", "${UNKNOWN_REQUESTER}" or start with "${afterCampaign('')}": runs name the dialer's own requests so` : null;
}
