-- Columns no query filters or sorts on keep no planner statistics: ANALYZE, after every large import, then
-- describes only the columns plans depend on, and holds the table (and the embedded database) a third shorter.
ALTER TABLE "Member"
  ALTER COLUMN "variables" SET STATISTICS 0,
  ALTER COLUMN "detail" SET STATISTICS 0,
  ALTER COLUMN "email" SET STATISTICS 0,
  ALTER COLUMN "lastDialResultText" SET STATISTICS 0,
  ALTER COLUMN "lastHangupCauseText" SET STATISTICS 0,
  ALTER COLUMN "resultDescription" SET STATISTICS 0,
  ALTER COLUMN "blacklistCancelReason" SET STATISTICS 0,
  ALTER COLUMN "createdAt" SET STATISTICS 0,
  ALTER COLUMN "updatedAt" SET STATISTICS 0;
