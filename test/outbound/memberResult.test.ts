import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { settleMember } from '../../src/outbound/memberResult.js';
import { createPostgresDatabase, type TestDatabase } from '../support/database.js';
import { postgresAvailable } from '../support/fixture.js';

/** Results from another system arrive as it sends them: several for one member at the same moment. */
describe.skipIf(!postgresAvailable)("a member's results, settled at the same moment", () => {
  let database: TestDatabase;
  let memberId: string;
  beforeEach(async () => {
    database = await createPostgresDatabase();
    const dialList = await database.prisma.dialList.create({ data: { name: 'List' } });
    const member = await database.prisma.member.create({ data: { dialListId: dialList.id, numbers: { create: { slot: 1, dialListId: dialList.id, number: '+15550100' } } } });
    memberId = member.id;
  });
  afterEach(async () => database.drop());

  it('applies each one after the other: every new number to dial next gets a slot of its own, and the last one applied goes first', async () => {
    const numbers = ['+15550101', '+15550102', '+15550103', '+15550104', '+15550105'];
    const answers = await Promise.allSettled(numbers.map((number) => settleMember(database.prisma, memberId, { success: false, nextAfterSec: 0, nextCommunication: number })));
    expect(answers.filter((answer) => answer.status === 'rejected')).toEqual([]);
    const stored = await database.prisma.memberNumber.findMany({ where: { memberId }, orderBy: { slot: 'asc' } });
    expect(stored.map((number) => number.slot)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(stored.map((number) => number.number))).toEqual(new Set(['+15550100', ...numbers]));
    expect(new Set(stored.map((number) => number.priority)).size).toBe(6);
    const first = stored.reduce((top, number) => (number.priority > top.priority ? number : top));
    expect(first.slot).toBe(6);
  });

  it('refuses a result while the member is being dialed, and leaves it dialing', async () => {
    await database.prisma.member.update({ where: { id: memberId }, data: { status: 'DIALING' } });
    await expect(settleMember(database.prisma, memberId, { success: true })).rejects.toMatchObject({ name: 'ConflictError' });
    expect(await database.prisma.member.findUniqueOrThrow({ where: { id: memberId } })).toMatchObject({ status: 'DIALING' });
  });
});
