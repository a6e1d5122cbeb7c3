import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { describe, expect, it } from 'vitest';
import { postgresAvailable, resultOf, success, useServer } from '../support/fixture.js';

type Errorish = { __typename: string; problems?: { field: string; message: string }[]; resource?: string };

describe.skipIf(!postgresAvailable)('do-not-call lists, drip-fed calls and boost through the API', () => {
  const server = useServer();

  async function setup() {
    const prisma = server.current.database.prisma;
    const plan = await prisma.plan.create({ data: { name: 'Plan' } });
    const destination = await prisma.destination.create({ data: { name: 'Echo', type: 'EXTENSION', context: 'dest', exten: 'echo' } });
    const dialList = await prisma.dialList.create({ data: { name: 'List' } });
    const dnc = await prisma.dialList.create({ data: { name: `DNC ${Math.random()}` } });
    const campaign = await prisma.campaign.create({ data: { name: `C ${Math.random()}`, planId: plan.id, destinationId: destination.id, dialListId: dialList.id } });
    return { campaignId: encodeGlobalID('Campaign', campaign.id), dncId: encodeGlobalID('DialList', dnc.id), dialListId: encodeGlobalID('DialList', dialList.id) };
  }

  it('blocks a number through a campaign do-not-call list, tells which list, and cancels it with a reason', async () => {
    const { campaignId, dncId } = await setup();
    const attached = await server.current.graphql(
      `mutation($c: ID!, $l: ID!) { addCampaignBlacklist(campaignId: $c, dialListId: $l) { ${resultOf('AddCampaignBlacklistSuccess', 'id name')} } }`,
      { c: campaignId, l: dncId },
    );
    expect(success<{ id: string }[]>(attached.data, 'addCampaignBlacklist').map((list) => list.id)).toEqual([dncId]);
    const added = await server.current.graphql(`mutation($l: ID!) { addMembers(dialListId: $l, members: [{ numbers: [{ number: "+34 911 222 333" }] }]) { __typename } }`, { l: dncId });
    expect(added.errors).toBeUndefined();

    const check = async () =>
      success<{ blocked: boolean; lists: { id: string }[] }>(
        (await server.current.graphql(`query($c: ID!) { doNotCall(campaignId: $c, number: "+34911222333") { ${resultOf('DoNotCallSuccess', 'blocked lists { id }')} } }`, { c: campaignId })).data,
        'doNotCall',
      );
    expect(await check()).toEqual({ blocked: true, lists: [{ id: dncId }] });

    const cancel = (reason: string) =>
      server.current.graphql(`mutation($l: ID!, $r: String) { cancelBlacklist(dialListId: $l, numbers: ["+34911222333"], reason: $r) { ${resultOf('CancelBlacklistSuccess', 'found updated')} } }`, {
        l: dncId,
        r: reason,
      });
    expect(success((await cancel('Incall1')).data, 'cancelBlacklist')).toEqual({ found: 1, updated: 1 });
    expect(success((await cancel('again')).data, 'cancelBlacklist')).toEqual({ found: 1, updated: 0 });
    expect(await check()).toEqual({ blocked: false, lists: [] });
    const entry = await server.current.database.prisma.member.findFirstOrThrow({ where: { dialListId: decodeGlobalID(dncId).id } });
    expect(entry.blacklistCancelReason).toBe('Incall1');
  });

  it('finds one number written two ways as one: a Portuguese list\'s 912 345 678 is +351 912 345 678 on the do-not-call list', async () => {
    const { campaignId, dncId, dialListId } = await setup();
    for (const id of [dncId, dialListId]) {
      const updated = await server.current.graphql(`mutation($l: ID!) { updateDialList(id: $l, input: { country: "pt" }) { ${resultOf('UpdateDialListSuccess', 'country')} } }`, { l: id });
      expect(success(updated.data, 'updateDialList')).toEqual({ country: 'PT' });
    }
    await server.current.graphql(`mutation($c: ID!, $l: ID!) { addCampaignBlacklist(campaignId: $c, dialListId: $l) { __typename } }`, { c: campaignId, l: dncId });
    const entry = await server.current.graphql(
      `mutation($l: ID!) { addMembers(dialListId: $l, members: [{ numbers: [{ number: "+351 912 345 678" }, { number: "00351 213 000 000" }] }]) { ${resultOf('AddMembersSuccess', 'created')} } }`,
      { l: dncId },
    );
    expect(success(entry.data, 'addMembers')).toEqual({ created: 1 });
    const blocked = async (number: string) =>
      success<{ blocked: boolean }>((await server.current.graphql(`query($c: ID!, $n: String!) { doNotCall(campaignId: $c, number: $n) { ${resultOf('DoNotCallSuccess', 'blocked')} } }`, { c: campaignId, n: number })).data, 'doNotCall').blocked;
    expect([await blocked('912345678'), await blocked('+351912345678'), await blocked('213000000'), await blocked('912345679')]).toEqual([true, true, true, false]);

    // Cancelling one number of the entry leaves its other number blocking.
    const cancelled = await server.current.graphql(`mutation($l: ID!) { cancelBlacklist(dialListId: $l, numbers: ["912 345 678"]) { ${resultOf('CancelBlacklistSuccess', 'found updated')} } }`, { l: dncId });
    expect(success(cancelled.data, 'cancelBlacklist')).toEqual({ found: 1, updated: 1 });
    expect([await blocked('912345678'), await blocked('213000000')]).toEqual([false, true]);

    // In the dialed list too: dedupe by number takes both forms for one.
    const members = await server.current.graphql(
      `mutation($l: ID!) { addMembers(dialListId: $l, dedupe: NUMBER, members: [{ numbers: [{ number: "912 345 678" }] }, { numbers: [{ number: "+351912345678" }] }]) { ${resultOf('AddMembersSuccess', 'created duplicates')} } }`,
      { l: dialListId },
    );
    expect(success(members.data, 'addMembers')).toEqual({ created: 1, duplicates: 1 });
    const stored = await server.current.graphql(`query($l: ID!) { members(filter: { dialListId: $l }, first: 5) { edges { node { numbers { number normalized } } } } }`, { l: dialListId });
    expect(stored.data).toEqual({ members: { edges: [{ node: { numbers: [{ number: '912345678', normalized: '+351912345678' }] } }] } });
  });

  it('refuses a malformed number, its own dial list as a do-not-call list and an unknown list, each with a typed error', async () => {
    const { campaignId, dncId, dialListId } = await setup();
    const malformed = await server.current.graphql(`mutation($l: ID!) { cancelBlacklist(dialListId: $l, numbers: ["5551000", "call me"]) { ${resultOf('CancelBlacklistSuccess', 'found')} } }`, { l: dncId });
    expect((malformed.data?.cancelBlacklist as Errorish).problems).toEqual([{ field: 'numbers[1]', message: '"call me" is not a phone number' }]);
    const own = await server.current.graphql(`mutation($c: ID!, $l: ID!) { addCampaignBlacklist(campaignId: $c, dialListId: $l) { ${resultOf('AddCampaignBlacklistSuccess', 'id')} } }`, {
      c: campaignId,
      l: dialListId,
    });
    expect((own.data?.addCampaignBlacklist as Errorish).__typename).toBe('ValidationError');
    const unknown = encodeGlobalID('DialList', '01900000-0000-7000-8000-000000000000');
    const missing = await server.current.graphql(`mutation($l: ID!) { setDialListBlacklistForAll(dialListId: $l, forAll: true) { ${resultOf('SetDialListBlacklistForAllSuccess', 'id')} } }`, { l: unknown });
    expect(missing.data?.setDialListBlacklistForAll).toMatchObject({ __typename: 'NotFoundError', resource: 'DialList' });
  });

  it('adds a call now or later, lists what is scheduled, cancels one, and refuses a time in the past or a malformed number', async () => {
    const { campaignId } = await setup();
    const add = (input: Record<string, unknown>, token?: string) =>
      server.current.graphql(`mutation($c: ID!, $i: AddCallInput!) { addCall(campaignId: $c, input: $i) { ${resultOf('AddCallSuccess', 'id scheduledAt agent variables numbers { number }')} } }`, { c: campaignId, i: input }, token);
    const later = success<{ id: string; scheduledAt: string; agent: string }>((await add({ number: '555 1000', inSec: 3600, agent: 'PJSIP/2001', attributes: { CRM_ID: '7' } })).data, 'addCall');
    expect(later.agent).toBe('PJSIP/2001');
    const now = success<{ id: string }>((await add({ number: '5552000' })).data, 'addCall');

    const listed = async (dueBefore?: string) =>
      success<{ id: string }[]>(
        (await server.current.graphql(`query($c: ID!, $d: DateTime) { scheduledCalls(campaignId: $c, dueBefore: $d) { ${resultOf('ScheduledCallsSuccess', 'id')} } }`, { c: campaignId, d: dueBefore })).data,
        'scheduledCalls',
      ).map((member) => member.id);
    expect(await listed()).toEqual([now.id, later.id]);
    expect(await listed(new Date(Date.now() + 60_000).toISOString())).toEqual([now.id]);

    const cancelled = await server.current.graphql(`mutation($m: ID!) { cancelScheduledCall(memberId: $m) { ${resultOf('CancelScheduledCallSuccess', 'status')} } }`, { m: later.id });
    expect(success(cancelled.data, 'cancelScheduledCall')).toEqual({ status: 'TERMINATED' });
    expect(await listed()).toEqual([now.id]);

    const past = await add({ number: '5553000', at: new Date(Date.now() - 60_000).toISOString() });
    expect((past.data?.addCall as Errorish).problems?.map((p) => p.field)).toEqual(['at']);
    const bad = await add({ number: '555-CALL-NOW', agent: 'PJSIP/2001,evil' });
    expect((bad.data?.addCall as Errorish).problems?.map((p) => p.field).sort()).toEqual(['agent', 'number']);
    const unknown = await server.current.graphql(`mutation($i: AddCallInput!) { addCall(campaignId: "${encodeGlobalID('Campaign', '01900000-0000-7000-8000-000000000000')}", input: $i) { __typename } }`, {
      i: { number: '5554000' },
    });
    expect(unknown.data?.addCall).toEqual({ __typename: 'NotFoundError' });
    const viewer = await add({ number: '5555000' }, server.current.tokens.VIEWER);
    expect((viewer.data?.addCall as Errorish).__typename).toBe('ForbiddenError');
  });

  it("adds, pauses and restarts a campaign's lists, showing their progress, and refuses its own or a do-not-call list", async () => {
    const { campaignId, dncId, dialListId } = await setup();
    const extra = encodeGlobalID('DialList', (await server.current.database.prisma.dialList.create({ data: { name: 'Extra' } })).id);
    const call = (mutation: string, list: string) =>
      server.current.graphql(`mutation($c: ID!, $l: ID!) { ${mutation}(campaignId: $c, dialListId: $l) { ${resultOf(`${mutation[0]?.toUpperCase()}${mutation.slice(1)}Success`, 'dialList { id } paused position waiting finished')} } }`, {
        c: campaignId,
        l: list,
      });
    expect(success((await call('startCampaignList', extra)).data, 'startCampaignList')).toEqual([{ dialList: { id: extra }, paused: false, position: 0, waiting: 0, finished: 0 }]);
    expect(success<{ paused: boolean }[]>((await call('pauseCampaignList', extra)).data, 'pauseCampaignList')[0]?.paused).toBe(true);
    expect(success<{ paused: boolean }[]>((await call('startCampaignList', extra)).data, 'startCampaignList')[0]?.paused).toBe(false);
    const shown = await server.current.graphql(`query($c: ID!) { node(id: $c) { ... on Campaign { lists { dialList { id } paused } } } }`, { c: campaignId });
    expect(shown.data).toEqual({ node: { lists: [{ dialList: { id: extra }, paused: false }] } });

    expect(((await call('startCampaignList', dialListId)).data?.startCampaignList as Errorish).__typename).toBe('ValidationError');
    await server.current.graphql(`mutation($c: ID!, $l: ID!) { addCampaignBlacklist(campaignId: $c, dialListId: $l) { __typename } }`, { c: campaignId, l: dncId });
    expect(((await call('startCampaignList', dncId)).data?.startCampaignList as Errorish).problems?.[0]?.message).toMatch(/do-not-call list/);
  });

  it("shows how far a campaign has got through each of its lists, its own and those added, by their members' status", async () => {
    const { campaignId } = await setup();
    const prisma = server.current.database.prisma;
    const campaign = await prisma.campaign.findUniqueOrThrow({ where: { id: decodeGlobalID(campaignId).id } });
    const extra = await prisma.dialList.create({ data: { name: 'Extra' } });
    await prisma.campaignList.create({ data: { campaignId: campaign.id, dialListId: extra.id, role: 'CALLS' } });
    const members = (dialListId: string, statuses: ('IDLE' | 'DIALING' | 'RESERVED' | 'DONE' | 'TERMINATED')[]) =>
      Promise.all(statuses.map((status) => prisma.member.create({ data: { dialListId, status, numbers: { create: [{ slot: 1, dialListId, number: '5550100' }] } } })));
    await members(campaign.dialListId, ['IDLE', 'IDLE', 'DIALING', 'DONE']);
    await members(extra.id, ['RESERVED', 'TERMINATED', 'DONE']);
    const { data } = await server.current.graphql(
      `query($c: ID!) { node(id: $c) { ... on Campaign { dialList { progress { waiting dialing finished } } lists { dialList { progress { waiting dialing finished } } } } } }`,
      { c: campaignId },
      server.current.tokens.VIEWER,
    );
    expect(data).toEqual({
      node: {
        dialList: { progress: { waiting: 2, dialing: 1, finished: 1 } },
        lists: [{ dialList: { progress: { waiting: 0, dialing: 1, finished: 2 } } }],
      },
    });
  });

  it('sets a boost from 0 to 500 percent and refuses anything else', async () => {
    const { campaignId } = await setup();
    const boost = (percent: number) =>
      server.current.graphql(`mutation($c: ID!, $p: Int!) { setCampaignBoost(id: $c, percent: $p) { ${resultOf('SetCampaignBoostSuccess', 'boostPercent')} } }`, { c: campaignId, p: percent });
    expect(success((await boost(250)).data, 'setCampaignBoost')).toEqual({ boostPercent: 250 });
    for (const wrong of [501, -1]) {
      expect((await boost(wrong)).data?.setCampaignBoost).toMatchObject({ __typename: 'ValidationError', problems: [{ field: 'percent' }] });
    }
  });
});
