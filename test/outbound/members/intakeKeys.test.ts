import { describe, expect, it } from 'vitest';
import { addMembers, type MemberInput } from '../../../src/outbound/members/index.js';
import { loadMembers } from '../../../src/outbound/members/load.js';
import type { SourceRow } from '../../../src/outbound/members/sourceRow.js';
import { inputFieldNames } from '../../../src/outbound/members/validation.js';
import { storageKinds } from '../../support/database.js';
import { postgresUp, useIntakeDatabase } from './intakeFixture.js';

describe.each(storageKinds)('external keys and dedupe on %s storage', (kind, create) => {
  const skip = kind === 'postgresql' && !postgresUp;
  const fixture = useIntakeDatabase(create, skip);
  const { newList, membersOf, csv } = fixture;

  describe.skipIf(skip)('external keys', () => {
    it('without dedupe, a key used earlier in the file is a row error naming that row', async () => {
      const list = await newList();
      const result = await csv(list, 'key,number\nK1,600\nK2,601\nK1,602\n');
      expect(result).toMatchObject({ received: 3, created: 2, duplicates: 0, failed: 1 });
      expect(result.errors).toEqual([{ row: 4, field: 'key', message: 'external key "K1" is already used in this list (by row 2 of this intake)' }]);
      expect((await membersOf(list)).map((m) => m.numbers[0]?.number)).toEqual(['600', '601']);
    });

    it('without dedupe, a key already in the list is a row error and the member there is untouched', async () => {
      const list = await newList();
      await csv(list, 'key,name,number\nK1,First,600\n');
      const result = await csv(list, 'key,name,number\nK1,Second,700\nK3,Third,701\n');
      expect(result).toMatchObject({ received: 2, created: 1, failed: 1 });
      expect(result.errors).toEqual([{ row: 2, field: 'key', message: 'external key "K1" is already used in this list' }]);
      const members = await membersOf(list);
      expect(members.map((m) => [m.externalKey, m.name, m.numbers.map((n) => n.number)])).toEqual([
        ['K1', 'First', ['600']],
        ['K3', 'Third', ['701']],
      ]);
    });

    it('with EXTERNAL_KEY dedupe, rows whose key is in the list or earlier are skipped as duplicates; rows without a key never are', async () => {
      const list = await newList();
      await csv(list, 'key,number\nK1,600\n');
      const result = await csv(list, 'key,number\nK1,700\nK2,701\nK2,702\n,703\n,703\n', { dedupe: 'EXTERNAL_KEY' });
      expect(result).toEqual({ received: 5, created: 3, duplicates: 2, failed: 0, errors: [] });
      expect((await membersOf(list)).map((m) => m.numbers[0]?.number)).toEqual(['600', '701', '703', '703']);
    });
  });

  describe.skipIf(skip)('NUMBER dedupe', () => {
    it('skips rows with any number already in the list or in an earlier row, and counts them', async () => {
      const list = await newList();
      await csv(list, 'number\n600\n');
      const result = await csv(list, 'number,number2\n700,600\n701,702\n703,702\n704,704\n', { dedupe: 'NUMBER' });
      expect(result).toEqual({ received: 4, created: 2, duplicates: 2, failed: 0, errors: [] });
      expect((await membersOf(list)).map((m) => m.numbers.map((n) => n.number))).toEqual([['600'], ['701', '702'], ['704', '704']]);
    });

    it('still reports a key conflict among the rows that are not duplicates', async () => {
      const list = await newList();
      const result = await csv(list, 'key,number\nK1,600\nK2,600\nK1,601\n', { dedupe: 'NUMBER' });
      expect(result).toMatchObject({ received: 3, created: 1, duplicates: 1, failed: 1, errors: [{ row: 4, field: 'key' }] });
    });

    it('uses normalised numbers, so formatting does not hide a duplicate', async () => {
      const list = await newList();
      const result = await csv(list, 'number\n+34 600 111 222\n+34-600-111-222\n', { dedupe: 'NUMBER' });
      expect(result).toMatchObject({ created: 1, duplicates: 1 });
    });

    it('without dedupe keeps the same number on two members', async () => {
      const list = await newList();
      expect(await csv(list, 'number\n600\n600\n')).toMatchObject({ created: 2, duplicates: 0 });
    });
  });

  describe.skipIf(skip)('a large intake, moved in slices of the staging table', () => {
    /** Loads through the intake path with one page per slice, so a few hundred rows cross many slices. */
    async function loadInSlices(dialListId: string, members: MemberInput[], dedupe: 'NONE' | 'EXTERNAL_KEY' | 'NUMBER') {
      async function* rows(): AsyncGenerator<SourceRow[]> {
        yield members.map((member, index) => ({ row: index + 1, member, errors: null }));
      }
      return loadMembers(fixture.database.driver, dialListId, rows(), inputFieldNames, { dedupe, timezone: null, maxReportedErrors: 100, sliceRows: 50 });
    }
    const padded = (index: number, key: string): MemberInput => ({
      externalKey: key,
      detail: 'x'.repeat(400),
      numbers: [{ number: `${1000 + index}` }],
    });

    it('keeps the first of two rows with one key even when they are slices apart, and writes no numbers for the second', async () => {
      const list = await newList();
      await addMembers(fixture.database.driver, list, [{ externalKey: 'OLD', numbers: [{ number: '1' }] }], { dedupe: 'NONE' });
      const members = Array.from({ length: 400 }, (_, index) => padded(index, `K${index}`));
      members[349] = padded(349, 'K10');
      members[389] = padded(389, 'OLD');
      const result = await loadInSlices(list, members, 'NONE');
      expect(result).toMatchObject({ received: 400, created: 398, duplicates: 0, failed: 2 });
      expect(result.errors).toEqual([
        { row: 350, field: 'externalKey', message: 'external key "K10" is already used in this list (by row 11 of this intake)' },
        { row: 390, field: 'externalKey', message: 'external key "OLD" is already used in this list' },
      ]);
      expect(await fixture.database.prisma.member.count({ where: { dialListId: list } })).toBe(399);
      const numbers = await fixture.database.prisma.memberNumber.findMany({ where: { dialListId: list, number: { in: ['1010', '1349', '1389'] } } });
      expect(numbers.map((n) => n.number)).toEqual(['1010']);
    });

    it('counts rows skipped by EXTERNAL_KEY or NUMBER dedupe in later slices as duplicates', async () => {
      const byKey = await newList();
      const members = Array.from({ length: 300 }, (_, index) => padded(index, `K${index % 250}`));
      expect(await loadInSlices(byKey, members, 'EXTERNAL_KEY')).toMatchObject({ received: 300, created: 250, duplicates: 50, failed: 0 });
      const byNumber = await newList();
      const sameNumbers = Array.from({ length: 300 }, (_, index) => ({ ...padded(index % 250, `K${index}`) }));
      expect(await loadInSlices(byNumber, sameNumbers, 'NUMBER')).toMatchObject({ received: 300, created: 250, duplicates: 50, failed: 0 });
      expect(await fixture.database.prisma.memberNumber.count({ where: { dialListId: byNumber } })).toBe(250);
    });
  });

  describe.skipIf(skip)('concurrent intakes into one list', () => {
    it('wait for each other, so the second sees the first one\'s keys', async () => {
      const list = await newList();
      const text = 'key,number\nK1,600\nK2,601\n';
      const results = await Promise.all([csv(list, text), csv(list, text)]);
      expect(results.map((r) => r.created).sort()).toEqual([0, 2]);
      expect(results.map((r) => r.failed).sort()).toEqual([0, 2]);
      expect(await fixture.database.prisma.member.count({ where: { dialListId: list } })).toBe(2);
    });
  });
});
