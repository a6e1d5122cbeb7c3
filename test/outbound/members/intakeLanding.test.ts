import { describe, expect, it } from 'vitest';
import { MemberImportError, type MemberInput } from '../../../src/outbound/members/index.js';
import { loadMembers } from '../../../src/outbound/members/load.js';
import type { SourceRow } from '../../../src/outbound/members/sourceRow.js';
import { inputFieldNames } from '../../../src/outbound/members/validation.js';
import { storageKinds } from '../../support/database.js';
import { postgresUp, useIntakeDatabase } from './intakeFixture.js';

const member = (index: number): MemberInput => ({ name: `Customer ${index}`, numbers: [{ number: `${100_000 + index}` }] });

describe.each(storageKinds)('how an intake lands on %s storage', (kind, create) => {
  const skip = kind === 'postgresql' && !postgresUp;
  const fixture = useIntakeDatabase(create, skip);
  const { newList } = fixture;

  /** Loads `count` members through the intake path, `sliceRows` rows a slice. */
  function load(dialListId: string, count: number, sliceRows: number) {
    async function* rows(): AsyncGenerator<SourceRow[]> {
      yield Array.from({ length: count }, (_, index) => ({ row: index + 1, member: member(index + 1), errors: null }));
    }
    return loadMembers(fixture.database.driver, dialListId, rows(), inputFieldNames, { dedupe: 'NONE', timezone: null, maxReportedErrors: 10, sliceRows });
  }

  const countIn = async (dialListId: string) => fixture.database.prisma.member.count({ where: { dialListId } });

  it.skipIf(skip)(
    kind === 'embedded'
      ? 'commits slice by slice, and other queries answer between the slices'
      : 'lands every slice in one transaction: other connections see none of it until all is in',
    async () => {
      const list = await newList();
      const total = 6000;
      let done = false;
      const landing = load(list, total, 100).finally(() => {
        done = true;
      });
      const seen = new Set<number>();
      while (!done) seen.add(await countIn(list));
      expect(await landing).toMatchObject({ created: total });
      const partial = [...seen].filter((count) => count > 0 && count < total);
      if (kind === 'embedded') expect(partial.length).toBeGreaterThan(0);
      else expect(partial).toEqual([]);
      expect(await countIn(list)).toBe(total);
    },
    60_000,
  );

  it.skipIf(skip)('lets an intake into another list land while a large one is landing, slice between slice', async () => {
    const [large, small] = [await newList(), await newList()];
    let largeDone = false;
    const landing = load(large, 6000, 100).finally(() => {
      largeDone = true;
    });
    // Once the large intake has members in (embedded), or has begun (PostgreSQL: all at its commit), the small one starts.
    if (kind === 'embedded') while ((await countIn(large)) === 0 && !largeDone);
    expect(await load(small, 10, 100)).toMatchObject({ created: 10 });
    expect(largeDone).toBe(false);
    expect(await landing).toMatchObject({ created: 6000 });
  }, 60_000);

  it.skipIf(skip)(
    kind === 'embedded'
      ? 'says which rows are in when the database fails after some slices landed (INTERRUPTED), and takes the next intake'
      : 'writes nothing when the database fails after some slices, and takes the next intake',
    async () => {
      const list = await newList();
      // A real failure of the database's own: a trigger that refuses one member of this list.
      await fixture.database.driver.withConnection((connection) =>
        connection.exec(`
          CREATE FUNCTION refuse_customer_1050() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF NEW.name = 'Customer 1050' AND NEW."dialListId" = '${list}' THEN RAISE EXCEPTION 'disk full (a test trigger)'; END IF;
            RETURN NEW;
          END $$;
          CREATE TRIGGER refuse_customer_1050 BEFORE INSERT ON "Member" FOR EACH ROW EXECUTE FUNCTION refuse_customer_1050();`),
      );
      try {
        const failure = await load(list, 2000, 100).catch((error: unknown) => error);
        if (kind === 'embedded') {
          expect(failure).toBeInstanceOf(MemberImportError);
          expect(failure).toMatchObject({ code: 'INTERRUPTED' });
          expect((failure as Error).message).toContain('disk full (a test trigger)');
          expect((failure as Error).message).toContain('the members of rows 1 to 1000 are in the list');
          expect(await countIn(list)).toBe(1000);
          expect(await fixture.database.prisma.memberNumber.count({ where: { dialListId: list } })).toBe(1000);
        } else {
          expect(failure).not.toBeInstanceOf(MemberImportError);
          expect((failure as Error).message).toContain('disk full (a test trigger)');
          expect(await countIn(list)).toBe(0);
        }
      } finally {
        await fixture.database.driver.withConnection((connection) =>
          connection.exec('DROP TRIGGER refuse_customer_1050 ON "Member"; DROP FUNCTION refuse_customer_1050()'),
        );
      }
      const next = await newList();
      expect(await load(next, 300, 100)).toMatchObject({ created: 300 });
    },
    60_000,
  );
});
