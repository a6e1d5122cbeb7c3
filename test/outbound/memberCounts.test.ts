import { beforeEach, describe, expect, it } from 'vitest';
import { foldMemberCounts } from '../../src/outbound/memberCounts.js';
import { emptyDatabase, storageKinds } from '../support/database.js';
import { useStorage } from '../support/storage.js';

describe.each(storageKinds)("a dial list's member count (%s)", (kind, create) => {
  const storage = useStorage(kind, create);
  let lists: { a: string; b: string };

  beforeEach(async () => {
    if (storage.skip) return;
    await emptyDatabase(storage.database);
    const { prisma } = storage.database;
    lists = { a: (await prisma.dialList.create({ data: { name: 'A' } })).id, b: (await prisma.dialList.create({ data: { name: 'B' } })).id };
  });

  /** Each list's count as kept, beside the count of its members. */
  async function counts(): Promise<{ kept: Record<string, number>; actual: Record<string, number> }> {
    const { prisma } = storage.database;
    const kept = await prisma.dialListMemberCount.groupBy({ by: ['dialListId'], _sum: { delta: true } });
    const actual = await prisma.member.groupBy({ by: ['dialListId'], _count: { _all: true } });
    const named = (id: string) => (id === lists.a ? 'A' : id === lists.b ? 'B' : id);
    return {
      kept: Object.fromEntries(kept.filter((row) => (row._sum.delta ?? 0) !== 0).map((row) => [named(row.dialListId), row._sum.delta ?? 0])),
      actual: Object.fromEntries(actual.map((row) => [named(row.dialListId), row._count._all])),
    };
  }

  const copyMembers = (dialListId: string, count: number) =>
    storage.database.driver.withConnection((connection) =>
      connection.copyFrom(
        'Member',
        ['id', 'dialListId', 'name', 'updatedAt'],
        (async function* () {
          for (let index = 0; index < count; index++) yield `${crypto.randomUUID()}\t${dialListId}\tcopied ${index}\t2026-12-06 08:00:00\n`;
        })(),
      ),
    );

  it.skipIf(storage.skip)('follows members added one by one, in bulk and by COPY, removed, and moved to another list', async () => {
    const { prisma } = storage.database;
    await prisma.member.create({ data: { dialListId: lists.a, name: 'one' } });
    await prisma.member.createMany({ data: Array.from({ length: 40 }, (_, index) => ({ dialListId: lists.a, name: `bulk ${index}` })) });
    await copyMembers(lists.b, 3000);
    expect(await counts()).toEqual({ kept: { A: 41, B: 3000 }, actual: { A: 41, B: 3000 } });
    await prisma.member.deleteMany({ where: { dialListId: lists.a, name: { startsWith: 'bulk 1' } } });
    const moved = await prisma.member.findMany({ where: { dialListId: lists.b }, take: 7, select: { id: true } });
    await prisma.member.updateMany({ where: { id: { in: moved.map((member) => member.id) } }, data: { dialListId: lists.a } });
    // A status change (every lease makes one) moves nothing.
    await prisma.member.updateMany({ where: { dialListId: lists.b }, data: { status: 'DONE' } });
    expect(await counts()).toEqual({ kept: { A: 37, B: 2993 }, actual: { A: 37, B: 2993 } });
  });

  it.skipIf(storage.skip)('counts nothing for a list deleted with its members, whose rows go with it', async () => {
    const { prisma } = storage.database;
    await copyMembers(lists.a, 10);
    await copyMembers(lists.b, 5);
    await prisma.dialList.delete({ where: { id: lists.b } });
    expect(await counts()).toEqual({ kept: { A: 10 }, actual: { A: 10 } });
    expect(await prisma.dialListMemberCount.count({ where: { dialListId: lists.b } })).toBe(0);
  });

  it.skipIf(storage.skip)('folds each list into one row of the same sum, and a list that sums to nothing into none', async () => {
    const { prisma } = storage.database;
    for (let round = 0; round < 3; round++) await copyMembers(lists.a, 4);
    await copyMembers(lists.b, 2);
    await prisma.member.deleteMany({ where: { dialListId: lists.b } });
    expect(await prisma.dialListMemberCount.count()).toBe(5);
    expect(await foldMemberCounts(storage.database.driver)).toBe(5);
    expect(await prisma.dialListMemberCount.findMany({ select: { dialListId: true, delta: true } })).toEqual([{ dialListId: lists.a, delta: 12 }]);
    expect(await foldMemberCounts(storage.database.driver)).toBe(0);
    expect(await counts()).toEqual({ kept: { A: 12 }, actual: { A: 12 } });
  });
});
