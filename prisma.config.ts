import { defineConfig } from 'prisma/config';

// The project applies migrations itself (src/db/migrate.ts); this file serves users who run the Prisma CLI.
// `env()` from prisma/config throws when DATABASE_URL is unset, which is the embedded default.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/switchboard' },
});
