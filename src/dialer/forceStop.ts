import type { AmiConnection } from '../ami/connection.js';
import type { FollowedDialings } from './followed.js';

/**
 * A force stop: hangs up every leg still up of the campaign's dialings this process follows. One not answered
 * yet is marked cancelled, so no try counts against its member; their ends are recorded as usual.
 */
export async function hangUpCampaign(followed: FollowedDialings, connections: ReadonlyMap<string, AmiConnection>, campaignId: string): Promise<void> {
  for (const dialing of followed.values()) {
    if (dialing.campaignId !== campaignId) continue;
    dialing.cancelled = dialing.track.answeredAt === null;
    const connection = connections.get(dialing.server);
    for (const leg of Object.values(dialing.track.legs)) {
      if (!leg.up) continue;
      await connection?.action({ action: 'Hangup', Channel: leg.channel, Cause: 16 }).catch(() => undefined);
    }
  }
}
