import type { AmiEvent } from '../ami/message.js';
import { field } from '../ami/message.js';
import { userEventUniqueid } from '../ami/userEvent.js';
import type { CampaignRules } from './rules.js';
import { trackedIds, type DialingTrack } from './tracking.js';

/** A dialing this process follows, from its originate to its recorded attempt. */
export type Followed = {
  id: string;
  campaignId: string;
  runId: string;
  server: string;
  rules: CampaignRules;
  originatedAt: number;
  track: DialingTrack;
  reported: { answered: boolean; connected: boolean };
  /** Hung up by the dialer itself (a force stop). */
  cancelled: boolean;
  /** While it is being taken over: its events, held until its call log is read (then null). */
  adopting?: AmiEvent[] | null;
};

/** The dialings this process follows, by id and by the Uniqueids of their legs, so each AMI event finds its own. */
export class FollowedDialings {
  private readonly byId = new Map<string, Followed>();
  private readonly byUniqueid = new Map<string, Followed>();

  follow(dialing: Followed): void {
    this.byId.set(dialing.id, dialing);
    for (const id of trackedIds(dialing.track)) this.byUniqueid.set(id, dialing);
  }

  forget(dialing: Followed): void {
    this.byId.delete(dialing.id);
    for (const id of trackedIds(dialing.track)) this.byUniqueid.delete(id);
  }

  get(id: string): Followed | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  values(): Followed[] {
    return [...this.byId.values()];
  }

  /** The dialing an event of `server` belongs to, if any. */
  ofEvent(server: string, event: AmiEvent): Followed | undefined {
    // The channel's own Uniqueid comes first; a UserEvent may come from another channel (an agent's) naming
    // the call's Uniqueid in its body.
    const dialing = this.byUniqueid.get(field(event, 'uniqueid')) ?? (event.event === 'UserEvent' ? this.byUniqueid.get(userEventUniqueid(event)) : undefined);
    return dialing?.server === server ? dialing : undefined;
  }
}
