-- AlterTable
ALTER TABLE "RunOutcome" ADD COLUMN     "bridged" INTEGER NOT NULL DEFAULT 0;

-- The runs recorded so far, counted once from their attempts.
UPDATE "RunOutcome" r SET "bridged" = (
  SELECT count(*)::int FROM "CallAttempt" a WHERE a."runId" = r."runId" AND a."outcome" = r."outcome" AND a."bridgedAt" IS NOT NULL);
