import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUniqueViolation, orNotFound } from '../../src/db/errors.js';
import { NotFoundError } from '../../src/errors.js';
import { storageKinds, type TestDatabase } from '../support/database.js';
import { postgresAvailable } from '../support/fixture.js';

describe.each(storageKinds)('the database errors a domain answers for, on %s', (kind, create) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await create();
  });
  afterAll(async () => database?.drop());

  it.skipIf(kind === 'postgresql' && !postgresAvailable)('answers an update or delete of a record deleted meanwhile as NotFoundError, naming it', async () => {
    const id = randomUUID();
    const update = orNotFound(database.prisma.rescheduleRule.update({ where: { id }, data: { maxAttempts: 2 } }), 'RescheduleRule', id);
    await expect(update).rejects.toThrow(NotFoundError);
    await expect(update).rejects.toMatchObject({ resource: 'RescheduleRule', id });
    await expect(orNotFound(database.prisma.webhook.delete({ where: { id } }), 'Webhook', id)).rejects.toThrow(NotFoundError);
    await expect(orNotFound(database.prisma.member.findUniqueOrThrow({ where: { id } }), 'Member', id)).rejects.toThrow(NotFoundError);
  });

  it.skipIf(kind === 'postgresql' && !postgresAvailable)('passes any other error through untouched, and knows a unique violation from Prisma and from the SQL driver', async () => {
    await database.prisma.user.create({ data: { username: 'ana', passwordHash: 'x' } });
    const duplicate = await database.prisma.user.create({ data: { username: 'ana', passwordHash: 'x' } }).catch((error: unknown) => error);
    expect(isUniqueViolation(duplicate)).toBe(true);
    await expect(orNotFound(Promise.reject(duplicate), 'User', 'ana')).rejects.toBe(duplicate);
    const raw = await database.driver
      .withConnection((connection) => connection.query(`INSERT INTO "User" (id, username, "passwordHash", "updatedAt") VALUES (gen_random_uuid(), 'ana', 'x', now())`))
      .catch((error: unknown) => error);
    expect(isUniqueViolation(raw)).toBe(true);
    expect(isUniqueViolation(new Error('P2002'))).toBe(false);
  });
});
