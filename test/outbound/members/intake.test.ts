import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { addMembers, importMembers, MemberImportError } from '../../../src/outbound/members/index.js';
import { LINE_BREAK_MESSAGE } from '../../../src/validate.js';
import { ANALYZE_AFTER_MEMBERS } from '../../../src/outbound/members/load.js';
import { storageKinds } from '../../support/database.js';
import { expectCountsAddUp, postgresUp, useIntakeDatabase } from './intakeFixture.js';

describe.each(storageKinds)('member intake on %s storage', (kind, create) => {
  const skip = kind === 'postgresql' && !postgresUp;
  const fixture = useIntakeDatabase(create, skip);
  const { newList, membersOf, csv } = fixture;

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
      const result = await csv(list, '\nname,number\n\nAna,bad\n"Multi\nline",600\nBen,oops\n');
      expect(result.received).toBe(3);
      expect(result.errors).toEqual([
        { row: 4, field: 'number', message: expect.stringContaining('"bad" is not a phone number') },
        { row: 5, field: 'name', message: LINE_BREAK_MESSAGE },
        { row: 7, field: 'number', message: expect.stringContaining('"oops"') },
      ]);
    });

    it('reads a comma CSV as a CSV whatever its header says: phone is a number column, and a header it does not know is said once', async () => {
      const list = await newList();
      expect(await csv(list, 'name,phone\nAna,600\n')).toMatchObject({ received: 1, created: 1, failed: 0 });
      const unknown = csv(list, 'name,cell\nAna,700\n');
      await expect(unknown).rejects.toMatchObject({ code: 'UNKNOWN_COLUMN', subjects: ['cell'] });
    });

    it('refuses an unknown column with a typed error before anything is written', async () => {
      const list = await newList();
      const attempt = csv(list, 'name,number,colour\nAna,600,red\n');
      await expect(attempt).rejects.toBeInstanceOf(MemberImportError);
      await expect(attempt).rejects.toMatchObject({ code: 'UNKNOWN_COLUMN', subjects: ['colour'] });
      expect(await membersOf(list)).toEqual([]);
    });

    it('closes a source it stops reading because of a bad header', async () => {
      const list = await newList();
      const source = Readable.from((function* () {
        yield Buffer.from('name,number,colour\n');
        for (let index = 0; index < 1000; index++) yield Buffer.from(`Ana,${600 + index},red\n`);
      })());
      await expect(importMembers(fixture.database.driver, list, source, { format: 'CSV', dedupe: 'NONE' })).rejects.toMatchObject({ code: 'UNKNOWN_COLUMN' });
      expect(source.destroyed).toBe(true);
    });

    it('is read as a stream of bytes, with characters split across chunks', async () => {
      const list = await newList();
      const bytes = Buffer.from('name,number\nJosé Núñez,600\n');
      const oneByteAtATime = Readable.from(Array.from(bytes, (byte) => Buffer.from([byte])));
      expect(await importMembers(fixture.database.driver, list, oneByteAtATime, { format: 'CSV', dedupe: 'NONE' })).toMatchObject({ created: 1 });
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
        // About 12 MB of staging rows: more than one COPY batch on either fixture.database.
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
      await expect(importMembers(fixture.database.driver, list, failing(), { format: 'CSV', dedupe: 'NONE' })).rejects.toThrow('the upload was cut off');
      expect(await fixture.database.prisma.member.count({ where: { dialListId: list } })).toBe(0);
      expect(await fixture.database.prisma.memberNumber.count({ where: { dialListId: list } })).toBe(0);
      expect(await csv(list, 'number\n600\n')).toMatchObject({ created: 1 });
    }, 120_000);
  });

  describe.skipIf(skip)('addMembers', () => {
    it('takes the same path: a bad member is reported by its position and never drops the good ones', async () => {
      const list = await newList();
      const result = await addMembers(
        fixture.database.driver,
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

    it('stores text that COPY and array literals treat specially exactly as given', async () => {
      const list = await newList();
      const tricky = 'tab\there, back\\slash \\N "quoted" {braces} NULL';
      const result = await addMembers(
        fixture.database.driver,
        list,
        [{ name: '\\N', detail: tricky, variables: { v: tricky }, numbers: [{ number: '600', type: 'a\tb\\c "d" {e},f' }, { number: '601', type: 'NULL' }] }],
        { dedupe: 'NONE' },
      );
      expect(result).toMatchObject({ created: 1, failed: 0 });
      const [member] = await membersOf(list);
      expect(member).toMatchObject({ name: '\\N', detail: tricky, variables: { v: tricky } });
      expect(member?.numbers.map((n) => n.type)).toEqual(['a\tb\\c "d" {e},f', 'NULL']);
    });

    it('dedupes by number like a file', async () => {
      const list = await newList();
      await addMembers(fixture.database.driver, list, [{ numbers: [{ number: '600' }] }], { dedupe: 'NONE' });
      const result = await addMembers(fixture.database.driver, list, [{ numbers: [{ number: '6 0 0' }] }, { numbers: [{ number: '601' }] }], { dedupe: 'NUMBER' });
      expect(result).toEqual({ received: 2, created: 1, duplicates: 1, failed: 0, errors: [] });
    });
  });

  describe.skipIf(skip)('planner statistics', () => {
    it('are refreshed after an import large enough to change the plans, so the next lease sees the list as it is', async () => {
      const list = await fixture.newList();
      const members = ANALYZE_AFTER_MEMBERS + 200;
      const estimate = async () =>
        (await fixture.database.driver.withConnection((connection) => connection.query<{ rows: number }>(`SELECT reltuples::int AS rows FROM pg_class WHERE relname = 'Member'`)))[0]?.rows ?? 0;
      const before = await estimate();
      const text = `number\n${Array.from({ length: members }, (_, index) => `${700000 + index}`).join('\n')}\n`;
      expect((await fixture.csv(list, text)).created).toBe(members);
      expect(await estimate()).toBeGreaterThanOrEqual(before + members);
    });
  });
});
