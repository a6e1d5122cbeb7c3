/** Each campaign's progress is published on a topic of its own, so a dashboard hears only its campaign. */
export type CampaignTopic = `campaign.${string}`;

export const campaignTopic = (campaignId: string): CampaignTopic => `campaign.${campaignId}`;

/** Every campaign's progress, for a screen that shows them all (a campaign id is a UUID, never `all`). */
export const everyCampaignTopic: CampaignTopic = 'campaign.all';
