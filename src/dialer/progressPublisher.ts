import type { LiveBus } from '../bus/bus.js';
import { campaignTopic, everyCampaignTopic } from '../bus/campaignTopics.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { campaignProgress } from '../outbound/campaignProgress.js';

/**
 * Campaign progress for dashboards (campaignEvents): what a tick changed is noted as it happens and published
 * once, after the tick, read afresh from the database.
 */
export class ProgressPublisher {
  private readonly changed = new Set<string>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly bus: LiveBus,
  ) {}

  /** The campaign's progress changed since it was last published. */
  note(campaignId: string): void {
    this.changed.add(campaignId);
  }

  async publish(): Promise<void> {
    for (const campaignId of [...this.changed]) {
      this.changed.delete(campaignId);
      const progress = await campaignProgress(this.prisma, campaignId);
      if (!progress) continue;
      this.bus.publish(campaignTopic(campaignId), progress);
      this.bus.publish(everyCampaignTopic, progress);
    }
  }
}
