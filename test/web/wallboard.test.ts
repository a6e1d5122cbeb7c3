import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Socket } from 'node:net';
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/auth/apiTokens.js';
import { chromiumAvailable } from '../support/browser.js';
import { postgresAvailable } from '../support/fixture.js';
import { axeViolations } from './axe.js';
import { usePageStack } from './pageStack.js';

/** The text of a figure's value. */
const valueOf = (figure: Locator) => figure.locator('.value').textContent();

/** m:ss or h:mm:ss as seconds. */
const seconds = (shown: string | null) => (shown ?? '').split(':').reduce((total, part) => total * 60 + Number(part), 0);

/**
 * The wallboard in a real Chromium, against the simulated PBX in real time, its worker, a dialer and the API: what
 * the PBX does shows on the page, by the API's subscriptions alone.
 */
describe.skipIf(!postgresAvailable || !chromiumAvailable)('the wallboard, in a browser', () => {
  const pages = usePageStack('wallboard-secret');
  const wallboard = (token: string) => pages.open('/wallboard', token);

  it('shows a call placed on the PBX as it comes, a queue caller whose wait counts up, and both gone once it hangs up', async () => {
    const page = await wallboard(pages.stack.api.tokens.VIEWER);
    const pbx = page.getByTestId(`pbx-${pages.stack.server}`);
    await pbx.getByText('connected', { exact: true }).waitFor();
    const helpdesk = page.getByTestId('queue-helpdesk');
    await expect.poll(() => valueOf(helpdesk.getByTestId('callers'))).toBe('0');
    await expect.poll(() => valueOf(pbx.getByTestId('calls-up'))).toBe('0');
    // The address no longer shows the token it signed in with.
    expect(page.url()).toBe(`${pages.origin}/wallboard`);

    // A customer who answers and is put in the helpdesk queue, where no agent is logged in: the caller waits.
    const connection = pages.stack.worker.connections.get(pages.stack.server);
    if (!connection) throw new Error('no connection to the simulator');
    await connection.action({ action: 'Originate', channel: 'Local/6201@customers', context: 'dest-agents', exten: 'queue-helpdesk', priority: 1, async: true });
    await expect.poll(() => valueOf(pbx.getByTestId('calls-up')), { timeout: 10_000 }).not.toBe('0');
    await expect.poll(() => valueOf(helpdesk.getByTestId('callers')), { timeout: 10_000 }).toBe('1');
    const firstWait = seconds(await valueOf(helpdesk.getByTestId('longest-wait')));
    await expect.poll(async () => seconds(await valueOf(helpdesk.getByTestId('longest-wait'))), { timeout: 5_000 }).toBeGreaterThan(firstWait);

    const channels = await pages.stack.store.list('channel', { server: pages.stack.server });
    const customer = channels.find((channel) => channel.name.startsWith('Local/6201@customers-') && channel.name.endsWith(';1'));
    if (!customer) throw new Error(`no customer channel among ${channels.map((channel) => channel.name).join(', ')}`);
    await connection.action({ action: 'Hangup', channel: customer.name });
    await expect.poll(() => valueOf(helpdesk.getByTestId('callers')), { timeout: 10_000 }).toBe('0');
    await expect.poll(() => valueOf(helpdesk.getByTestId('longest-wait'))).toBe('—');
    await expect.poll(() => valueOf(pbx.getByTestId('calls-up')), { timeout: 10_000 }).toBe('0');
    await page.close();
  }, 60_000);

  it('shows a running campaign with its live calls and members left, and takes it off once it has called its list', async () => {
    const page = await wallboard(pages.stack.api.tokens.VIEWER);
    const { prisma } = pages.stack.database;
    const plan = await prisma.plan.create({ data: { name: 'Plan', dialStringTemplate: 'Local/{number}@customers', maxConcurrentCalls: 2, maxRetries: [1, 1, 1, 1, 1, 1, 1, 1] } });
    const destination = await prisma.destination.create({ data: { name: 'Echo', type: 'EXTENSION', context: 'dest', exten: 'echo' } });
    const dialList = await prisma.dialList.create({ data: { name: 'Autumn' } });
    for (const number of ['5001', '5002', '5003']) await prisma.member.create({ data: { dialListId: dialList.id, numbers: { create: [{ slot: 1, dialListId: dialList.id, number }] } } });
    const campaign = await prisma.campaign.create({ data: { name: 'Autumn renewals', planId: plan.id, destinationId: destination.id, dialListId: dialList.id } });
    expect(await page.getByTestId('campaign-Autumn renewals').count()).toBe(0);

    const started = await pages.stack.api.graphql(`mutation($id: ID!) { setCampaignStatus(id: $id, status: RUNNING) { __typename } }`, { id: encodeGlobalID('Campaign', campaign.id) }, pages.stack.api.tokens.SUPERVISOR);
    expect(started.data).toEqual({ setCampaignStatus: { __typename: 'SetCampaignStatusSuccess' } });
    const card = page.getByTestId('campaign-Autumn renewals');
    await card.waitFor({ timeout: 10_000 });
    await expect.poll(async () => Number(await valueOf(card.getByTestId('live-dialings'))), { timeout: 10_000 }).toBeGreaterThan(0);
    // The README's picture, taken here when asked: a campaign dialing, as a new user sees it.
    if (process.env.UPDATE_SCREENSHOTS === '1') await page.screenshot({ path: 'docs/wallboard.png' });
    await expect.poll(async () => Number(await valueOf(card.getByTestId('members-left'))), { timeout: 20_000 }).toBeLessThan(3);
    await card.waitFor({ state: 'detached', timeout: 30_000 });
    await page.close();
  }, 60_000);

  it('comes back by itself when its connection is cut, showing what happened meanwhile', async () => {
    const sockets = new Set<Socket>();
    const track = (socket: Socket) => sockets.add(socket);
    pages.stack.api.server.on('connection', track);
    const page = await wallboard(pages.stack.api.tokens.VIEWER);
    pages.stack.api.server.off('connection', track);
    const helpdesk = page.getByTestId('queue-helpdesk');
    await expect.poll(() => valueOf(helpdesk.getByTestId('callers'))).toBe('0');
    for (const socket of sockets) socket.destroy();
    await page.getByTestId('link').getByText('Reconnecting…').waitFor();
    const connection = pages.stack.worker.connections.get(pages.stack.server);
    if (!connection) throw new Error('no connection to the simulator');
    await connection.action({ action: 'Originate', channel: 'Local/6401@customers', context: 'dest-agents', exten: 'queue-helpdesk', priority: 1, async: true });
    await page.getByTestId('link').getByText('Live').waitFor({ timeout: 15_000 });
    await expect.poll(() => valueOf(helpdesk.getByTestId('callers')), { timeout: 10_000 }).toBe('1');
    const caller = (await pages.stack.store.list('channel', { server: pages.stack.server })).find((channel) => channel.name.startsWith('Local/6401@customers-') && channel.name.endsWith(';1'));
    if (caller) await connection.action({ action: 'Hangup', channel: caller.name });
    await expect.poll(() => valueOf(helpdesk.getByTestId('callers')), { timeout: 10_000 }).toBe('0');
    await page.close();
  }, 60_000);

  it('signs the page out at once when its token is revoked, saying why', async () => {
    const created = await createApiToken(pages.stack.database.prisma, { name: 'lobby TV', role: 'VIEWER' });
    const page = await wallboard(created.secret);
    const revoked = await pages.stack.api.graphql('mutation($id: ID!) { revokeApiToken(id: $id) { __typename } }', { id: encodeGlobalID('ApiToken', created.token.id) });
    expect(revoked.data).toEqual({ revokeApiToken: { __typename: 'RevokeApiTokenSuccess' } });
    await page.getByRole('alert').getByText(/^Signed out/).waitFor({ timeout: 10_000 });
    await page.getByLabel('API token').waitFor();
    // Gone from the tab too: a reload asks again.
    await page.reload();
    await page.getByLabel('API token').waitFor();
    await page.close();
  }, 30_000);

  it('has no serious or critical accessibility violation (axe-core), signed in or not', async () => {
    const page = await wallboard(pages.stack.api.tokens.VIEWER);
    await page.getByTestId('queue-sales').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    const signedOut = await pages.browser.newPage();
    await signedOut.goto(`${pages.origin}/wallboard`);
    await signedOut.getByLabel('API token').waitFor();
    expect(await axeViolations(signedOut)).toEqual([]);
    await Promise.all([page.close(), signedOut.close()]);
  }, 30_000);
});
