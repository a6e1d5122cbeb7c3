import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setCampaignStatus } from '../../src/outbound/campaigns.js';
import { END_OF_LIST } from '../../src/requesters.js';
import { postgresAvailable, resultOf, success } from '../support/fixture.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { campaignOver, useSimulatedPbx } from './simulatedPbx.js';

/** autoRun through the API, with a dialer dialing against the simulated PBX. */
describe.skipIf(!postgresAvailable)('members added with autoRun to a campaign that ran out of them', () => {
  const pbx = useSimulatedPbx();
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const statusOf = async (campaignId: string) => (await pbx.database.prisma.campaign.findUniqueOrThrow({ where: { id: campaignId } })).status;
  const addMembers = async (api: TestServer, dialListId: string, numbers: string[], autoRun: boolean) => {
    const { data, errors } = await api.graphql(
      `mutation($list: ID!, $members: [MemberInput!]!, $autoRun: Boolean) { addMembers(dialListId: $list, members: $members, autoRun: $autoRun) {
        ${resultOf('AddMembersSuccess', 'created startedCampaigns { name status }')} } }`,
      { list: encodeGlobalID('DialList', dialListId), members: numbers.map((number) => ({ numbers: [{ number }] })), autoRun },
      api.tokens.SUPERVISOR,
    );
    if (errors) throw new Error(JSON.stringify(errors));
    return success<{ created: number; startedCampaigns: { name: string; status: string }[] }>(data, 'addMembers');
  };

  it('starts the campaign again with a new run, and the dialer dials the new members until the list runs out again', async () => {
    const campaign = await campaignOver(pbx.database.prisma, ['1001']);
    const dialer = pbx.startDialer();
    server = await startTestServer(pbx.database);
    await setCampaignStatus(pbx.database.prisma, campaign.id, 'RUNNING', false, 'tester');
    await vi.waitFor(async () => expect(await statusOf(campaign.id)).toBe('STOPPED'), { timeout: 15_000, interval: 100 });

    // Without autoRun the members wait for someone to start it.
    expect(await addMembers(server, campaign.dialListId, ['1002'], false)).toEqual({ created: 1, startedCampaigns: [] });
    await dialer.ticks(3);
    expect(await statusOf(campaign.id)).toBe('STOPPED');

    expect(await addMembers(server, campaign.dialListId, ['1003'], true)).toEqual({ created: 1, startedCampaigns: [{ name: 'Campaign', status: 'STARTING' }] });
    // STARTING cannot become STOPPED but through a run of its own.
    await vi.waitFor(async () => expect(await statusOf(campaign.id)).toBe('STOPPED'), { timeout: 15_000, interval: 100 });
    const dialed = await pbx.database.prisma.callAttempt.findMany({ select: { dialedNumber: true }, orderBy: { dialedNumber: 'asc' } });
    expect(dialed.map((attempt) => attempt.dialedNumber)).toEqual(['1001', '1002', '1003']);
    const runs = await pbx.database.prisma.campaignRun.findMany({ where: { campaignId: campaign.id }, orderBy: { startedAt: 'asc' }, select: { startedBy: true, stoppedBy: true } });
    expect(runs).toEqual([
      { startedBy: 'tester', stoppedBy: END_OF_LIST },
      { startedBy: 'test SUPERVISOR', stoppedBy: END_OF_LIST },
    ]);
  }, 60_000);
});
