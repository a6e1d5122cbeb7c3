import type { LeaseCampaign, LeaseRequest } from '../../src/dialer/leasing.js';
import type { PrismaClient } from '../../src/generated/prisma/client.js';

/** A RUNNING campaign with its plan, a queue destination, its list and a run: what a lease is asked for. */
export async function createLeaseCampaign(prisma: PrismaClient): Promise<{ campaign: LeaseCampaign; planId: string; destinationId: string }> {
  const plan = await prisma.plan.create({ data: { name: 'Plan' } });
  const destination = await prisma.destination.create({ data: { name: 'Sales', type: 'APPLICATION', application: 'Queue', data: 'sales' } });
  const dialList = await prisma.dialList.create({ data: { name: 'List' } });
  const row = await prisma.campaign.create({ data: { name: 'C', status: 'RUNNING', planId: plan.id, destinationId: destination.id, dialListId: dialList.id } });
  const run = await prisma.campaignRun.create({ data: { campaignId: row.id, startedBy: 'test' } });
  return {
    campaign: { id: row.id, runId: run.id, dialListId: dialList.id, maxRetries: [2, 2, 2, 2, 2, 2, 2, 2], numberStrategy: 'BY_PRIORITY', memberWindow: null, numberTypes: [], timezone: 'UTC' },
    planId: plan.id,
    destinationId: destination.id,
  };
}

/** A lease request's `prepare` for tests: every member sent as it is, through a Local channel into `customers`. */
export const prepareLocal: LeaseRequest['prepare'] = (member, { id }) => ({
  uniqueid: id,
  server: 'pbx1',
  dialString: `Local/${member.number.number}@customers`,
  variables: { SB_DIALING_ID: id },
  originate: {},
  problem: null,
  notNow: null,
  trunkId: null,
  planSnapshot: {},
  destinationSnapshot: {},
  otherUniqueid: `${id};2`,
});
