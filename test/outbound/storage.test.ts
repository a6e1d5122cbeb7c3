import { mkdtemp, rm } from 'node:fs/promises';
import { DEFAULT_APPLICATION_POLICY } from '../../src/outbound/applications.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open.js';
import { ConflictError, NotFoundError } from '../../src/errors.js';
import { createCampaign, deleteCampaign, setCampaignStatus } from '../../src/outbound/campaigns.js';
import { createDestination } from '../../src/outbound/destinations.js';
import { createDialList, deleteDialList } from '../../src/outbound/dialLists.js';
import { createPlan, deletePlan } from '../../src/outbound/plans.js';
import { storageKinds } from '../support/database.js';
import { useStorage } from '../support/storage.js';

describe.each(storageKinds)('the outbound model on %s storage', (kind, create) => {
  const storage = useStorage(kind, create);
  const { skip } = storage;

  async function campaignSetup(name: string) {
    const { prisma } = storage.database;
    const plan = await createPlan(prisma, { name: `${name} plan`, dialStringTemplate: 'Local/{number}@customers' });
    const destination = await createDestination(prisma, { name: `${name} queue`, type: 'APPLICATION', application: 'Queue', data: 'sales' }, DEFAULT_APPLICATION_POLICY);
    const dialList = await createDialList(prisma, { name: `${name} list`, variables: { SOURCE: 'crm' } });
    const campaign = await createCampaign(prisma, {
      name,
      planId: plan.id,
      destinationId: destination.id,
      dialListId: dialList.id,
      dailyStartTime: '09:00',
      dailyEndTime: '18:00',
      weekdays: [5, 1, 1, 3],
      timezone: 'Europe/Madrid',
    });
    return { plan, destination, dialList, campaign };
  }

  it.skipIf(skip)('stores a campaign with its schedule normalised and jade\'s defaults', async () => {
    const { campaign } = await campaignSetup('Stored');
    expect(campaign).toMatchObject({
      status: 'STOPPED',
      scheduleMode: 'MANUAL',
      dailyStartTime: '09:00:00',
      dailyEndTime: '18:00:00',
      weekdays: [1, 3, 5],
      timezone: 'Europe/Madrid',
      inUse: true,
    });
  });

  it.skipIf(skip)('walks the status through jade\'s transitional states', async () => {
    const { campaign } = await campaignSetup('Walked');
    const starting = await setCampaignStatus(storage.database.prisma, campaign.id, 'RUNNING', false, 'tester');
    expect(starting.status).toBe('STARTING');
    const stopping = await setCampaignStatus(storage.database.prisma, campaign.id, 'STOPPED', false, 'tester');
    expect(stopping.status).toBe('STOPPING');
    const forced = await setCampaignStatus(storage.database.prisma, campaign.id, 'STOPPED', true, 'tester');
    expect(forced.status).toBe('FORCE_STOPPING');
    await expect(setCampaignStatus(storage.database.prisma, campaign.id, 'RUNNING', false, 'tester')).rejects.toThrow(ConflictError);
  });

  it.skipIf(skip)('refuses to delete a plan in use, and with force soft-deletes the campaign in one transaction', async () => {
    const { plan, campaign } = await campaignSetup('Forced');
    await expect(deletePlan(storage.database.prisma, plan.id, false)).rejects.toThrow(ConflictError);
    expect((await storage.database.prisma.plan.findUniqueOrThrow({ where: { id: plan.id } })).inUse).toBe(true);
    await deletePlan(storage.database.prisma, plan.id, true);
    const after = await storage.database.prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    expect(after.inUse).toBe(false);
    expect(after.deletedAt).not.toBeNull();
    await expect(deleteCampaign(storage.database.prisma, campaign.id, false)).rejects.toThrow(NotFoundError);
  });

  it.skipIf(skip)('removes a forced dial list\'s members with it', async () => {
    const { dialList } = await campaignSetup('Listed');
    await storage.database.prisma.member.create({
      data: { dialListId: dialList.id, name: 'Ana', numbers: { create: [{ slot: 1, number: '1001', dialListId: dialList.id }] } },
    });
    await expect(deleteDialList(storage.database.prisma, dialList.id, false)).rejects.toThrow(ConflictError);
    await deleteDialList(storage.database.prisma, dialList.id, true);
    expect(await storage.database.prisma.member.count({ where: { dialListId: dialList.id } })).toBe(0);
    expect(await storage.database.prisma.memberNumber.count({ where: { dialListId: dialList.id } })).toBe(0);
  });
});

describe('the embedded database on disk', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'switchboard-embedded-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('creates its folder, migrates, and keeps data across a restart', async () => {
    const dataDir = join(folder, 'nested', 'data');
    const first = await openDatabase({ dataDir });
    expect(first.applied.length).toBeGreaterThan(0);
    await createPlan(first.prisma, { name: 'Persistent' });
    await first.close();
    const second = await openDatabase({ dataDir });
    try {
      expect(second.applied).toEqual([]);
      expect((await second.prisma.plan.findMany()).map((p) => p.name)).toEqual(['Persistent']);
    } finally {
      await second.close();
    }
  }, 60_000);
});
