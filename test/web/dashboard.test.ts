import { encodeGlobalID } from '@pothos/plugin-relay';
import { describe, expect, it } from 'vitest';
import { createUser } from '../../src/auth/users.js';
import { chromiumAvailable } from '../support/browser.js';
import { postgresAvailable } from '../support/fixture.js';
import { axeViolations } from './axe.js';
import { usePageStack } from './pageStack.js';

/**
 * The supervisor's dashboard in a real Chromium, against the simulated PBX in real time: each control is the API's
 * own mutation, so what a click does is read back from the API, not from the page.
 */
describe.skipIf(!postgresAvailable || !chromiumAvailable)('the dashboard, in a browser', () => {
  const pages = usePageStack('dashboard-secret');
  const dashboard = () => pages.open('/dashboard', pages.stack.api.tokens.SUPERVISOR);

  /** What the API reports of a campaign, asked with the supervisor's token. */
  async function statusOf(campaignId: string): Promise<string | undefined> {
    const { data } = await pages.stack.api.graphql<{ node: { status: string } | null }>('query($id: ID!) { node(id: $id) { ... on Campaign { status } } }', { id: campaignId }, pages.stack.api.tokens.SUPERVISOR);
    return data?.node?.status;
  }

  it('starts, pauses and force-stops a campaign from its controls, the API reporting each, and shows its attempts', async () => {
    const { prisma } = pages.stack.database;
    const plan = await prisma.plan.create({ data: { name: 'Plan', dialStringTemplate: 'Local/{number}@customers', maxConcurrentCalls: 1, maxRetries: [1, 1, 1, 1, 1, 1, 1, 1] } });
    const destination = await prisma.destination.create({ data: { name: 'Echo', type: 'EXTENSION', context: 'dest', exten: 'echo' } });
    const dialList = await prisma.dialList.create({ data: { name: 'Winter' } });
    // Customers whose phones ring until the Originate times out: the call is still unanswered when the force stop
    // ends it (CANCELLED), however slowly a loaded machine gets from Start to Force stop.
    for (const number of ['3001', '3002', '3003']) await prisma.member.create({ data: { dialListId: dialList.id, numbers: { create: [{ slot: 1, dialListId: dialList.id, number }] } } });
    const created = await prisma.campaign.create({ data: { name: 'Winter offers', planId: plan.id, destinationId: destination.id, dialListId: dialList.id } });
    const id = encodeGlobalID('Campaign', created.id);
    const page = await dashboard();
    const row = page.getByTestId('campaign-Winter offers');
    await row.waitFor();

    await row.getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => statusOf(id), { timeout: 10_000 }).toBe('RUNNING');
    await expect.poll(() => row.getByTestId('status').textContent(), { timeout: 10_000 }).toBe('RUNNING');
    await expect.poll(async () => Number(await row.getByTestId('live-dialings').textContent()), { timeout: 10_000 }).toBe(1);
    if (process.env.UPDATE_SCREENSHOTS === '1') await page.screenshot({ path: 'docs/dashboard.png' });

    await row.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => statusOf(id), { timeout: 10_000 }).toMatch(/^PAUS(ING|ED)$/);
    await row.getByRole('button', { name: 'Force stop' }).click();
    await expect.poll(() => statusOf(id), { timeout: 10_000 }).toBe('STOPPED');
    await expect.poll(async () => Number(await row.getByTestId('live-dialings').textContent()), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('notice').textContent()).toContain('Winter offers: force stopping');

    // Its details: the run, and the attempt the force stop ended.
    await row.getByRole('button', { name: 'Winter offers' }).click();
    const details = page.getByTestId('campaign-details');
    await details.getByTestId('attempts').getByText('3001').waitFor({ timeout: 10_000 });
    await details.getByTestId('runs').getByText(/CANCELLED 1/).waitFor({ timeout: 10_000 });
    await page.close();
  }, 60_000);

  it('shows a typed error in the API’s own words', async () => {
    const { prisma } = pages.stack.database;
    const plan = await prisma.plan.create({ data: { name: 'Plan B' } });
    const destination = await prisma.destination.create({ data: { name: 'Echo B', type: 'EXTENSION', context: 'dest', exten: 'echo' } });
    const dialList = await prisma.dialList.create({ data: { name: 'Spring' } });
    await prisma.campaign.create({ data: { name: 'Spring', planId: plan.id, destinationId: destination.id, dialListId: dialList.id } });
    const page = await dashboard();
    const row = page.getByTestId('campaign-Spring');
    await row.getByLabel('Boost of Spring, percent').fill('900');
    await row.getByRole('button', { name: 'Set' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/percent/);
    await page.close();
  }, 30_000);

  it('pauses a queue member and hangs up a live call, the API reporting each', async () => {
    const page = await dashboard();
    const member = page.getByTestId('queue-sales').getByTestId('member-Agent 101');
    await member.getByRole('button', { name: 'Pause' }).click();
    const pausedOf = async () => {
      const { data } = await pages.stack.api.graphql<{ queue: { members: { name: string; paused: boolean }[] } }>('{ queue(name: "sales") { members { name paused } } }', {}, pages.stack.api.tokens.VIEWER);
      return data?.queue.members.find((candidate) => candidate.name === 'Agent 101')?.paused;
    };
    await expect.poll(pausedOf, { timeout: 10_000 }).toBe(true);
    await member.getByRole('button', { name: 'Unpause' }).click();
    await expect.poll(pausedOf, { timeout: 10_000 }).toBe(false);

    const connection = pages.stack.worker.connections.get(pages.stack.server);
    if (!connection) throw new Error('no connection to the simulator');
    await connection.action({ action: 'Originate', channel: 'Local/6301@customers', context: 'dest-agents', exten: 'queue-helpdesk', priority: 1, async: true });
    const customer = page.locator('[data-testid^="channel-Local/6301@customers-"][data-testid$=";1"]');
    await customer.waitFor({ timeout: 10_000 });
    await customer.getByRole('button', { name: 'Hang up' }).click();
    const channels = async () => (await pages.stack.api.graphql<{ channels: { name: string }[] }>('{ channels { name } }', {}, pages.stack.api.tokens.VIEWER)).data?.channels.length;
    await expect.poll(channels, { timeout: 10_000 }).toBe(0);
    await customer.waitFor({ state: 'detached', timeout: 10_000 });
    await page.close();
  }, 60_000);

  it('signs in with a username and password, says why a wrong one is refused, and signs out', async () => {
    await createUser(pages.stack.database.prisma, { username: 'maria', displayName: 'Maria', role: 'SUPERVISOR', password: 'correct horse battery' });
    const page = await pages.browser.newPage();
    await page.goto(`${pages.origin}/dashboard`);
    await page.getByLabel('Username').fill('maria');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/username or password/i);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('link').getByText('Live').waitFor();
    await page.getByText('maria (SUPERVISOR)').waitFor();
    // Signing out ends the session on the server too.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Username').waitFor();
    const sessions = await pages.stack.database.prisma.session.findMany({ where: { user: { username: 'maria' } } });
    expect(sessions.map((session) => session.revokedAt !== null)).toEqual([true]);
    await page.close();
  }, 30_000);

  it('tells a VIEWER the dashboard is not theirs, and has no serious accessibility violation', async () => {
    const viewer = await pages.browser.newPage();
    await viewer.goto(`${pages.origin}/dashboard#token=${pages.stack.api.tokens.VIEWER}`);
    await viewer.getByText(/needs SUPERVISOR rights/).waitFor();
    await viewer.close();
    const page = await dashboard();
    await page.getByTestId('queue-sales').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  }, 30_000);
});
