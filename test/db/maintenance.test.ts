import { describe, expect, it } from 'vitest';
import { maintainOnce } from '../../src/db/maintenance.js';
import { createEmbeddedDatabase } from '../support/database.js';

describe('the embedded database maintained as autovacuum would', () => {
  it('vacuums a table whose dead rows passed the threshold, leaves one that did not, and analyses what changed', async () => {
    const database = await createEmbeddedDatabase();
    try {
      const { driver, prisma } = database;
      const list = await prisma.dialList.create({ data: { name: 'Churn' } });
      const plan = await prisma.plan.create({ data: { name: 'Barely touched' } });
      await driver.withConnection((connection) =>
        connection.exec(`
          INSERT INTO "Member" (id, "dialListId", name, "updatedAt") SELECT gen_random_uuid(), '${list.id}', 'm' || g, now() FROM generate_series(1, 2000) g;
          UPDATE "Member" SET status = 'DIALING';
          UPDATE "Member" SET status = 'IDLE';
          UPDATE "Plan" SET detail = 'once' WHERE id = '${plan.id}';
          INSERT INTO "Destination" (id, name, type, context, exten, "updatedAt") SELECT gen_random_uuid(), 'd' || g, 'EXTENSION', 'dest', 'echo', now() FROM generate_series(1, 100) g;`),
      );
      const dead = async (table: string) => {
        await driver.withConnection((connection) => connection.query('SELECT pg_stat_force_next_flush()'));
        const [row] = await driver.withConnection((connection) => connection.query<{ dead: number }>('SELECT n_dead_tup::int AS dead FROM pg_stat_user_tables WHERE relname = $1', [table]));
        return row?.dead;
      };
      expect(await dead('Member')).toBeGreaterThanOrEqual(4000);
      const done = await maintainOnce(driver);
      expect(done.vacuumed).toContain('Member');
      // A few changes are nothing; a hundred new rows and no dead ones want statistics only.
      expect([...done.vacuumed, ...done.analyzed]).not.toContain('Plan');
      expect(done.analyzed).toContain('Destination');
      expect(await dead('Member')).toBe(0);
      // Nothing changed since: a second round has nothing to do.
      expect(await maintainOnce(driver)).toEqual({ vacuumed: [], analyzed: [] });
    } finally {
      await database.drop();
    }
  });
});
