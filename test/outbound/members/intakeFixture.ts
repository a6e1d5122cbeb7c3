import { afterAll, beforeAll, expect } from 'vitest';
import type { Member, MemberNumber } from '../../../src/generated/prisma/client.js';
import { importMembers, type IntakeResult, type ImportMembersOptions } from '../../../src/outbound/members/index.js';
import type { TestDatabase } from '../../support/database.js';
import { POSTGRES_URL, serviceAvailable } from '../../support/services.js';

/** Whether PostgreSQL answers; with REQUIRE_SERVICES=1 a missing one fails instead. */
export const postgresUp = await serviceAvailable('PostgreSQL', POSTGRES_URL);

export function expectCountsAddUp(result: IntakeResult): void {
  expect(result.created + result.duplicates + result.failed).toBe(result.received);
}

export type IntakeFixture = {
  readonly database: TestDatabase;
  /** A new dial list, so each test starts from an empty one. */
  newList(): Promise<string>;
  /** The list's members with their numbers, oldest first. */
  membersOf(dialListId: string): Promise<(Member & { numbers: MemberNumber[] })[]>;
  /** importMembers from text, AUTO format and no dedupe unless told otherwise. */
  csv(dialListId: string, text: string, options?: Partial<ImportMembersOptions>): Promise<IntakeResult>;
};

/** One database for the file's tests on one storage kind; skipped when `skip`. */
export function useIntakeDatabase(create: () => Promise<TestDatabase>, skip: boolean): IntakeFixture {
  let database: TestDatabase;
  beforeAll(async () => {
    if (!skip) database = await create();
  });
  afterAll(async () => {
    await database?.drop();
  });
  return {
    get database() {
      return database;
    },
    async newList() {
      return (await database.prisma.dialList.create({ data: { name: 'intake' } })).id;
    },
    membersOf(dialListId) {
      return database.prisma.member.findMany({
        where: { dialListId },
        include: { numbers: { orderBy: { slot: 'asc' } } },
        orderBy: { id: 'asc' },
      });
    },
    csv(dialListId, text, options = {}) {
      return importMembers(database.driver, dialListId, text, { format: 'AUTO', dedupe: 'NONE', ...options });
    },
  };
}
