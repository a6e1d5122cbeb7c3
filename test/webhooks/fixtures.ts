import { randomUUID } from 'node:crypto';
import type { Member } from '../../src/generated/prisma/client.js';
import type { TestDatabase } from '../support/database.js';
import { enqueueDeliveries } from '../../src/webhooks/outbox.js';

export const SECRET = 'whsec_test-secret-of-enough-length';

/** A campaign with one webhook to `url` and members named as given, each with two numbers and input variables. */
export async function webhookCampaign(database: TestDatabase, url: string, memberNames: string[]) {
  const prisma = database.prisma;
  const plan = await prisma.plan.create({ data: { name: 'Plan' } });
  const destination = await prisma.destination.create({ data: { name: 'Echo', type: 'EXTENSION', context: 'dest', exten: 'echo' } });
  const dialList = await prisma.dialList.create({ data: { name: 'Leads' } });
  const campaign = await prisma.campaign.create({ data: { name: 'C', status: 'RUNNING', planId: plan.id, destinationId: destination.id, dialListId: dialList.id } });
  const run = await prisma.campaignRun.create({ data: { campaignId: campaign.id, startedBy: 'test' } });
  const webhook = await prisma.webhook.create({ data: { campaignId: campaign.id, url, secret: SECRET } });
  const members: Member[] = [];
  for (const name of memberNames) {
    members.push(
      await prisma.member.create({
        data: {
          dialListId: dialList.id,
          name,
          externalKey: `key-${name}`,
          variables: { HH: '10', MM: '30' },
          numbers: { create: [{ slot: 1, dialListId: dialList.id, number: `${name}-main` }, { slot: 2, dialListId: dialList.id, number: `${name}-2` }] },
        },
      }),
    );
  }
  let tries = 0;
  /** Records one finished attempt for a member and writes its notifications, as the dialer does in one transaction. */
  const recordAttempt = async (memberIndex: number, extra: { completionCode?: string; outputs?: Record<string, string>; rescheduleSec?: number } = {}) => {
    const member = members[memberIndex];
    if (!member) throw new Error(`no member ${memberIndex}`);
    const id = randomUUID();
    tries += 1;
    await prisma.callAttempt.create({
      data: {
        id,
        campaignId: campaign.id,
        planId: plan.id,
        destinationId: destination.id,
        dialListId: dialList.id,
        memberId: member.id,
        server: 'pbx1',
        runId: run.id,
        numberSlot: 2,
        dialedNumber: `${member.name}-2`,
        tryCount: tries,
        dialString: 'Local/x@customers',
        uniqueid: `1700000000.${tries}`,
        outcome: 'ANSWERED',
        dialResult: 4,
        dialResultText: 'Remote end has answered',
        hangupCause: 16,
        hangupCauseText: 'Normal Clearing',
        originatedAt: new Date('2026-11-22T12:00:00Z'),
        answeredAt: new Date('2026-11-22T12:00:03Z'),
        endedAt: new Date('2026-11-22T12:00:30Z'),
        planSnapshot: {},
        destinationSnapshot: {},
        completionCode: extra.completionCode ?? null,
        outputs: extra.outputs ?? {},
        rescheduleSec: extra.rescheduleSec ?? null,
      },
    });
    await database.driver.withConnection((connection) => enqueueDeliveries(connection, id), { transaction: true });
    return id;
  };
  return { campaign, webhook, members, dialList, recordAttempt };
}
