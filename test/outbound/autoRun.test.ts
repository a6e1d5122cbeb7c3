import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../../src/errors.js';
import { requestCampaignStatus } from '../../src/outbound/campaigns.js';
import { END_OF_LIST } from '../../src/requesters.js';
import { startCampaignsEndedOn } from '../../src/outbound/autoRun.js';
import { createLeaseCampaign } from '../support/leaseCampaign.js';
import { createPostgresDatabase, type TestDatabase } from '../support/database.js';
import { postgresAvailable } from '../support/fixture.js';

/** autoRun against a person who touches the same campaign between its read and its start. */
describe.skipIf(!postgresAvailable)('autoRun starting a campaign someone else moved meanwhile', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createPostgresDatabase();
  });
  afterEach(async () => database.drop());

  it('does not start a campaign a person started and stopped since it was read as ended, and does not report it either', async () => {
    const { campaign } = await createLeaseCampaign(database.prisma);
    await database.prisma.campaign.update({ where: { id: campaign.id }, data: { status: 'STOPPED', statusRequestedBy: END_OF_LIST } });
    const readAsEnded = await database.prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    // Meanwhile a person started it and stopped it again: STOPPED as before, but now by them.
    await database.prisma.campaign.update({ where: { id: campaign.id }, data: { statusRequestedBy: 'alice' } });

    await expect(requestCampaignStatus(database.prisma, readAsEnded, 'RUNNING', false, 'bob')).rejects.toBeInstanceOf(ConflictError);
    expect(await database.prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).toMatchObject({ status: 'STOPPED', statusRequestedBy: 'alice' });
    expect(await startCampaignsEndedOn(database.prisma, campaign.dialListId, 'bob')).toEqual({ startedCampaigns: [], startRefusals: [] });
  });
});
