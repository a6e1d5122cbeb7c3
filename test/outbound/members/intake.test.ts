import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMembers, importMembers, LINE_BREAK_MESSAGE, MemberImportError, type IntakeResult } from '../../../src/outbound/members/index.js';
import { storageKinds, type TestDatabase } from '../../support/database.js';
import { POSTGRES_URL, serviceAvailable } from '../../support/services.js';

const postgresUp = await serviceAvailable('PostgreSQL', POSTGRES_URL);

function expectCountsAddUp(result: IntakeResult): void {
  expect(result.created + result.duplicates + result.failed).toBe(result.received);
}

describe.each(storageKinds)('member intake on %s storage', (kind, create) => {
  const skip = kind === 'postgresql' && !postgresUp;
  let database: TestDatabase;

  beforeAll(async () => {
    if (!skip) database = await create();
  });
  afterAll(async () => {
    await database?.drop();
  });

  async function newList(): Promise<string> {
    return (await database.prisma.dialList.create({ data: { name: 'intake' } })).id;
  }

  function membersOf(dialListId: string) {
    return database.prisma.member.findMany({
      where: { dialListId },
      include: { numbers: { orderBy: { slot: 'asc' } } },
      orderBy: { id: 'asc' },
    });
  }

  const csv = (dialListId: string, text: string, options: Partial<Parameters<typeof importMembers>[3]> = {}) =>
    importMembers(database.driver, dialListId, text, { format: 'AUTO', dedupe: 'NONE', ...options });

  describe.skipIf(skip)('a header CSV', () => {
    it('creates members with every field, their numbers in slots and their variables', async () => {
      const list = await newList();
      const result = await csv(
        list,
        'name,detail,key,email,priority,expiresAt,timezone,agent,number,type1,number2,variables,var_tier\n' +
          'Ana,vip,A-1,ana@example.com,5,2030-06-30T18:00:00Z,Europe/Madrid,1001,+34 600-111-222,mobile,(91) 555 1212,source=crm:x=1,gold\n',
      );
      expect(result).toEqual({ received: 1, created: 1, duplicates: 0, failed: 0, errors: [] });
      const [ana] = await membersOf(list);
      expect(ana).toMatchObject({
        name: 'Ana',
        detail: 'vip',
        externalKey: 'A-1',
        email: 'ana@example.com',
        priority: 5,
        expiresAt: new Date('2030-06-30T18:00:00Z'),
        timezone: 'Europe/Madrid',
        agent: '1001',
        status: 'IDLE',
        variables: { source: 'crm', x: '1', tier: 'gold' },
      });
      expect(ana?.numbers.map((n) => ({ slot: n.slot, number: n.number, type: n.type, dialListId: n.dialListId, tryCount: n.tryCount }))).toEqual([
        { slot: 1, number: '+34600111222', type: 'mobile', dialListId: list, tryCount: 0 },
        { slot: 2, number: '915551212', type: null, dialListId: list, tryCount: 0 },
      ]);
      expect(ana?.createdAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
    });

    it('reads semicolons, RFC 4180 quoting, CRLF line ends and a byte order mark', async () => {
      const list = await newList();
      const text = '\ufeffname;number;detail\r\n"Smith; Ana";600;"said ""hi"""\r\nBen;700;\r\n';
      expect(await csv(list, text)).toMatchObject({ received: 2, created: 2, failed: 0 });
      expect((await membersOf(list)).map((m) => [m.name, m.detail])).toEqual([
        ['Smith; Ana', 'said "hi"'],
        ['Ben', null],
      ]);
    });

    it('numbers rows by their line in the file: the header, blank lines and quoted line breaks count', async () => {
      const list = await newList();
      const result = await csv(list, 'name,number\n\nAna,bad\n"Multi\nline",600\nBen,oops\n');
      expect(result.received).toBe(3);
      expect(result.errors).toEqual([
        { row: 3, field: 'number', message: expect.stringContaining('"bad" is not a phone number') },
        { row: 4, field: 'name', message: LINE_BREAK_MESSAGE },
        { row: 6, field: 'number', message: expect.stringContaining('"oops"') },
      ]);
    });

    it('refuses an unknown column with a typed error before anything is written', async () => {
      const list = await newList();
      const attempt = csv(list, 'name,number,colour\nAna,600,red\n');
      await expect(attempt).rejects.toBeInstanceOf(MemberImportError);
      await expect(attempt).rejects.toMatchObject({ code: 'UNKNOWN_COLUMN', subjects: ['colour'] });
      expect(await membersOf(list)).toEqual([]);
    });

    it('is read as a stream of bytes, with characters split across chunks', async () => {
      const list = await newList();
      const bytes = Buffer.from('name,number\nJosé Núñez,600\n');
      const oneByteAtATime = Readable.from(Array.from(bytes, (byte) => Buffer.from([byte])));
      expect(await importMembers(database.driver, list, oneByteAtATime, { format: 'CSV', dedupe: 'NONE' })).toMatchObject({ created: 1 });
      expect((await membersOf(list))[0]?.name).toBe('José Núñez');
    });
  });

  describe.skipIf(skip)('uContact lines', () => {
    it('take the number and alternatives as slots, the variables, priority and agent phone, and ignore the campaign', async () => {
      const list = await newList();
      const result = await csv(list, 'prueba1;098344484;var1=val1:var2=val2;099124484:099111111;9999;1001\n', {
        timezone: 'America/Montevideo',
      });
      expect(result).toEqual({ received: 1, created: 1, duplicates: 0, failed: 0, errors: [] });
      const [member] = await membersOf(list);
      expect(member).toMatchObject({ variables: { var1: 'val1', var2: 'val2' }, priority: 9999, agent: '1001', timezone: 'America/Montevideo' });
      expect(member?.numbers.map((n) => n.number)).toEqual(['098344484', '099124484', '099111111']);
    });

    it('refuse more than 8 numbers, a line break and a bad number per line, importing the good lines', async () => {
      const list = await newList();
      const nine = Array.from({ length: 8 }, (_, index) => `70${index}`).join(':');
      const result = await csv(list, `c;600\nc;601;;${nine}\nc;60x2\nc;603;note=a\rb\nc;604;;;7\n`, { format: 'UCONTACT' });
      expect(result).toMatchObject({ received: 5, created: 2, failed: 3 });
      expect(result.errors).toEqual([
        { row: 2, field: 'number', message: 'has 9 numbers; a member has at most 8' },
        { row: 3, field: 'number', message: expect.stringContaining('"60x2" is not a phone number') },
        { row: 4, field: 'variables', message: LINE_BREAK_MESSAGE },
      ]);
      expect((await membersOf(list)).map((m) => m.numbers[0]?.number)).toEqual(['600', '604']);
    });

    it('refuse a time zone option that is not IANA before reading anything', async () => {
      const list = await newList();
      await expect(csv(list, 'c;600\n', { timezone: 'Mars/Olympus' })).rejects.toMatchObject({ code: 'BAD_OPTION' });
      expect(await membersOf(list)).toEqual([]);
    });
  });

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

  describe.skipIf(skip)('counts and reported errors', () => {
    it('count every row once and cap the listed errors, first rows first, while the counts stay complete', async () => {
      const list = await newList();
      const lines = ['key,number'];
      for (let index = 0; index < 30; index++) lines.push(index % 3 === 0 ? `K${index},bad` : `K${index % 6},${600 + index}`);
      const result = await csv(list, `${lines.join('\n')}\n`, { maxReportedErrors: 5 });
      expectCountsAddUp(result);
      expect(result.received).toBe(30);
      // Every third row has a bad number (10); of the rest, keys K1, K2, K4, K5 repeat: only the first of each gets in.
      expect(result.created).toBe(4);
      expect(result.failed).toBe(26);
      expect(result.errors).toHaveLength(5);
      expect(result.errors.map((error) => error.row)).toEqual([2, 5, 8, 9, 10]);
    });

    it('report nothing but counts with maxReportedErrors 0, and refuse a negative cap', async () => {
      const list = await newList();
      expect(await csv(list, 'number\nbad\n600\n', { maxReportedErrors: 0 })).toEqual({ received: 2, created: 1, duplicates: 0, failed: 1, errors: [] });
      await expect(csv(list, 'number\n600\n', { maxReportedErrors: -1 })).rejects.toMatchObject({ code: 'BAD_OPTION' });
    });

    it('come back all zero for an empty file or one with only a header', async () => {
      const list = await newList();
      expect(await csv(list, '')).toEqual({ received: 0, created: 0, duplicates: 0, failed: 0, errors: [] });
      expect(await csv(list, 'name,number\n\n')).toEqual({ received: 0, created: 0, duplicates: 0, failed: 0, errors: [] });
    });
  });

  describe.skipIf(skip)('atomicity', () => {
    it('writes nothing when the source fails after many rows were already copied, and the database stays usable', async () => {
      const list = await newList();
      async function* failing(): AsyncGenerator<string> {
        yield 'key,name,number,number2\n';
        // About 12 MB of staging rows: more than one COPY batch on either database.
        for (let batch = 0; batch < 100; batch++) {
          let text = '';
          for (let index = 0; index < 1000; index++) {
            const n = batch * 1000 + index;
            text += `K${n},Customer ${n} ${'x'.repeat(60)},+3460${n},+3491${n}\n`;
          }
          yield text;
        }
        throw new Error('the upload was cut off');
      }
      await expect(importMembers(database.driver, list, failing(), { format: 'CSV', dedupe: 'NONE' })).rejects.toThrow('the upload was cut off');
      expect(await database.prisma.member.count({ where: { dialListId: list } })).toBe(0);
      expect(await database.prisma.memberNumber.count({ where: { dialListId: list } })).toBe(0);
      expect(await csv(list, 'number\n600\n')).toMatchObject({ created: 1 });
    }, 120_000);
  });

  describe.skipIf(skip)('addMembers', () => {
    it('takes the same path: a bad member is reported by its position and never drops the good ones', async () => {
      const list = await newList();
      const result = await addMembers(
        database.driver,
        list,
        [
          { name: 'Ana', externalKey: 'A', expiresAt: new Date('2031-01-01T00:00:00Z'), numbers: [{ number: '600', type: 'mobile', priority: 3 }] },
          { name: 'Injected\r\nAction: Originate', numbers: [{ number: '601' }] },
          { name: 'Ben', numbers: [] },
          { name: 'Cid', externalKey: 'A', numbers: [{ number: '602' }] },
          { name: 'Dan', variables: { tier: 'gold' }, timezone: 'Asia/Tokyo', numbers: [{ number: '603' }, { number: '604' }] },
        ],
        { dedupe: 'NONE' },
      );
      expectCountsAddUp(result);
      expect(result).toMatchObject({ received: 5, created: 2, duplicates: 0, failed: 3 });
      expect(result.errors).toEqual([
        { row: 2, field: 'name', message: LINE_BREAK_MESSAGE },
        { row: 3, field: 'numbers', message: 'a member needs at least one number' },
        { row: 4, field: 'externalKey', message: 'external key "A" is already used in this list (by row 1 of this intake)' },
      ]);
      const members = await membersOf(list);
      expect(members.map((m) => m.name)).toEqual(['Ana', 'Dan']);
      expect(members[0]).toMatchObject({ expiresAt: new Date('2031-01-01T00:00:00Z') });
      expect(members[0]?.numbers[0]).toMatchObject({ number: '600', type: 'mobile', priority: 3 });
      expect(members[1]).toMatchObject({ variables: { tier: 'gold' }, timezone: 'Asia/Tokyo' });
    });

    it('dedupes by number like a file', async () => {
      const list = await newList();
      await addMembers(database.driver, list, [{ numbers: [{ number: '600' }] }], { dedupe: 'NONE' });
      const result = await addMembers(database.driver, list, [{ numbers: [{ number: '6 0 0' }] }, { numbers: [{ number: '601' }] }], { dedupe: 'NUMBER' });
      expect(result).toEqual({ received: 2, created: 1, duplicates: 1, failed: 0, errors: [] });
    });
  });

  describe.skipIf(skip)('concurrent intakes into one list', () => {
    it('wait for each other, so the second sees the first one\'s keys', async () => {
      const list = await newList();
      const text = 'key,number\nK1,600\nK2,601\n';
      const results = await Promise.all([csv(list, text), csv(list, text)]);
      expect(results.map((r) => r.created).sort()).toEqual([0, 2]);
      expect(results.map((r) => r.failed).sort()).toEqual([0, 2]);
      expect(await database.prisma.member.count({ where: { dialListId: list } })).toBe(2);
    });
  });
});
