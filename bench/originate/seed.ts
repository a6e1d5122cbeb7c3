/** The campaign the originate benchmark dials: PROGRESSIVE, capped by its plan alone, over a generated list. */
import type { Database } from '../../src/db/open.js';

/**
 * What the numbers do in the simulator (src/ami/simulator/customers.ts, context `customers`), sent to
 * `dest,echo`:
 * - no-answer: 3XXX rings until the originate's Timeout (the plan's dial timeout), so a call lasts exactly
 *   that long and ends NO_ANSWER;
 * - answer: 1XXX rings 1 s and answers; echo hangs up 3 s later, so a call lasts about 4 s and ends ANSWERED
 *   (two more status writes per dialing: ANSWERED as well as RINGING);
 * - mixed: members take 1XXX, 3XXX and 7XXX in turn (7XXX answers at once and echo hangs up 3 s later), so
 *   calls of about 4 s, the dial timeout and about 3 s end at different moments, as a real list's do, instead
 *   of a whole wave at once.
 */
export type CallShape = 'no-answer' | 'answer' | 'mixed';

const PREFIXES: Record<CallShape, string[]> = { 'no-answer': ['3'], answer: ['1'], mixed: ['1', '3', '7'] };

export type BenchCampaign = { campaignId: string; dialListId: string };

/**
 * `trunks` > 0: the plan dials through that many trunks (each `Local/{number}@customers`, its share of the cap as
 * its limit), each taking the numbers whose last digit is its own modulo `trunks`; 0: the plan's own dial string.
 */
export type CampaignShape = { members: number; maxConcurrentCalls: number; shape: CallShape; dialTimeoutMs: number; trunks: number };

/** Creates the plan, destination, list and campaign (STOPPED), and the members in two statements. */
export async function seedCampaign(database: Database, shape: CampaignShape): Promise<BenchCampaign> {
  const { prisma, driver } = database;
  const plan = await prisma.plan.create({
    data: {
      name: 'bench originate',
      dialMode: 'PROGRESSIVE',
      dialStringTemplate: 'Local/{number}@customers',
      dialTimeoutMs: shape.dialTimeoutMs,
      // One try each: every member is dialed exactly once, so attempts per member must all be 1.
      maxRetries: [1, 1, 1, 1, 1, 1, 1, 1],
      maxConcurrentCalls: shape.maxConcurrentCalls,
      dialListEndAction: 'STOP_CAMPAIGN',
    },
  });
  await routeThroughTrunks(database, plan.id, shape);
  const destination = await prisma.destination.create({ data: { name: 'Echo', type: 'EXTENSION', context: 'dest', exten: 'echo', priority: '1' } });
  const dialList = await prisma.dialList.create({ data: { name: 'bench originate' } });
  await driver.withConnection(
    async (connection) => {
      await connection.query(
        `INSERT INTO "Member" (id, "dialListId", name, "externalKey", "createdAt", "updatedAt")
         SELECT gen_random_uuid(), $1, 'member ' || i, 'bench-' || i, now(), now() FROM generate_series(1, $2::int) AS i`,
        [dialList.id, shape.members],
      );
      // 1,000 numbers of each prefix, the prefixes taken in turn: the simulator keys nothing on the rest of the number.
      await connection.query(
        `INSERT INTO "MemberNumber" ("memberId", slot, "dialListId", number)
         SELECT id, 1, $1, ($2::text[])[1 + (n % cardinality($2::text[]))] || lpad((n % 1000)::text, 3, '0')
           FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM "Member" WHERE "dialListId" = $1) AS numbered`,
        [dialList.id, PREFIXES[shape.shape]],
      );
      await connection.exec('ANALYZE "Member"; ANALYZE "MemberNumber"');
    },
    { transaction: true },
  );
  const campaign = await prisma.campaign.create({ data: { name: 'bench originate', planId: plan.id, destinationId: destination.id, dialListId: dialList.id } });
  return { campaignId: campaign.id, dialListId: dialList.id };
}

/** The plan's trunks, when the shape asks for them: the plan's own dial string is then left out. */
async function routeThroughTrunks(database: Database, planId: string, shape: CampaignShape): Promise<void> {
  if (shape.trunks === 0) return;
  const { prisma } = database;
  await prisma.plan.update({ where: { id: planId }, data: { dialStringTemplate: null } });
  for (let index = 0; index < shape.trunks; index++) {
    const digits = Array.from({ length: 10 }, (_, digit) => digit).filter((digit) => digit % shape.trunks === index);
    const trunk = await prisma.trunk.create({
      data: { name: `bench trunk ${index + 1}`, dialStringTemplate: 'Local/{number}@customers', maxChannels: Math.ceil(shape.maxConcurrentCalls / shape.trunks) },
    });
    await prisma.planTrunk.create({ data: { planId, position: index, trunkId: trunk.id, numberPattern: `[${digits.join('')}]$` } });
  }
}

export type Correctness = {
  members: number;
  attempts: number;
  membersWithAttempts: number;
  mostAttemptsOfOneMember: number;
  dialingsLeft: number;
  membersNotDone: number;
  outcomes: Record<string, number>;
};

/** What the database holds once the campaign stopped: attempts per member, leftovers, outcomes. */
export async function checkRecorded(database: Database, campaign: BenchCampaign): Promise<Correctness> {
  return database.driver.withConnection(async (connection) => {
    const [counts] = await connection.query<Omit<Correctness, 'outcomes'>>(
      `SELECT (SELECT count(*) FROM "Member" WHERE "dialListId" = $2)::int AS members,
              (SELECT count(*) FROM "CallAttempt" WHERE "campaignId" = $1)::int AS attempts,
              (SELECT count(DISTINCT "memberId") FROM "CallAttempt" WHERE "campaignId" = $1)::int AS "membersWithAttempts",
              (SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM "CallAttempt" WHERE "campaignId" = $1 GROUP BY "memberId") AS per)::int
                AS "mostAttemptsOfOneMember",
              (SELECT count(*) FROM "Dialing" WHERE "campaignId" = $1)::int AS "dialingsLeft",
              (SELECT count(*) FROM "Member" WHERE "dialListId" = $2 AND status <> 'DONE')::int AS "membersNotDone"`,
      [campaign.campaignId, campaign.dialListId],
    );
    const outcomes = await connection.query<{ outcome: string; count: number }>(
      'SELECT outcome::text AS outcome, count(*)::int AS count FROM "CallAttempt" WHERE "campaignId" = $1 GROUP BY outcome ORDER BY outcome',
      [campaign.campaignId],
    );
    if (!counts) throw new Error('the correctness query returned no row');
    return { ...counts, outcomes: Object.fromEntries(outcomes.map((row) => [row.outcome, row.count])) };
  });
}
