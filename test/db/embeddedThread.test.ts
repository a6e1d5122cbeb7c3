import { describe, expect, it } from 'vitest';
import { createUser } from '../../src/auth/users.js';
import { createEmbeddedDatabase } from '../support/database.js';

describe('the embedded database in its own thread', () => {
  it('leaves the main thread free while a long statement runs', async () => {
    const database = await createEmbeddedDatabase();
    try {
      let finished = false;
      const long = database.driver
        .withConnection((connection) => connection.query<{ count: number }>('SELECT count(*)::int AS count FROM generate_series(1, 1000000)'))
        .then((rows) => {
          finished = true;
          return rows;
        });
      // Three turns of the event loop: in the same thread, the statement would have run to its end before any of them.
      for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
      expect(finished).toBe(false);
      expect(await long).toEqual([{ count: 1_000_000 }]);
    } finally {
      await database.drop();
    }
  });

  it('gives PostgreSQL errors back as PGlite gives them, which Prisma reads as its own', async () => {
    const database = await createEmbeddedDatabase();
    try {
      const failed = database.driver.withConnection((connection) => connection.query('SELECT * FROM "NoSuchTable"'));
      await expect(failed).rejects.toMatchObject({ code: '42P01', message: 'relation "NoSuchTable" does not exist' });
      const user = { username: 'twice', passwordHash: 'not a real hash', role: 'VIEWER' } as const;
      await database.prisma.user.create({ data: user });
      await expect(database.prisma.user.create({ data: user })).rejects.toMatchObject({ code: 'P2002' });
      await expect(createUser(database.prisma, { username: 'twice', password: 'twice password 1', role: 'VIEWER' })).rejects.toThrow('The username twice is taken');
    } finally {
      await database.drop();
    }
  });

  it('keeps a transaction open across calls, and rolls it back whole when its work throws', async () => {
    const database = await createEmbeddedDatabase();
    try {
      const failing = database.driver.withConnection(
        async (connection) => {
          await connection.query(`INSERT INTO "Plan" (id, name, "updatedAt") VALUES (gen_random_uuid(), 'Rolled back', now())`);
          expect(await connection.query('SELECT name FROM "Plan"')).toEqual([{ name: 'Rolled back' }]);
          throw new Error('changed my mind');
        },
        { transaction: true },
      );
      await expect(failing).rejects.toThrow('changed my mind');
      expect(await database.prisma.plan.count()).toBe(0);
      await database.prisma.$transaction(async (tx) => {
        await tx.plan.create({ data: { name: 'Kept' } });
      });
      expect((await database.prisma.plan.findMany()).map((plan) => plan.name)).toEqual(['Kept']);
    } finally {
      await database.drop();
    }
  });
});
