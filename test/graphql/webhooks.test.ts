import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { describe, expect, it } from 'vitest';
import { postgresAvailable, resultOf, success, useServer } from '../support/fixture.js';

type WebhookWithSecret = { webhook: { id: string; url: string; enabled: boolean }; secret: string | null };

describe.skipIf(!postgresAvailable)('webhooks through the API', () => {
  const server = useServer();

  async function campaign() {
    const prisma = server.current.database.prisma;
    const plan = await prisma.plan.create({ data: { name: 'Plan' } });
    const destination = await prisma.destination.create({ data: { name: 'Echo', type: 'EXTENSION', context: 'dest', exten: 'echo' } });
    const dialList = await prisma.dialList.create({ data: { name: 'List' } });
    const created = await prisma.campaign.create({ data: { name: `C ${Math.random()}`, planId: plan.id, destinationId: destination.id, dialListId: dialList.id } });
    return encodeGlobalID('Campaign', created.id);
  }

  const create = (campaignId: string, input: Record<string, unknown>, token?: string) =>
    server.current.graphql(
      `mutation($c: ID!, $input: CreateWebhookInput!) { createWebhook(campaignId: $c, input: $input) { ${resultOf('CreateWebhookSuccess', 'webhook { id url enabled } secret')} } }`,
      { c: campaignId, input },
      token,
    );
  const update = (id: string, input: Record<string, unknown>) =>
    server.current.graphql(`mutation($id: ID!, $input: UpdateWebhookInput!) { updateWebhook(id: $id, input: $input) { ${resultOf('UpdateWebhookSuccess', 'webhook { id url enabled } secret')} } }`, { id, input });

  it('creates a webhook with a generated secret shown once, lists it on the campaign, and never shows the secret again', async () => {
    const campaignId = await campaign();
    const created = success<WebhookWithSecret>((await create(campaignId, { url: 'https://crm.example/hooks/calls' })).data, 'createWebhook');
    expect(created.webhook).toMatchObject({ url: 'https://crm.example/hooks/calls', enabled: true });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const stored = await server.current.database.prisma.webhook.findUniqueOrThrow({ where: { id: decodeGlobalID(created.webhook.id).id } });
    expect(stored.secret).toBe(created.secret);

    const listed = await server.current.graphql(`query($id: ID!) { node(id: $id) { ... on Campaign { webhooks { id url enabled } } } }`, { id: campaignId });
    expect(listed.data).toEqual({ node: { webhooks: [created.webhook] } });
    const asking = await server.current.graphql(`query($id: ID!) { node(id: $id) { ... on Webhook { secret } } }`, { id: created.webhook.id });
    expect(asking.errors?.[0]?.message).toMatch(/Cannot query field "secret"/);

    const own = success<WebhookWithSecret>((await create(campaignId, { url: 'http://crm.example:8080/n', secret: 'my-own-secret-of-20-chars' })).data, 'createWebhook');
    expect(own.secret).toBe('my-own-secret-of-20-chars');
  });

  it('changes the URL, disables, rotates the secret (returned that once), and deletes', async () => {
    const campaignId = await campaign();
    const created = success<WebhookWithSecret>((await create(campaignId, { url: 'https://a.example/x' })).data, 'createWebhook');
    const changed = success<WebhookWithSecret>((await update(created.webhook.id, { url: 'https://b.example/y', enabled: false })).data, 'updateWebhook');
    expect(changed).toEqual({ webhook: { id: created.webhook.id, url: 'https://b.example/y', enabled: false }, secret: null });
    const rotated = success<WebhookWithSecret>((await update(created.webhook.id, { rotateSecret: true })).data, 'updateWebhook');
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(created.secret);
    const id = decodeGlobalID(created.webhook.id).id;
    expect((await server.current.database.prisma.webhook.findUniqueOrThrow({ where: { id } })).secret).toBe(rotated.secret);

    const removed = await server.current.graphql(`mutation($id: ID!) { deleteWebhook(id: $id) { __typename ... on DeleteWebhookSuccess { data } } }`, { id: created.webhook.id });
    expect(removed.data).toEqual({ deleteWebhook: { __typename: 'DeleteWebhookSuccess', data: created.webhook.id } });
    expect(await server.current.database.prisma.webhook.count({ where: { id } })).toBe(0);
    const again = await server.current.graphql(`mutation($id: ID!) { deleteWebhook(id: $id) { __typename ... on NotFoundError { resource } } }`, { id: created.webhook.id });
    expect(again.data).toEqual({ deleteWebhook: { __typename: 'NotFoundError', resource: 'Webhook' } });
  });

  it('refuses receivers on loopback, private, link-local and unspecified addresses, by literal or by name', async () => {
    const campaignId = await campaign();
    for (const url of ['http://169.254.169.254/latest/meta-data', 'http://127.0.0.1:5432/', 'http://[::1]:6379/', 'http://0.0.0.0:8080/', 'http://10.0.0.5/n', 'http://[::ffff:192.168.1.1]/', 'http://localhost:8080/hook']) {
      const { data } = await create(campaignId, { url });
      const failure = (data as { createWebhook: { __typename: string; problems?: { field: string }[] } }).createWebhook;
      expect({ url, kind: failure.__typename, fields: failure.problems?.map((p) => p.field) }).toEqual({ url, kind: 'ValidationError', fields: ['url'] });
    }
  });

  it('refuses a URL that is not http(s), a short secret, an unknown campaign, and a caller below ADMIN', async () => {
    const campaignId = await campaign();
    for (const url of ['ftp://files.example/x', 'javascript:alert(1)', 'not a url', '']) {
      const answer = (await create(campaignId, { url })).data as { createWebhook: { __typename: string; problems: { field: string }[] } };
      expect(answer.createWebhook.__typename).toBe('ValidationError');
      expect(answer.createWebhook.problems.map((p) => p.field)).toEqual(['url']);
    }
    const short = (await create(campaignId, { url: 'https://ok.example', secret: 'short' })).data as { createWebhook: { problems: { field: string }[] } };
    expect(short.createWebhook.problems).toEqual([{ field: 'secret', message: expect.stringMatching(/at least 16/) }]);
    const badUpdate = (await update(encodeGlobalID('Webhook', '0196a3b0-0000-7000-8000-000000000000'), { url: 'mailto:x@y' })).data as { updateWebhook: { __typename: string } };
    expect(badUpdate.updateWebhook.__typename).toBe('ValidationError');
    const unknown = (await create(encodeGlobalID('Campaign', '0196a3b0-0000-7000-8000-000000000000'), { url: 'https://ok.example' })).data;
    expect(unknown).toMatchObject({ createWebhook: { __typename: 'NotFoundError', resource: 'Campaign' } });
    const supervisor = (await create(campaignId, { url: 'https://ok.example' }, server.current.tokens.SUPERVISOR)).data;
    expect(supervisor).toMatchObject({ createWebhook: { __typename: 'ForbiddenError', requiredRole: 'ADMIN' } });
  });

  it('shows each delivery\'s status, tries, last error and payload, filtered by status', async () => {
    const prisma = server.current.database.prisma;
    const campaignId = await campaign();
    const created = success<WebhookWithSecret>((await create(campaignId, { url: 'https://a.example/x' })).data, 'createWebhook');
    const webhookId = decodeGlobalID(created.webhook.id).id;
    const setup = await prisma.campaign.findUniqueOrThrow({ where: { id: decodeGlobalID(campaignId).id } });
    const run = await prisma.campaignRun.create({ data: { campaignId: setup.id, startedBy: 'test' } });
    const attempt = (id: string) =>
      prisma.callAttempt.create({
        data: { id, campaignId: setup.id, planId: setup.planId, destinationId: setup.destinationId, dialListId: setup.dialListId, server: 'pbx1', runId: run.id, numberSlot: 1, dialedNumber: '100', tryCount: 1, dialString: 'x', outcome: 'BUSY', dialResult: 5, dialResultText: 'busy', originatedAt: new Date(), endedAt: new Date(), planSnapshot: {}, destinationSnapshot: {} },
      });
    await attempt('0196a3b0-0000-7000-8000-000000000001');
    await attempt('0196a3b0-0000-7000-8000-000000000002');
    await prisma.webhookDelivery.create({ data: { webhookId, attemptId: '0196a3b0-0000-7000-8000-000000000001', payload: { state: 'BUSY' }, tries: 3, lastStatusCode: 502, lastError: 'the receiver answered HTTP 502' } });
    await prisma.webhookDelivery.create({ data: { webhookId, attemptId: '0196a3b0-0000-7000-8000-000000000002', payload: { state: 'BUSY' }, status: 'DELIVERED', tries: 1, lastStatusCode: 200, deliveredAt: new Date() } });

    const query = `query($id: ID!, $status: WebhookDeliveryStatus) { webhookDeliveries(filter: { webhookId: $id, status: $status }, first: 10) {
      edges { node { status tries nextTryAt lastStatusCode lastError deliveredAt payload attempt { dialedNumber } } } } }`;
    const pending = await server.current.graphql<{ webhookDeliveries: { edges: { node: Record<string, unknown> }[] } }>(query, { id: created.webhook.id, status: 'PENDING' }, server.current.tokens.VIEWER);
    expect(pending.data?.webhookDeliveries.edges.map((e) => e.node)).toEqual([
      { status: 'PENDING', tries: 3, nextTryAt: expect.any(String), lastStatusCode: 502, lastError: 'the receiver answered HTTP 502', deliveredAt: null, payload: { state: 'BUSY' }, attempt: { dialedNumber: '100' } },
    ]);
    const all = await server.current.graphql<{ webhookDeliveries: { edges: unknown[] } }>(query, { id: created.webhook.id });
    expect(all.data?.webhookDeliveries.edges).toHaveLength(2);
    const wrongId = await server.current.graphql(query, { id: campaignId });
    expect(wrongId.errors?.[0]?.message).toMatch(/expected a Webhook id/);
  });
});
