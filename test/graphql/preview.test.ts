import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { describe, expect, it } from 'vitest';
import { postgresAvailable, resultOf, useServer } from '../support/fixture.js';

type Reserved = { __typename: string; data?: { number: string; dialing: { id: string; status: string }; member: { name: string; status: string } } | null; message?: string };

describe.skipIf(!postgresAvailable)('PREVIEW: reserveCall, dialReservedCall, skipReservedCall', () => {
  const server = useServer();

  async function previewCampaign(status: 'RUNNING' | 'STOPPED' = 'RUNNING') {
    const prisma = server.current.database.prisma;
    const plan = await prisma.plan.create({ data: { name: 'Preview', dialMode: 'PREVIEW', retryDelaySec: 300 } });
    const destination = await prisma.destination.create({ data: { name: 'Sales', type: 'APPLICATION', application: 'Queue', data: 'sales' } });
    const dialList = await prisma.dialList.create({ data: { name: 'Callbacks' } });
    for (const [name, priority] of [['Ana', 5], ['Ben', 1]] as const) {
      await prisma.member.create({ data: { dialListId: dialList.id, name, priority, numbers: { create: [{ slot: 1, dialListId: dialList.id, number: `100${priority}` }] } } });
    }
    const campaign = await prisma.campaign.create({ data: { name: `Preview ${status}`, status, planId: plan.id, destinationId: destination.id, dialListId: dialList.id } });
    return encodeGlobalID('Campaign', campaign.id);
  }

  const reserve = async (campaignId: string, agent = 'PJSIP/2001') =>
    (
      await server.current.graphql<{ reserveCall: Reserved }>(
        `mutation($id: ID!, $agent: String!) { reserveCall(campaignId: $id, agent: $agent) { ${resultOf('ReserveCallSuccess', 'number dialing { id status } member { name status }')} } }`,
        { id: campaignId, agent },
      )
    ).data?.reserveCall as Reserved | null;

  it('reserves members one at a time by priority, and skipping one gives it back for later without a try', async () => {
    const campaignId = await previewCampaign();
    const first = await reserve(campaignId);
    expect(first?.data).toMatchObject({ number: '1005', dialing: { status: 'RESERVED' }, member: { name: 'Ana', status: 'RESERVED' } });
    expect((await reserve(campaignId, 'PJSIP/2002'))?.data).toMatchObject({ member: { name: 'Ben' } });
    // Nobody left to hand out: no reservation at all.
    expect(await reserve(campaignId)).toBeNull();

    const skipped = await server.current.graphql(`mutation($id: ID!) { skipReservedCall(dialingId: $id, status: RETRY) { __typename ... on SkipReservedCallSuccess { data } } }`, {
      id: first?.data?.dialing.id,
    });
    expect(skipped.data).toEqual({ skipReservedCall: { __typename: 'SkipReservedCallSuccess', data: true } });
    const ana = await server.current.database.prisma.member.findFirstOrThrow({ where: { name: 'Ana', dialList: { name: 'Callbacks' } }, include: { numbers: true } });
    expect(ana).toMatchObject({ status: 'IDLE', numbers: [{ tryCount: 0 }] });
    expect(ana.nextAttemptAt?.getTime()).toBeGreaterThan(Date.now() + 200_000);
  });

  it('hands a dialed reservation to the dialers, once', async () => {
    const campaignId = await previewCampaign();
    const reserved = await reserve(campaignId);
    const dial = () => server.current.graphql(`mutation($id: ID!) { dialReservedCall(dialingId: $id) { __typename ... on Error { message } } }`, { id: reserved?.data?.dialing.id });
    expect((await dial()).data).toEqual({ dialReservedCall: { __typename: 'DialReservedCallSuccess' } });
    const dialing = await server.current.database.prisma.dialing.findUniqueOrThrow({ where: { id: decodeGlobalID(reserved?.data?.dialing.id as string).id } });
    expect(dialing).toMatchObject({ status: 'PENDING', owner: null, agent: 'PJSIP/2001' });
    expect((await dial()).data).toMatchObject({ dialReservedCall: { __typename: 'ConflictError' } });
  });

  it('refuses a campaign that is not a running PREVIEW one, and an agent that is no endpoint', async () => {
    expect((await reserve(await previewCampaign('STOPPED')))?.__typename).toBe('ConflictError');
    const running = await previewCampaign();
    expect((await reserve(running, 'PJSIP/2001,PJSIP/2002'))?.__typename).toBe('ValidationError');
    expect((await reserve(encodeGlobalID('Campaign', '01900000-0000-7000-8000-000000000000')))?.__typename).toBe('NotFoundError');
  });
});
