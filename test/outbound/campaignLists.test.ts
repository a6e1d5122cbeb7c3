import { describe, expect, it } from 'vitest';
import { setCampaignBlacklist } from '../../src/outbound/blacklists.js';
import { startCampaignList } from '../../src/outbound/campaignLists.js';
import { createLeaseCampaign } from '../support/leaseCampaign.js';
import { createPostgresDatabase } from '../support/database.js';
import { postgresAvailable } from '../support/fixture.js';

/** Lists added to a campaign to call, as supervisors add them: sometimes twice at once (a double click, two screens). */
describe.skipIf(!postgresAvailable)("a campaign's added lists", () => {
  it('adds a list once however many ask at the same moment, and every one of them is answered with it', async () => {
    const database = await createPostgresDatabase();
    try {
      const { prisma } = database;
      const { campaign } = await createLeaseCampaign(prisma);
      const extra = await prisma.dialList.create({ data: { name: 'Extra' } });
      const answers = await Promise.allSettled(Array.from({ length: 8 }, () => startCampaignList(prisma, campaign.id, extra.id)));
      expect(answers.filter((answer) => answer.status === 'rejected')).toEqual([]);
      for (const answer of answers) expect(answer.status === 'fulfilled' && answer.value.map((entry) => entry.dialList.name)).toEqual(['Extra']);
      expect(await prisma.campaignList.count({ where: { campaignId: campaign.id, dialListId: extra.id } })).toBe(1);
    } finally {
      await database.drop();
    }
  });

  it('makes a list a do-not-call list once however many ask at the same moment', async () => {
    const database = await createPostgresDatabase();
    try {
      const { prisma } = database;
      const { campaign } = await createLeaseCampaign(prisma);
      const dnc = await prisma.dialList.create({ data: { name: 'Do not call' } });
      const answers = await Promise.allSettled(Array.from({ length: 8 }, () => setCampaignBlacklist(prisma, campaign.id, dnc.id, true)));
      expect(answers.filter((answer) => answer.status === 'rejected')).toEqual([]);
      expect(await prisma.campaignList.findMany({ where: { campaignId: campaign.id }, select: { dialListId: true, role: true } })).toEqual([{ dialListId: dnc.id, role: 'BLACKLIST' }]);
    } finally {
      await database.drop();
    }
  });
});
