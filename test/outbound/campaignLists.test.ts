import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setCampaignBlacklist } from '../../src/outbound/blacklists.js';
import { startCampaignList } from '../../src/outbound/campaignLists.js';
import { createLeaseCampaign } from '../support/leaseCampaign.js';
import { createPostgresDatabase, type TestDatabase } from '../support/database.js';
import { postgresAvailable } from '../support/fixture.js';

/** Lists added to a campaign, as supervisors add them: sometimes twice at once (a double click, two screens). */
describe.skipIf(!postgresAvailable)("a campaign's added lists, asked for at the same moment", () => {
  let database: TestDatabase;
  let campaignId: string;
  let dialListId: string;
  beforeEach(async () => {
    database = await createPostgresDatabase();
    campaignId = (await createLeaseCampaign(database.prisma)).campaign.id;
    dialListId = (await database.prisma.dialList.create({ data: { name: 'Extra' } })).id;
  });
  afterEach(async () => database.drop());

  /** The same request eight times at once: every one is answered, none with an error. */
  async function eightAtOnce<T>(request: () => Promise<T>): Promise<T[]> {
    const answers = await Promise.allSettled(Array.from({ length: 8 }, request));
    expect(answers.filter((answer) => answer.status === 'rejected')).toEqual([]);
    return answers.flatMap((answer) => (answer.status === 'fulfilled' ? [answer.value] : []));
  }

  it('adds a list to call once, and answers every request with it', async () => {
    const answers = await eightAtOnce(() => startCampaignList(database.prisma, campaignId, dialListId));
    for (const lists of answers) expect(lists.map((entry) => entry.dialList.name)).toEqual(['Extra']);
    expect(await database.prisma.campaignList.count({ where: { campaignId, dialListId } })).toBe(1);
  });

  it('makes a list a do-not-call list once', async () => {
    await eightAtOnce(() => setCampaignBlacklist(database.prisma, campaignId, dialListId, true));
    expect(await database.prisma.campaignList.findMany({ where: { campaignId }, select: { dialListId: true, role: true } })).toEqual([{ dialListId, role: 'BLACKLIST' }]);
  });
});
